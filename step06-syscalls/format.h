/* format.h - the formatting core of kprintf: %c %s %d %i %u %x %X %p %%,
   the flags '-' and '0', a field width, and 'l' on d i u x X. */
#ifndef FORMAT_H
#define FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* The formatting core: turns a format and its arguments into characters
   handed one at a time to an output function. */
typedef void (*format_out)(char c, void *context);

/* Returns the number of characters produced. */
int kformat(format_out out, void *context, const char *fmt, va_list args);

/* Like C's snprintf: write at most size bytes, NUL included, and return the
   length the whole output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int ksnprintf(char *buf, size_t size, const char *fmt, ...);

#endif
