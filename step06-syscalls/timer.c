/* timer.c - the 8253/8254 programmable interval timer on IRQ 0.
 *
 * Channel 0 counts down from a divisor at 1,193,182 Hz and raises IRQ 0
 * each time it reaches zero. 1193182 / 100 = 11931 gives 100.007 ticks a second.
 */
#include "timer.h"
#include "interrupts.h"
#include "io.h"

#define PIT_FREQUENCY 1193182
#define PIT_CHANNEL0  0x40
#define PIT_COMMAND   0x43
#define PIT_RATE_GEN  0x34      /* channel 0, low then high byte, mode 2 (rate generator) */

static volatile uint32_t ticks;

static void tick(struct regs *r)
{
    (void)r;
    ticks++;
}

uint32_t uptime(void)
{
    return ticks;
}

void timer_init(void)
{
    uint16_t divisor = PIT_FREQUENCY / TIMER_HZ;
    outb(PIT_COMMAND, PIT_RATE_GEN);
    outb(PIT_CHANNEL0, divisor & 0xFF);
    outb(PIT_CHANNEL0, divisor >> 8);
    irq_register(0, tick);
}
