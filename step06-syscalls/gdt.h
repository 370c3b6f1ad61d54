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
#define GDT_ENTRIES (TLS_LAST + 1)
#define GDT_END     (GDT_ENTRIES * 8)   /* the first selector past the table */

/* What set_thread_area is given: Linux's struct user_desc
   (arch/x86/include/uapi/asm/ldt.h). The bit-fields fill the fourth word
   from its lowest bit, as gcc and clang lay them out for i386. */
struct user_desc {
    uint32_t entry_number;
    uint32_t base_addr;
    uint32_t limit;
    uint32_t seg_32bit : 1;         /* a 32-bit segment */
    uint32_t contents : 2;          /* 0 data, 1 data growing down, 2-3 code */
    uint32_t read_exec_only : 1;
    uint32_t limit_in_pages : 1;    /* the limit counts 4 KiB pages */
    uint32_t seg_not_present : 1;
    uint32_t useable : 1;           /* the descriptor's bit for software */
    uint32_t : 25;                  /* ignored */
};

void gdt_init(void);

/* Make TLS entry (TLS_FIRST to TLS_LAST) the ring 3 data segment desc
   describes, for a program's %gs; or clear it. An entry is free when it
   is clear. */
void gdt_set_tls(int entry, const struct user_desc *desc);
void gdt_clear_tls(int entry);
int gdt_tls_free(int entry);

/* The stack the CPU switches to when an interrupt takes it from ring 3
   to ring 0. */
void tss_set_kernel_stack(uint32_t esp0);

#endif
