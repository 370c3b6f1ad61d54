/* crash.h - the crash screen for an exception the kernel cannot handle. */
#ifndef CRASH_H
#define CRASH_H

#include "interrupts.h"

_Noreturn void crash_screen(struct regs *r);

/* "page fault" for 14, and so on (Intel SDM 3A, table 6-1). */
const char *exception_name(uint32_t vector);

#endif
