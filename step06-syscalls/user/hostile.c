/* hostile: a program that does what a user program may not. Each case is
 * a run of its own: hostile CASE, where CASE is one of those below. The
 * kernel must kill the program, say why, and carry on.
 */
#include "lib.h"

#define KERNEL_CODE 0x10000         /* where our kernel's code starts */

int main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";
    print("hostile: ");
    print(c);
    print("\n");
    if (!strcmp(c, "cli"))
        __asm__ volatile("cli");                    /* privileged: IOPL is 0 */
    else if (!strcmp(c, "hlt"))
        __asm__ volatile("hlt");                    /* ring 0 only */
    else if (!strcmp(c, "in"))
        __asm__ volatile("inb $0x60, %%al" : : : "eax");    /* the keyboard's port */
    else if (!strcmp(c, "out"))
        __asm__ volatile("outb %%al, $0x80" : : "a"(0));
    else if (!strcmp(c, "read-kernel"))
        print_hex(*(volatile unsigned *)KERNEL_CODE);
    else if (!strcmp(c, "write-kernel"))
        *(volatile unsigned *)KERNEL_CODE = 0xdeadbeef;
    else if (!strcmp(c, "jump-kernel"))
        ((void (*)(void))KERNEL_CODE)();
    else if (!strcmp(c, "int3"))
        __asm__ volatile("int3");
    else if (!strcmp(c, "int-0x81"))
        __asm__ volatile("int $0x81");
    else if (!strcmp(c, "int-0x20"))
        __asm__ volatile("int $0x20");              /* the timer's vector */
    else if (!strcmp(c, "divide")) {
        volatile int one = 1, zero = 0;     /* unknown to the compiler, */
        print_number(one / zero);           /* so it must divide */
    } else if (!strcmp(c, "ud2"))
        __asm__ volatile("ud2");
    else {
        print("usage: hostile cli|hlt|in|out|read-kernel|write-kernel|jump-kernel|"
              "int3|int-0x81|int-0x20|divide|ud2\n");
        return 2;
    }
    print("hostile: still alive, which is wrong\n");
    return 1;
}
