/* vga.h - the VGA text-mode console: 80x25 cells, 16 colours. */
#ifndef VGA_H
#define VGA_H

#include <stdint.h>

#define VGA_COLS 80
#define VGA_ROWS 25

/* The 16 colours in the order of the attribute byte's 4-bit values. */
enum vga_colour {
    VGA_BLACK, VGA_BLUE, VGA_GREEN, VGA_CYAN,
    VGA_RED, VGA_MAGENTA, VGA_BROWN, VGA_LIGHT_GREY,
    VGA_DARK_GREY, VGA_LIGHT_BLUE, VGA_LIGHT_GREEN, VGA_LIGHT_CYAN,
    VGA_LIGHT_RED, VGA_LIGHT_MAGENTA, VGA_YELLOW, VGA_WHITE,
};

void vga_set_colour(enum vga_colour fg, enum vga_colour bg);
void vga_clear(void);
void vga_putc(char c);
void vga_puts(const char *s);
void vga_erase(void);   /* Backspace, also from the start of a row */
int vga_cursor(void);   /* the hardware cursor's cell, row * VGA_COLS + col */

#endif
