/* pic.h - the two 8259A programmable interrupt controllers. */
#ifndef PIC_H
#define PIC_H

#include <stdbool.h>

#define PIC_VECTOR_BASE 0x20    /* IRQ 0-7 at 0x20-0x27, IRQ 8-15 at 0x28-0x2F */

void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);
bool pic_is_spurious(int irq);

#endif
