/* gdt.h - the kernel's Global Descriptor Table. */
#ifndef GDT_H
#define GDT_H

#include <stdint.h>

/* The six bytes that lgdt and lidt load into GDTR and IDTR: a table's size
   minus one, and its address (Intel SDM 3A, 2.4.1 and 2.4.3). */
struct table_register {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

#define KERNEL_CODE 0x08            /* segment selectors: index * 8 */
#define KERNEL_DATA 0x10
#define GDT_ENTRIES 3               /* the null descriptor, code, data */
#define GDT_END     (GDT_ENTRIES * 8)   /* the first selector past the table */

void gdt_init(void);

#endif
