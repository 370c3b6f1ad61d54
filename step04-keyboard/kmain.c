/* kmain.c - set up interrupts, the timer and the keyboard; then the console. */
#include "console.h"
#include "gdt.h"
#include "interrupts.h"
#include "keyboard.h"
#include "kprintf.h"
#include "pic.h"
#include "serial.h"
#include "timer.h"
#include "vga.h"

void kmain(void)
{
    serial_init();
    gdt_init();
    idt_init();
    pic_init();
    timer_init();
    keyboard_init();
    interrupts_on();

    vga_set_colour(VGA_WHITE, VGA_BLUE);
    vga_clear();
    vga_set_colour(VGA_YELLOW, VGA_BLUE);
    kprintf("step04: interrupts, a timer at %d Hz and the keyboard\n", TIMER_HZ);
    vga_set_colour(VGA_WHITE, VGA_BLUE);
    kprintf("Type help and press Enter.\n\n");

    serial_puts("step04: ready\n");
    console_run();
}
