/* lib.h - the few helpers user programs share: strings and printing.
 * Each program is one .c file, so these are static functions in a header.
 */
#ifndef LIB_H
#define LIB_H

#include "syscall.h"

static inline unsigned long strlen(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static inline int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

static inline void print(const char *s)
{
    write(1, s, strlen(s));
}

/* n in decimal, with a minus sign when negative. */
static inline void print_number(long n)
{
    char buf[12];
    int i = sizeof buf;
    unsigned long u = n < 0 ? -(unsigned long)n : (unsigned long)n;
    do {
        buf[--i] = '0' + u % 10;
        u /= 10;
    } while (u);
    if (n < 0)
        buf[--i] = '-';
    write(1, buf + i, sizeof buf - i);
}

static inline void print_hex(unsigned long n)
{
    char buf[10] = "0x";
    for (int i = 0; i < 8; i++)
        buf[2 + i] = "0123456789abcdef"[(n >> (28 - 4 * i)) & 15];
    write(1, buf, 10);
}

#endif
