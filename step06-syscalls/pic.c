/* pic.c - the 8259A interrupt controllers, master and slave.
 *
 * A PC has two 8259As in cascade: the slave's output goes into the master's
 * IRQ 2, giving IRQs 0-15. The BIOS leaves IRQ 0-7 on vectors 8-15, which in
 * protected mode belong to CPU exceptions (a timer tick would look like a
 * double fault), so we move them to 0x20-0x2F with the initialisation
 * sequence ICW1-ICW4 (8259A data sheet, "Programming the 8259A").
 */
#include "pic.h"
#include "io.h"

#define MASTER_CMD  0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD   0xA0
#define SLAVE_DATA  0xA1

#define ICW1_INIT_ICW4 0x11     /* start initialisation; ICW4 will follow */
#define ICW4_8086      0x01     /* 8086 mode (not MCS-80/85) */
#define OCW2_EOI       0x20     /* non-specific end of interrupt */
#define OCW3_READ_ISR  0x0B     /* next read of the command port gives the in-service register */

void pic_init(void)
{
    outb(MASTER_CMD, ICW1_INIT_ICW4);
    outb(SLAVE_CMD, ICW1_INIT_ICW4);
    outb(MASTER_DATA, PIC_VECTOR_BASE);         /* ICW2: first vector */
    outb(SLAVE_DATA, PIC_VECTOR_BASE + 8);
    outb(MASTER_DATA, 1 << 2);                  /* ICW3: a slave on IRQ 2 */
    outb(SLAVE_DATA, 2);                        /* ICW3: the slave's cascade identity */
    outb(MASTER_DATA, ICW4_8086);
    outb(SLAVE_DATA, ICW4_8086);
    outb(MASTER_DATA, 0xFF & ~(1 << 2));        /* mask everything but the cascade */
    outb(SLAVE_DATA, 0xFF);
}

void pic_unmask(int irq)
{
    uint16_t port = irq < 8 ? MASTER_DATA : SLAVE_DATA;
    outb(port, inb(port) & ~(1 << (irq % 8)));
}

/* The slave's IRQs went through the master's IRQ 2: both need an EOI. */
void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(SLAVE_CMD, OCW2_EOI);
    outb(MASTER_CMD, OCW2_EOI);
}

/* A PIC raises IRQ 7 (or 15) when a request goes away before the CPU takes
   it. Then the in-service bit is clear, and no EOI must be sent for it,
   except to the master for a spurious IRQ 15, which came through IRQ 2. */
bool pic_is_spurious(int irq)
{
    if (irq != 7 && irq != 15)
        return false;
    uint16_t cmd = irq == 7 ? MASTER_CMD : SLAVE_CMD;
    outb(cmd, OCW3_READ_ISR);
    if (inb(cmd) & 0x80)
        return false;
    if (irq == 15)
        outb(MASTER_CMD, OCW2_EOI);
    return true;
}
