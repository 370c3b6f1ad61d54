/* kmain.c - find the RAM, put the heap in it, check it; then the console. */
#include <stdint.h>
#include "console.h"
#include "gdt.h"
#include "heap.h"
#include "interrupts.h"
#include "keyboard.h"
#include "kprintf.h"
#include "memmap.h"
#include "pic.h"
#include "selftest.h"
#include "serial.h"
#include "timer.h"
#include "vga.h"

static void heap_setup(void)
{
    uintptr_t start;
    size_t size;
    memmap_print();
    if (!memmap_heap_region(&start, &size))
        panic("no usable RAM above 1 MiB for the heap in the BIOS memory map");
    heap_init((void *)start, size);
    kprintf("heap: %u KiB at 0x%08x-0x%08x, the largest usable region\n",
            (unsigned)(size >> 10), (unsigned)start, (unsigned)(start + size - 1));
    heap_selftest(0);
}

void kmain(void)
{
    serial_init();
    gdt_init();
    idt_init();
    pic_init();
    timer_init();
    keyboard_init();

    vga_set_colour(VGA_WHITE, VGA_BLUE);
    vga_clear();
    vga_set_colour(VGA_YELLOW, VGA_BLUE);
    kprintf("step05: a kernel heap, in the RAM the BIOS reports\n");
    vga_set_colour(VGA_WHITE, VGA_BLUE);
    heap_setup();
    interrupts_on();
    kprintf("Type help and press Enter.\n\n");

    serial_puts("step05: ready\n");
    console_run();
}
