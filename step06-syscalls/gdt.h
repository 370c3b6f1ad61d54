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
#define TLS_ENTRY   6               /* the GDT entry a program may set for its thread
                                       data, as on Linux (set_thread_area) */

void gdt_init(void);

/* Make the TLS entry a ring 3 data segment from base, of limit + 1 bytes
   (or pages), for a program's %gs; or clear it. */
void gdt_set_tls(uint32_t base, uint32_t limit, int limit_in_pages);
void gdt_clear_tls(void);

/* The stack the CPU switches to when an interrupt takes it from ring 3
   to ring 0. */
void tss_set_kernel_stack(uint32_t esp0);

#endif
