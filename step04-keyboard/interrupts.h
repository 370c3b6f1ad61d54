/* interrupts.h - the saved registers an interrupt handler sees, and
   registering handlers for hardware interrupts (IRQs). */
#ifndef INTERRUPTS_H
#define INTERRUPTS_H

#include <stdint.h>

/* The stack built by interrupts.asm, lowest address first. */
struct regs {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;   /* pushad */
    uint32_t vector, error;
    uint32_t eip, cs, eflags;                          /* pushed by the CPU */
};

/* Vectors 0-31 are the CPU's exceptions (Intel SDM 3A, table 6-1). */
#define EXCEPTIONS 32

typedef void (*irq_handler)(struct regs *r);

void idt_init(void);
void irq_register(int irq, irq_handler handler);

static inline void interrupts_on(void) { __asm__ volatile("sti"); }
static inline void interrupts_off(void) { __asm__ volatile("cli"); }

#endif
