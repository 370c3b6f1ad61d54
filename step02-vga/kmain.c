/* kmain.c - show off the VGA driver: colours, scrolling, tabs, backspace. */
#include "io.h"
#include "vga.h"

static const char *names[16] = {
    "black", "blue", "green", "cyan", "red", "magenta", "brown", "grey",
    "dark grey", "lt blue", "lt green", "lt cyan", "lt red", "pink", "yellow", "white",
};

/* Port 0xE9 is the "debug console" of QEMU (-debugcon) and Bochs
   (port_e9_hack): bytes written there appear on the host. */
static void debug_print(const char *s)
{
    while (*s)
        outb(0xE9, *s++);
}

/* The same on COM1, the first serial port, which every later step uses:
   115200 baud, 8N1, and a wait for room before each byte (step03 explains
   the UART). */
static void serial_print(const char *s)
{
    outb(0x3FB, 0x80);          /* line control: DLAB, to set the divisor */
    outb(0x3F8, 1);             /* divisor 1: 115200 baud */
    outb(0x3F9, 0);
    outb(0x3FB, 0x03);          /* 8 data bits, no parity, 1 stop bit */
    for (; *s; s++) {
        while (!(inb(0x3FD) & 0x20))
            ;                   /* line status: transmitter not empty yet */
        outb(0x3F8, *s);
    }
}

/* Print on the screen, and mirror the same bytes to port 0xE9 so the tests
   can check the screen against what was printed. */
static void print(const char *s)
{
    vga_puts(s);
    debug_print(s);
}

/* Two decimal digits at s[0] and s[1]. */
static void put2(char *s, int n)
{
    s[0] = '0' + n / 10 % 10;
    s[1] = '0' + n % 10;
}

/* One 10-cell swatch per colour: 8 of them fill an 80-column row. */
static void show_colours(void)
{
    for (int c = 0; c < 16; c++) {
        char swatch[] = "          ";
        for (int i = 0; names[c][i] && i < 9; i++)
            swatch[i + 1] = names[c][i];
        vga_set_colour(c == VGA_LIGHT_GREY || c > VGA_DARK_GREY ? VGA_BLACK : VGA_WHITE, c);
        print(swatch);
    }
    vga_set_colour(VGA_WHITE, VGA_BLUE);
}

void kmain(void)
{
    vga_set_colour(VGA_WHITE, VGA_BLUE);
    vga_clear();

    for (int i = 1; i <= 20; i++) {
        char line[] = "Scrolling: line 00 of 20\n";
        put2(line + 16, i);
        print(line);
    }
    print("The 16 VGA colours:\n");
    show_colours();
    print("Tabs:\tto column 8\tcolumn 24\tcolumn 40\t\tcolumn 64\n");
    print("Backspace: 1234\b\bxy\n");
    print("\b\bBackspace at column 0 stays at column 0\n");
    print("........ returns to column 0\rCarriage\n");
    vga_set_colour(VGA_YELLOW, VGA_BLUE);
    print("step02: a VGA text driver. The cursor follows the text ->");

    char report[] = "\nstep02: cursor row 00 column 00\n";
    int cursor = vga_cursor();
    put2(report + 20, cursor / VGA_COLS);
    put2(report + 30, cursor % VGA_COLS);
    debug_print(report);
    debug_print("step02: ready\n");
    serial_print("step02: ready\n");
    for (;;)
        __asm__ volatile("hlt");   /* interrupts are off: sleep for good */
}
