/* gdt.c - the Global Descriptor Table, built in C, and the TSS.
 *
 * Kernel and user programs each get a flat 4 GiB code and data segment;
 * they differ only in their privilege level, 0 or 3. Paging, not
 * segmentation, keeps user programs out of the kernel (see paging.c).
 * Descriptor layout: Intel SDM volume 3A, section 3.4.5.
 *
 * The Task State Segment holds one thing we need: the kernel stack the CPU
 * loads when an interrupt or int 0x80 arrives from ring 3 (SDM 3A, 6.12.1
 * and 8.7). Without it the CPU has nowhere safe to push the user's state.
 */
#include <stdint.h>
#include "gdt.h"

struct descriptor {
    uint16_t limit_low;
    uint16_t base_low;
    uint8_t base_mid;
    uint8_t access;             /* present, privilege level, type */
    uint8_t flags_limit_high;   /* granularity, 32-bit, limit bits 16-19 */
    uint8_t base_high;
} __attribute__((packed));

/* The 32-bit TSS (SDM 3A, 8.2.1). Hardware task switching would use all of
   it; we use esp0 and ss0 only. */
struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));

#define ACCESS_KERNEL_CODE 0x9A     /* present, ring 0, code, execute/read */
#define ACCESS_KERNEL_DATA 0x92     /* present, ring 0, data, read/write */
#define ACCESS_USER_CODE   0xFA     /* the same in ring 3 */
#define ACCESS_USER_DATA   0xF2
#define ACCESS_TSS         0x89     /* present, ring 0, 32-bit TSS, not busy */
#define FLAGS_4K_32        0xC0     /* limit in 4 KiB units, 32-bit segment */
#define FLAGS_32           0x40     /* limit in bytes, 32-bit segment */
#define FLAGS_AVAILABLE    0x10     /* AVL: free for software to use */

static struct descriptor gdt[GDT_ENTRIES];
static struct tss tss;

static void set_flat(int i, uint8_t access)
{
    gdt[i] = (struct descriptor){
        .limit_low = 0xFFFF, .access = access, .flags_limit_high = FLAGS_4K_32 | 0xF,
    };
}

static void set_tss(int i)
{
    uint32_t base = (uint32_t)&tss, limit = sizeof tss - 1;
    gdt[i] = (struct descriptor){
        .limit_low = limit, .base_low = base & 0xFFFF, .base_mid = (base >> 16) & 0xFF,
        .access = ACCESS_TSS, .base_high = base >> 24,
    };
    tss.ss0 = KERNEL_DATA;
    /* An I/O bitmap offset past the TSS's end: no port is allowed in ring 3
       (SDM 1, 19.5.2), so in and out there raise a general protection fault. */
    tss.iomap_base = sizeof tss;
}

void gdt_init(void)
{
    set_flat(KERNEL_CODE / 8, ACCESS_KERNEL_CODE);
    set_flat(KERNEL_DATA / 8, ACCESS_KERNEL_DATA);
    set_flat(USER_CODE / 8, ACCESS_USER_CODE);
    set_flat(USER_DATA / 8, ACCESS_USER_DATA);
    set_tss(TSS_SELECTOR / 8);
    struct table_register p = { sizeof gdt - 1, (uint32_t)gdt };

    /* Loading GDTR changes nothing until each segment register is loaded
       again: the data segments with mov, CS with a far jump. */
    __asm__ volatile("lgdt %0\n\t"
                     "mov %1, %%ds\n\t mov %1, %%es\n\t mov %1, %%fs\n\t"
                     "mov %1, %%gs\n\t mov %1, %%ss\n\t"
                     "ljmp %2, $1f\n"
                     "1:"
                     : : "m"(p), "r"(KERNEL_DATA), "i"(KERNEL_CODE) : "memory");
    __asm__ volatile("ltr %w0" : : "r"(TSS_SELECTOR));
}

void gdt_set_tls(int entry, const struct user_desc *desc)
{
    uint32_t base = desc->base_addr, limit = desc->limit;
    /* The access byte's type: bit 1 writable, bit 2 expand-down (SDM 3A, 3.4.5.1). */
    uint8_t access = ACCESS_USER_DATA & ~0x02;
    if (!desc->read_exec_only)
        access |= 0x02;
    if (desc->contents & 1)
        access |= 0x04;
    gdt[entry] = (struct descriptor){
        .limit_low = limit & 0xFFFF, .base_low = base & 0xFFFF, .base_mid = (base >> 16) & 0xFF,
        .access = access,
        .flags_limit_high = (desc->limit_in_pages ? FLAGS_4K_32 : FLAGS_32) |
                            (desc->useable ? FLAGS_AVAILABLE : 0) | ((limit >> 16) & 0xF),
        .base_high = base >> 24,
    };
}

void gdt_clear_tls(int entry)
{
    gdt[entry] = (struct descriptor){ 0 };
}

int gdt_tls_free(int entry)
{
    static const struct descriptor clear;
    const uint8_t *a = (const uint8_t *)&gdt[entry], *b = (const uint8_t *)&clear;
    for (unsigned i = 0; i < sizeof clear; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

void tss_set_kernel_stack(uint32_t esp0)
{
    tss.esp0 = esp0;
}
