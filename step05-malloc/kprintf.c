/* kprintf.c - print to the screen and mirror every character to COM1, so
 * what the kernel says can be read on the host too. panic is the way out
 * when something is wrong beyond repair: say what, loudly, and stop.
 */
#include <stdarg.h>
#include "kprintf.h"
#include "serial.h"
#include "vga.h"

static void console_out(char c, void *context)
{
    (void)context;
    vga_putc(c);
    serial_putc(c);
}

int kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = kformat(console_out, 0, fmt, args);
    va_end(args);
    return n;
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list args;
    __asm__ volatile("cli");    /* nothing may interrupt us from here on */
    /* EXERCISE step03-panic BEGIN */
    vga_set_colour(VGA_WHITE, VGA_RED);
    kprintf("\nKERNEL PANIC: ");
    va_start(args, fmt);
    kformat(console_out, 0, fmt, args);
    va_end(args);
    kprintf("\nThe kernel has stopped.\n");
    /* EXERCISE step03-panic STUB
    (void)fmt;
    (void)args;
       EXERCISE step03-panic END */
    for (;;)
        __asm__ volatile("hlt");
}
