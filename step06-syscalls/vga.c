/* vga.c - a console on the VGA text screen.
 *
 * In text mode the VGA card shows the 80x25 cells it finds at 0xB8000.
 * Each cell is two bytes: the character (code page 437), then an attribute
 * whose low nibble is the foreground colour and high nibble the background.
 * The blinking cursor is separate: the CRT controller draws it wherever its
 * "cursor location" registers say.
 */
#include "vga.h"
#include "io.h"

#define VGA_TEXT ((volatile uint16_t *)0xB8000)
#define CRTC_INDEX 0x3D4            /* CRT controller: select a register */
#define CRTC_DATA  0x3D5            /* ... then read or write it here */
#define CURSOR_HIGH 0x0E            /* cursor location, high byte */
#define CURSOR_LOW  0x0F            /* cursor location, low byte */

static int row, col;
static uint8_t colour = VGA_LIGHT_GREY | VGA_BLACK << 4;

static uint16_t cell(char c)
{
    return (uint16_t)colour << 8 | (uint8_t)c;
}

/* The CRT controller counts cells from the top left (the VGA register
   reference calls them Cursor Location High/Low, CRTC 0Eh/0Fh). */
static void move_cursor(void)
{
    /* EXERCISE step02-cursor BEGIN */
    uint16_t pos = row * VGA_COLS + col;
    outb(CRTC_INDEX, CURSOR_HIGH);
    outb(CRTC_DATA, pos >> 8);
    outb(CRTC_INDEX, CURSOR_LOW);
    outb(CRTC_DATA, pos & 0xFF);
    /* EXERCISE step02-cursor STUB
       EXERCISE step02-cursor END */
}

int vga_cursor(void)
{
    outb(CRTC_INDEX, CURSOR_HIGH);
    int pos = inb(CRTC_DATA) << 8;
    outb(CRTC_INDEX, CURSOR_LOW);
    return pos | inb(CRTC_DATA);
}

void vga_set_colour(enum vga_colour fg, enum vga_colour bg)
{
    colour = fg | bg << 4;
}

void vga_clear(void)
{
    for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
        VGA_TEXT[i] = cell(' ');
    row = col = 0;
    move_cursor();
}

/* Blank the cell before the cursor and move there, across the start of a
   row to the end of the row above: Backspace in a line longer than a row. */
void vga_erase(void)
{
    if (col > 0)
        col--;
    else if (row > 0)
        row--, col = VGA_COLS - 1;
    VGA_TEXT[row * VGA_COLS + col] = cell(' ');
    move_cursor();
}

/* Move every row up by one and blank the bottom row in the current colours. */
static void scroll(void)
{
    /* EXERCISE step02-scroll BEGIN */
    for (int i = 0; i < VGA_COLS * (VGA_ROWS - 1); i++)
        VGA_TEXT[i] = VGA_TEXT[i + VGA_COLS];
    for (int i = 0; i < VGA_COLS; i++)
        VGA_TEXT[(VGA_ROWS - 1) * VGA_COLS + i] = cell(' ');
    row = VGA_ROWS - 1;
    /* EXERCISE step02-scroll STUB
    row = 0;
       EXERCISE step02-scroll END */
}

static void newline(void)
{
    col = 0;
    if (++row == VGA_ROWS)
        scroll();
}

void vga_putc(char c)
{
    switch (c) {
    case '\n':
        newline();
        break;
    case '\r':
        col = 0;
        break;
    /* EXERCISE step02-tab-backspace BEGIN */
    case '\t':
        col = (col + 8) & ~7;       /* the next multiple of 8 */
        if (col >= VGA_COLS)
            newline();
        break;
    case '\b':
        if (col > 0)                /* never back past the start of the row */
            col--;
        break;
    /* EXERCISE step02-tab-backspace STUB
       EXERCISE step02-tab-backspace END */
    default:
        VGA_TEXT[row * VGA_COLS + col] = cell(c);
        if (++col == VGA_COLS)
            newline();
    }
    move_cursor();
}

void vga_puts(const char *s)
{
    while (*s)
        vga_putc(*s++);
}
