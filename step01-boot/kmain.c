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

/* Port 0xE9 is the "debug console" of QEMU (-debugcon) and Bochs
   (port_e9_hack): bytes written there appear on the host. */
static void debug_print(const char *s)
{
    while (*s)
        outb(0xE9, *s++);
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
    /* EXERCISE step01-halt BEGIN */
    for (;;)
        __asm__ volatile("hlt");   /* interrupts are off: sleep for good */
    /* EXERCISE step01-halt STUB
    return;
       EXERCISE step01-halt END */
}
