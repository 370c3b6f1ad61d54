/* crash.c - when the CPU raises an exception nobody handles, show all we
 * know, on the screen in red and on serial, and stop. This path must work
 * when everything else is broken: it takes no locks and allocates nothing.
 */
#include "crash.h"
#include "kprintf.h"
#include "vga.h"

/* Intel SDM 3A, table 6-1. */
static const char *names[EXCEPTIONS] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
    "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
    "invalid TSS", "segment not present", "stack-segment fault", "general protection",
    "page fault", "reserved", "x87 floating-point error", "alignment check", "machine check",
    "SIMD floating-point", "virtualization", "control protection", "reserved", "reserved",
    "reserved", "reserved", "reserved", "reserved", "hypervisor injection",
    "VMM communication", "security", "reserved",
};

_Noreturn void crash_screen(struct regs *r)
{
    /* No ring change: the CPU pushed no ESP, so the interrupted code's
       stack pointer is just above the EFLAGS it pushed. */
    uint32_t esp = (uint32_t)(&r->eflags + 1);

    vga_set_colour(VGA_WHITE, VGA_RED);
    vga_clear();
    kprintf("KERNEL PANIC: %s (exception %u)\n\n", names[r->vector], r->vector);
    /* EXERCISE step04-crash-registers BEGIN */
    kprintf("  error code 0x%08x\n", r->error);
    kprintf("  eip 0x%08x   cs 0x%04x   eflags 0x%08x\n", r->eip, r->cs, r->eflags);
    kprintf("  eax 0x%08x   ebx 0x%08x   ecx 0x%08x   edx 0x%08x\n",
            r->eax, r->ebx, r->ecx, r->edx);
    kprintf("  esi 0x%08x   edi 0x%08x   ebp 0x%08x   esp 0x%08x\n",
            r->esi, r->edi, r->ebp, esp);
    /* EXERCISE step04-crash-registers STUB
    (void)esp;
       EXERCISE step04-crash-registers END */
    kprintf("\nThe kernel has stopped.\n");
    for (;;)
        __asm__ volatile("cli; hlt");
}
