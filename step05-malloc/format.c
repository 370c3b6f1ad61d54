/* format.c - the formatting core of kprintf.

   kformat hands each character it produces to an output function, so the same
   code prints to the screen, the serial port or a buffer (ksnprintf). Each '%'
   conversion is parsed into a struct spec, and every field, number or not, is
   padded to its width by one function, put_field. */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"

/* A wider field is a mistake in the caller; the cap keeps the width
   arithmetic from overflowing. */
#define MAX_WIDTH 4096

struct spec {
    bool left;      /* '-': pad on the right */
    bool zero;      /* '0': pad with zeros, after any sign or "0x" */
    bool is_long;   /* 'l': the argument is a long */
    int width;      /* the least number of characters to produce */
    char conv;      /* the conversion letter, or '\0' if the format ended */
};

/* Where the characters go, and how many have gone there. */
struct sink {
    format_out out;
    void *context;
    int count;
};

static void put(struct sink *s, char c)
{
    s->out(c, s->context);
    s->count++;
}

static void put_chars(struct sink *s, const char *p, int n)
{
    while (n-- > 0)
        put(s, *p++);
}

static void pad(struct sink *s, char c, int n)
{
    while (n-- > 0)
        put(s, c);
}

static int length(const char *p)
{
    int n = 0;
    while (p[n])
        n++;
    return n;
}

/* Print prefix and body as one field of at least sp->width characters.
   Zeros go between the two, so "-" and "0x" stay in front of them. */
static void put_field(struct sink *s, const struct spec *sp, const char *prefix,
                      const char *body, int n)
{
    int fill = sp->width - length(prefix) - n;

    if (!sp->left && !sp->zero)
        pad(s, ' ', fill);
    put_chars(s, prefix, length(prefix));
    if (!sp->left && sp->zero)
        pad(s, '0', fill);
    put_chars(s, body, n);
    if (sp->left)
        pad(s, ' ', fill);
}

static void put_number(struct sink *s, const struct spec *sp, unsigned long value,
                       unsigned long base, const char *prefix)
{
    const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[3 * sizeof(unsigned long)];   /* a byte needs at most 3 decimal digits */
    char *end = buf + sizeof buf;
    char *p = end;

    do {
        *--p = digits[value % base];
        value /= base;
    } while (value != 0);
    put_field(s, sp, prefix, p, (int)(end - p));
}

/* Read the flags, width, length and conversion letter after a '%'.
   Returns where the format goes on. */
static const char *parse_spec(const char *p, struct spec *sp)
{
    sp->left = sp->zero = sp->is_long = false;
    sp->width = 0;
    for (; *p == '-' || *p == '0'; p++) {
        if (*p == '-')
            sp->left = true;
        else
            sp->zero = true;
    }
    sp->zero = sp->zero && !sp->left;   /* as in C, '-' wins over '0' */
    for (; *p >= '0' && *p <= '9'; p++) {
        sp->width = sp->width * 10 + (*p - '0');
        if (sp->width > MAX_WIDTH)
            sp->width = MAX_WIDTH;
    }
    if (*p == 'l') {
        sp->is_long = true;
        p++;
    }
    sp->conv = *p;
    return *p ? p + 1 : p;
}

/* The conversions we know, and the ones that take 'l'. */
static bool supported(const struct spec *sp)
{
    const char *p = sp->is_long ? "diuxX" : "cdiuxXsp%";

    while (*p && *p != sp->conv)
        p++;
    return *p != '\0';
}

/* Print one supported conversion, taking its argument from ap. */
static void convert(struct sink *s, const struct spec *sp, va_list *ap)
{
    char c;
    long n;
    const char *str;
    void *ptr;

    switch (sp->conv) {
    case 'c':
        c = (char)va_arg(*ap, int);
        put_field(s, sp, "", &c, 1);
        break;
    case 's':
        str = va_arg(*ap, const char *);
        if (str == NULL)
            str = "(null)";
        put_field(s, sp, "", str, length(str));
        break;
    case 'd':
    case 'i':
        n = sp->is_long ? va_arg(*ap, long) : va_arg(*ap, int);
        /* EXERCISE step03-negative BEGIN */
        /* Negate in unsigned arithmetic: -LONG_MIN does not fit in a long. */
        put_number(s, sp, n < 0 ? 0UL - (unsigned long)n : (unsigned long)n, 10,
                   n < 0 ? "-" : "");
        /* EXERCISE step03-negative STUB
        put_number(s, sp, (unsigned long)n, 10, "");
           EXERCISE step03-negative END */
        break;
    case 'u':
    case 'x':
    case 'X':
        put_number(s, sp, sp->is_long ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int),
                   sp->conv == 'u' ? 10 : 16, "");
        break;
    case 'p':
        ptr = va_arg(*ap, void *);
        if (ptr == NULL)
            put_field(s, sp, "", "(nil)", 5);
        else
            put_number(s, sp, (unsigned long)(uintptr_t)ptr, 16, "0x");
        break;
    default:   /* '%' */
        put(s, '%');
        break;
    }
}

int kformat(format_out out, void *context, const char *fmt, va_list args)
{
    struct sink s = { out, context, 0 };
    struct spec sp;
    va_list ap;

    /* A copy, so convert() can take arguments through a pointer to it. */
    va_copy(ap, args);
    while (*fmt) {
        const char *start = fmt;

        if (*fmt != '%') {
            put(&s, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp);
        if (supported(&sp))
            convert(&s, &sp, &ap);
        else   /* show what we cannot read, as it was written */
            put_chars(&s, start, (int)(fmt - start));
    }
    va_end(ap);
    return s.count;
}

struct buffer {   /* what kvsnprintf fills */
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_out(char c, void *context)
{
    struct buffer *b = context;

    /* EXERCISE step03-snprintf BEGIN */
    if (b->used + 1 < b->size)   /* keep the last byte for the NUL */
        b->buf[b->used++] = c;
    /* EXERCISE step03-snprintf STUB
    b->buf[b->used++] = c;
       EXERCISE step03-snprintf END */
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct buffer b = { buf, size, 0 };
    int n = kformat(buffer_out, &b, fmt, args);

    if (size > 0)
        buf[b.used] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = kvsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
