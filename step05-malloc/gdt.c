/* gdt.c - the Global Descriptor Table, built in C.
 *
 * The boot sector's GDT got us into protected mode, but it lives in the
 * boot sector's memory, which the kernel does not own. This one is the
 * kernel's own, and later steps add user segments and a TSS to it.
 * Descriptor layout: Intel SDM volume 3A, section 3.4.5.
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

#define ACCESS_CODE 0x9A            /* present, ring 0, code, execute/read */
#define ACCESS_DATA 0x92            /* present, ring 0, data, read/write */
#define FLAGS_4K_32 0xC0            /* limit in 4 KiB units, 32-bit segment */

static struct descriptor gdt[GDT_ENTRIES];

static void set_flat(int i, uint8_t access)
{
    gdt[i] = (struct descriptor){
        .limit_low = 0xFFFF, .access = access, .flags_limit_high = FLAGS_4K_32 | 0xF,
    };
}

void gdt_init(void)
{
    set_flat(KERNEL_CODE / 8, ACCESS_CODE);
    set_flat(KERNEL_DATA / 8, ACCESS_DATA);
    struct table_register p = { sizeof gdt - 1, (uint32_t)gdt };

    /* Loading GDTR changes nothing until each segment register is loaded
       again: the data segments with mov, CS with a far jump. */
    __asm__ volatile("lgdt %0\n\t"
                     "mov %1, %%ds\n\t mov %1, %%es\n\t mov %1, %%fs\n\t"
                     "mov %1, %%gs\n\t mov %1, %%ss\n\t"
                     "ljmp %2, $1f\n"
                     "1:"
                     : : "m"(p), "r"(KERNEL_DATA), "i"(KERNEL_CODE) : "memory");
}
