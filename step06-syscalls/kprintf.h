/* kprintf.h - formatted printing to the screen and COM1, and panic. */
#ifndef KPRINTF_H
#define KPRINTF_H

#include "format.h"

/* format(printf...) lets the compiler check the arguments against the format. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
