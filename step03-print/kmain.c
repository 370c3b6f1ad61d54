/* kmain.c - kprintf at work: the screen and COM1 show the same text. */
#include "kprintf.h"
#include "serial.h"
#include "vga.h"

/* Symbols from linker.ld: their addresses are the kernel's bounds. */
extern char _start[], __bss_start[], __bss_end[];

void kmain(void);

/* The limits of int and long, from the compiler's own predefined macros.
 * <limits.h> would do, but gcc's copy reaches into the host's C library
 * headers (#include_next), and a kernel is built with none of those. */
#define INT_MIN   (-__INT_MAX__ - 1)
#define UINT_MAX  (__INT_MAX__ * 2u + 1u)
#define LONG_MIN  (-__LONG_MAX__ - 1L)
#define ULONG_MAX (__LONG_MAX__ * 2ul + 1ul)

/* Never assigned: NULL, because entry.asm cleared the BSS. */
const char *no_name;

static void show_conversions(void)
{
    char small[8];
    int n = ksnprintf(small, sizeof small, "%s", "hello, world");

    kprintf("%-18s%d\n", "%d of INT_MIN", INT_MIN);
    kprintf("%-18s%u\n", "%u of UINT_MAX", UINT_MAX);
    kprintf("%-18s%x %X\n", "%x and %X", 0xC0FFEEu, 0xC0FFEEu);
    kprintf("%-18s%08x\n", "%08x", 0xBEEF);
    kprintf("%-18s|%-8s|%8s|\n", "%-8s and %8s", "left", "right");
    kprintf("%-18s%ld %lu\n", "%ld and %lu", LONG_MIN, ULONG_MAX);
    kprintf("%-18s%c%c%c\n", "%c", 'O', 'S', '!');
    kprintf("%-18s%p\n", "%p of kmain", (void *)kmain);
    kprintf("%-18s100%%\n", "%%");
    kprintf("%-18s%s\n", "%s of NULL", no_name);
    /* The compiler checks a literal format and would refuse this mistake
       made on purpose; a format in a variable is not checked. */
    const char *unknown = "%-18s%q is printed as it is\n";
    kprintf(unknown, "unknown %q");
    kprintf("%-18s\"%s\", returned %d\n", "ksnprintf(buf, 8)", small, n);
}

void kmain(void)
{
    serial_init();
    vga_set_colour(VGA_WHITE, VGA_BLUE);
    vga_clear();

    vga_set_colour(VGA_YELLOW, VGA_BLUE);
    kprintf("step03: kprintf prints here and on the serial port COM1\n\n");
    vga_set_colour(VGA_WHITE, VGA_BLUE);
    kprintf("The kernel: %p to %p, %u bytes loaded, %u bytes of BSS\n\n",
            (void *)_start, (void *)__bss_end,
            (unsigned)(__bss_start - _start), (unsigned)(__bss_end - __bss_start));
    show_conversions();

    /* Reports for the tests, on serial only: where the CRT controller put
       the cursor, and that the kernel is ready. */
    char report[48];
    int cursor = vga_cursor();
    ksnprintf(report, sizeof report, "step03: cursor row %d column %d\n",
              cursor / VGA_COLS, cursor % VGA_COLS);
    serial_puts(report);
    serial_puts("step03: ready\n");
    for (;;)
        __asm__ volatile("hlt");   /* interrupts are off: sleep for good */
}
