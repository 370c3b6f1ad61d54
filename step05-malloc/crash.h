/* crash.h - the crash screen for an exception the kernel cannot handle. */
#ifndef CRASH_H
#define CRASH_H

#include "interrupts.h"

_Noreturn void crash_screen(struct regs *r);

#endif
