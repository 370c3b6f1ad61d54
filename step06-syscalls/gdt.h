/* gdt.h - the Global Descriptor Table and the Task State Segment. */
#ifndef GDT_H
#define GDT_H

#include <stdint.h>

/* The six bytes that lgdt and lidt load into GDTR and IDTR: a table's size
   minus one, and its address (Intel SDM 3A, 2.4.1 and 2.4.3). */
struct table_register {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

/* Segment selectors: index * 8, plus the privilege level asked for (RPL)
   in the low two bits. */
#define KERNEL_CODE 0x08
#define KERNEL_DATA 0x10
#define USER_CODE   (0x18 | 3)
#define USER_DATA   (0x20 | 3)
#define TSS_SELECTOR 0x28
#define TLS_FIRST   6               /* the GDT entries a program may set for its thread */
#define TLS_LAST    8               /* data: 6 to 8, as on Linux (set_thread_area) */

/* The flags of a TLS entry, as in Linux's struct user_desc. */
#define TLS_EXPAND_DOWN 0x02        /* a data segment that grows down (contents 1) */
#define TLS_READ_ONLY   0x08        /* read_exec_only */
#define TLS_PAGES       0x10        /* the limit counts 4 KiB pages */
#define TLS_AVAILABLE   0x40        /* useable: the descriptor's bit for software */

void gdt_init(void);

/* Make TLS entry (TLS_FIRST to TLS_LAST) a ring 3 data segment from base,
   of limit + 1 bytes (or pages), for a program's %gs; or clear it. An entry
   is free when it is clear. */
void gdt_set_tls(int entry, uint32_t base, uint32_t limit, uint32_t flags);
void gdt_clear_tls(int entry);
int gdt_tls_free(int entry);

/* The stack the CPU switches to when an interrupt takes it from ring 3
   to ring 0. */
void tss_set_kernel_stack(uint32_t esp0);

#endif
