/* gdt.h - the kernel's Global Descriptor Table. */
#ifndef GDT_H
#define GDT_H

#define KERNEL_CODE 0x08            /* segment selectors: index * 8 */
#define KERNEL_DATA 0x10

void gdt_init(void);

#endif
