/* idt.c - the Interrupt Descriptor Table, and where every interrupt lands.
 *
 * The IDT holds one gate per vector, 256 of them (Intel SDM 3A, 6.11). Each
 * gate points to a stub in interrupts.asm, and every stub ends up in
 * interrupt_dispatch with the saved registers.
 * Vectors 0-31 are CPU exceptions, 32-47 the PIC's IRQs (see pic.c).
 */
#include "interrupts.h"
#include "crash.h"
#include "gdt.h"
#include "kprintf.h"
#include "pic.h"

struct gate {
    uint16_t offset_low;
    uint16_t selector;          /* the code segment the handler runs in */
    uint8_t zero;
    uint8_t type;               /* present, privilege level, gate type */
    uint16_t offset_high;
} __attribute__((packed));

#define INTERRUPT_GATE 0x8E     /* present, ring 0, 32-bit interrupt gate: IF is cleared on entry */

extern uint32_t isr_stubs[256];     /* interrupts.asm */
static struct gate idt[256];
static irq_handler irq_handlers[16];

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        idt[v] = (struct gate){
            .offset_low = isr_stubs[v] & 0xFFFF, .selector = KERNEL_CODE,
            .type = INTERRUPT_GATE, .offset_high = isr_stubs[v] >> 16,
        };
    }
    struct table_register p = { sizeof idt - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
}

void irq_register(int irq, irq_handler handler)
{
    irq_handlers[irq] = handler;
    pic_unmask(irq);
}

static void irq_dispatch(struct regs *r)
{
    int irq = r->vector - PIC_VECTOR_BASE;
    if (pic_is_spurious(irq))
        return;                 /* no EOI for a spurious IRQ: none is in service */
    if (irq_handlers[irq])
        irq_handlers[irq](r);
    pic_eoi(irq);
}

void interrupt_dispatch(struct regs *r)
{
    if (r->vector < EXCEPTIONS)
        crash_screen(r);        /* no exception is handled yet: stop and show it */
    else if (r->vector < PIC_VECTOR_BASE + 16)
        irq_dispatch(r);
    else
        kprintf("interrupt %u: no handler for this vector, ignored\n", r->vector);
}
