/* kmain.c - find the RAM and share it between the heap and the pages of
 * user programs; turn on paging; then the console, which runs programs. */
#include <stdint.h>
#include "console.h"
#include "fs.h"
#include "gdt.h"
#include "heap.h"
#include "interrupts.h"
#include "keyboard.h"
#include "kprintf.h"
#include "memmap.h"
#include "pages.h"
#include "paging.h"
#include "pic.h"
#include "selftest.h"
#include "serial.h"
#include "timer.h"
#include "vga.h"

#define HEAP_SIZE (4u << 20)    /* the kernel needs little; the rest is pages */

static void memory_setup(void)
{
    uintptr_t start;
    size_t size;
    memmap_print();
    if (!memmap_heap_region(&start, &size))
        panic("no usable RAM above 1 MiB in the BIOS memory map");
    size_t room = start < KERNEL_END ? KERNEL_END - start : 0;
    if (size > room)
        size = room;                    /* what the kernel maps one to one */
    if (size < 2 * HEAP_SIZE)
        panic("only %u KiB of RAM above 1 MiB to map; this kernel needs %u KiB",
              (unsigned)(size >> 10), 2 * HEAP_SIZE >> 10);
    heap_init((void *)start, HEAP_SIZE);
    pages_init(start + HEAP_SIZE, size - HEAP_SIZE);
    kprintf("heap: %u KiB at 0x%08x-0x%08x; pages: 0x%08x-0x%08x\n", HEAP_SIZE >> 10,
            (unsigned)start, (unsigned)(start + HEAP_SIZE - 1),
            (unsigned)(start + HEAP_SIZE), (unsigned)(start + size - 1));
    paging_init(start + size);
    kprintf("paging on: 0x00000000-0x%08x one to one, ring 0 only; %u pages free\n",
            (unsigned)(PGROUNDUP(start + size) - 1), (unsigned)pages_free());
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
    kprintf("step06: user programs in ring 3, and system calls\n");
    vga_set_colour(VGA_WHITE, VGA_BLUE);
    memory_setup();
    fs_init();
    interrupts_on();
    kprintf("Type help and press Enter, or ls /bin for the programs.\n\n");

    serial_puts("step06: ready\n");
#ifdef AUTORUN
    char line[] = AUTORUN;
    kprintf("> %s\n", line);
    console_execute(line);
#endif
    console_run();
}
