/* args.c - the fuzzer's argument classes: the values a careless or hostile
 * program passes for an address, a buffer, a length or a file descriptor,
 * drawn at random. Each call's own arguments are made from these in
 * memory.c, files.c and process.c. */
#include "fuzz.h"

/* Addresses no program may touch, on our kernel and on Linux alike: NULL,
   our kernel (below 0x08000000), Linux's (0xC0000000 and up, on a 32-bit
   Linux), nothing mapped, and the last bytes before 4 GiB. */
unsigned long bad_address(void)
{
    return PICK(0, 1, 0x1000, 0xb8000, 0x100000, 0xc0000000, 0xc0100000, 0xfffff000,
                0x20000000, HOLE, HOLE + 0x800, 0xffffffff);
}

/* A buffer of length n that the call may read (to write it out): good,
   bad, straddling into a hole, or wrapping past 4 GiB. */
unsigned long source(unsigned long n)
{
    switch (random() % 6) {
    case 0: return bad_address();
    case 1: return RDONLY - n / 2;                  /* text, then the read-only zeros */
    case 2: return 0 - n / 2;                       /* wraps past 4 GiB */
    case 3: return HOLE - 8;                        /* straddles into the hole */
    default: return DATA + random() % 64;
    }
}

/* A buffer the call would write into: as above, and the read-only page. */
unsigned long destination(unsigned long n)
{
    if (random() % 5 == 0)
        return PICK(RDONLY + random() % 64, RDONLY - 8);
    return source(n);
}

/* A buffer of length 0 is never touched, but where it may be differs: a
   32-bit Linux wants it below 0xC0000000, a 64-bit Linux anywhere, and
   qemu-i386 below 0xFFFFF000. Only the first answer holds on all three. */
unsigned long no_empty_at_top(unsigned long p, unsigned long n)
{
    return n == 0 && p >= 0xc0000000 ? DATA : p;
}

/* Is [p, p + n) all in the read-write playground? */
int good_range(unsigned long p, unsigned long n)
{
    return p >= DATA && p + n >= p && p + n <= RDONLY;
}

unsigned long length(void)
{
    return PICK(0, 1, 5, 16, 100, 4095, 4096, 4097, 0x10000, 0x7fffffff, 0x80000000,
                0xffffffff, random() % 200);
}

/* No program has these open: here every fd above 2 is bad, and Linux
   allows 1024 open files unless told otherwise (smaller fds may be open
   in a shell that starts qemu-i386). */
unsigned long bad_fd(void)
{
    return PICK(1024, 4096, 65535, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff);
}

/* Where a call writes a struct of n bytes: OUTPUT, bad, straddling into
   the hole after it, or read-only. */
unsigned long output(unsigned long n)
{
    switch (random() % 6) {
    case 0: return bad_address();
    case 1: return OUTPUT_END - n / 2;
    case 2: return RDONLY;
    default: return OUTPUT + 4 * (random() % 64);
    }
}

unsigned long *input(void)
{
    return (unsigned long *)INPUT;
}
