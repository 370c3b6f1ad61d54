/* kmain.c - the first C code: paint the screen red and say hello. */
#include <stdint.h>

/* VGA text mode: 80x25 cells at 0xB8000, each a character byte then an
   attribute byte (background colour in the high nibble, foreground in the low). */
#define VGA_TEXT ((volatile uint16_t *)0xB8000)
#define COLS 80
#define ROWS 25
#define WHITE_ON_RED 0x4F

static void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

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

void kmain(void)
{
    const char *msg = "Hello from kmain: 32-bit protected mode, booted by our own boot sector.";
    volatile uint16_t *row = VGA_TEXT + (ROWS / 2) * COLS;

    /* EXERCISE step01-paint BEGIN */
    for (int i = 0; i < COLS * ROWS; i++)
        VGA_TEXT[i] = WHITE_ON_RED << 8 | ' ';
    /* EXERCISE step01-paint STUB
       EXERCISE step01-paint END */
    /* EXERCISE step01-message BEGIN */
    for (int i = 0; msg[i]; i++)
        row[4 + i] = WHITE_ON_RED << 8 | msg[i];
    /* EXERCISE step01-message STUB
    (void)msg;
    (void)row;
       EXERCISE step01-message END */

    debug_print("step01: ready\n");
    serial_print("step01: ready\n");
    /* EXERCISE step01-halt BEGIN */
    for (;;)
        __asm__ volatile("hlt");   /* interrupts are off: sleep for good */
    /* EXERCISE step01-halt STUB
    return;
       EXERCISE step01-halt END */
}
