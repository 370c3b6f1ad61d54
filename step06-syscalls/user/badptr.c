/* badptr: system calls given pointers the kernel must refuse. Each case
 * is a run of its own: badptr null|kernel|unmapped|straddle|cross|wrap.
 * Every call must fail with -EFAULT (14) and do nothing else.
 */
#include "lib.h"

static char last_page_filler[16];

#define SYS_fstat64 197

/* write and read on the n bytes at p; and three calls that take a struct,
   put where the range ends, so that it is bad as the range is: a time
   written out (16 bytes), a signal set read in (8), a file's stat (96). */
static void try(const char *what, char *p, unsigned long n)
{
    print(what);
    print(" write ");
    print_number(write(1, p, n));
    print(", read ");
    print_number(read(0, p, n));
    print(", clock_gettime64 ");
    print_number(syscall3(SYS_clock_gettime64, 1, (long)(p + n - 16), 0));
    print(", rt_sigprocmask ");
    print_number(syscall6(SYS_rt_sigprocmask, 0, (long)(p + n - 8), 0, 8, 0, 0));
    print(", fstat64 ");
    print_number(syscall3(SYS_fstat64, 1, (long)(p + n - 96), 0));
    print("\n");
}

int main(int argc, char **argv)
{
    char local;
    /* The first page past the program's data: nothing is mapped there. */
    unsigned long data_end = ((unsigned long)last_page_filler + 4096) & ~4095ul;
    /* The first address above the stack: the kernel's side of the line. */
    unsigned long stack_end = ((unsigned long)&local + 4096) & ~4095ul;

    const char *c = argc > 1 ? argv[1] : "";
    if (!strcmp(c, "null"))
        try("NULL:", 0, 5);
    else if (!strcmp(c, "kernel"))
        try("kernel code at 0x10000:", (char *)0x10000, 5);
    else if (!strcmp(c, "unmapped"))
        try("unmapped page:", (char *)0x60000000, 5);
    else if (!strcmp(c, "straddle"))
        try("data into unmapped:", (char *)data_end - 8, 16);
    else if (!strcmp(c, "cross"))
        try("stack into the kernel:", &local, stack_end - (unsigned long)&local + 16);
    else if (!strcmp(c, "wrap"))
        try("wrapping past 4 GiB:", (char *)0xfffffff0, 0x20);
    else {
        print("usage: badptr null|kernel|unmapped|straddle|cross|wrap\n");
        return 2;
    }
    return 0;
}
