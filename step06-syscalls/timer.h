/* timer.h - the PIT, ticking at TIMER_HZ. */
#ifndef TIMER_H
#define TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);
uint32_t uptime(void);          /* ticks since timer_init */

#endif
