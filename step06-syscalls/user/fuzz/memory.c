/* memory.c - the arguments of the calls that read or write a program's
 * memory, or change it: read, write, ioctl, readv, writev, brk, munmap,
 * mmap2, mprotect, set_thread_area, set_tid_address, getrandom, and the
 * calls that take none. */
#include "fuzz.h"

/* read(fd, buf, n): fd 0 only with a buffer it cannot fill (a good one
   would wait for the keyboard); other fds only with a good buffer, since
   qemu-i386 checks the buffer first and Linux the fd. */
enum answer make_read(unsigned long *a)
{
    a[0] = PICK(0, 0, 1, 2, bad_fd());
    a[2] = length();
    if (a[0] == 0) {
        do
            a[1] = destination(a[2]);
        while (good_range(a[1], a[2]) && a[2] > 0);
        a[1] = no_empty_at_top(a[1], a[2]);
    } else {
        a[2] %= 200;
        a[1] = DATA + random() % 64;
    }
    return EXACT;
}

/* write(fd, buf, n): on 1 and 2 anything; on a bad fd a good buffer. */
enum answer make_write(unsigned long *a)
{
    a[0] = PICK(1, 2, 0, bad_fd());
    a[2] = length();
    if (a[0] == 1 || a[0] == 2) {
        a[1] = source(a[2]);
        if (a[1] >= DATA && a[1] < HOLE && a[1] + a[2] <= HOLE)
            a[2] %= 100;                /* what it writes is short: the output stays small */
        a[1] = no_empty_at_top(a[1], a[2]);
    } else {
        a[2] %= 200;
        a[1] = DATA + random() % 64;
    }
    return EXACT;
}

enum answer make_nothing(unsigned long *a)
{
    a[0] = random();                    /* ignored */
    return ERROR_OR_NOT;
}

/* brk(end): a little above or below the current end, below the start, or
   far out of reach. Where the heap starts is Linux's choice, so the line
   shows the end asked for as "end+N", from the end as it was. */
int brk_relative;

enum answer make_brk(unsigned long *a)
{
    unsigned long step = random() % 0x6000;
    brk_relative = 0;
    switch (random() % 5) {
    case 0: a[0] = 0; break;
    case 1: a[0] = brk_now + step, brk_relative = 1; break;
    case 2: a[0] = brk_now - step % 0x2000, brk_relative = 1; break;
    case 3: a[0] = 0x08048000; break;              /* into the program itself */
    default: a[0] = PICK(0xc0000000, 0xffffffff, 0xfffff000, 1); break;
    }
    return ERROR_OR_NOT;
}

/* ioctl(fd, request, arg): requests that ask a terminal something, on the
   standard fds (pipes under qemu-i386, a console here: no terminal either
   way) and on bad fds. Not other requests: qemu-i386 copies in a request's
   argument before it asks the fd (-EFAULT where Linux says -ENOTTY), and
   answers requests it does not know with -ENOSYS. */
enum answer make_ioctl(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    a[1] = PICK(0x5401, 0x5413, 0x540f);    /* TCGETS, TIOCGWINSZ, TIOCGPGRP */
    a[2] = PICK(0, DATA, RDONLY, bad_address());
    return EXACT;
}

/* An iovec array at IOV: count entries, good ones but for at most one bad
   entry (a bad address or a negative length) at position bad. Linux and
   qemu-i386 agree on such arrays; on several bad entries they differ. */
static void fill_iovecs(unsigned long count, long bad, int fd0)
{
    unsigned long *iov = (unsigned long *)IOV;
    for (unsigned long i = 0; i < count && i < 1024; i++) {
        iov[2 * i] = DATA + random() % 64;
        iov[2 * i + 1] = 1 + random() % (fd0 || count > 3 ? 1 : 20);
        if ((long)i == bad) {
            if (random() % 3 == 0)
                iov[2 * i + 1] = PICK(0x80000000, 0xffffffff);
            else
                iov[2 * i] = PICK(0, 0x1000, 0x20000000, 0xc0000000, HOLE);
        }
    }
}

/* readv(fd, iov, count) and writev(fd, iov, count). */
static enum answer make_iov(unsigned long *a, int reading)
{
    a[0] = reading ? PICK(0, 0, 1, bad_fd()) : PICK(1, 2, 0, bad_fd());
    int good_fd = reading ? a[0] == 0 : a[0] == 1 || a[0] == 2;
    a[1] = IOV;
    if (!good_fd) {                     /* then all else must be good */
        a[2] = 1 + random() % 3;
        fill_iovecs(a[2], -1, 0);
        return EXACT;
    }
    a[2] = PICK(0, 1, 2, 3, 1024, 1025, 0xffffffff, 0x80000000, 0x20000001);
    if (random() % 4 == 0)
        a[1] = PICK(0, 0xc0000000, 0x20000000, HOLE - 4, 0xfffffff8, RDONLY);
    long bad = reading ? 0 : (long)(random() % 4) - 1;  /* readv: only the first */
    fill_iovecs(a[2], bad, reading);
    return EXACT;
}

enum answer make_readv(unsigned long *a)
{
    return make_iov(a, 1);
}

enum answer make_writev(unsigned long *a)
{
    return make_iov(a, 0);
}

/* munmap(addr, length): in the map area, unaligned, or wrapping. */
enum answer make_munmap(unsigned long *a)
{
    a[0] = MAPAREA + PAGE * (random() % 64);
    a[1] = PICK(0, 1, PAGE, 2 * PAGE, 3 * PAGE + 1, 0xffffffff, 0xfffff000);
    if (random() % 4 == 0)
        a[0] += PICK(1, 0x800, 0xfff);
    return EXACT;
}

/* mmap2(addr, length, prot, flags, fd, pgoffset): anonymous memory, at a
   fixed place in the map area or where the kernel likes, shared or private,
   with one more flag bit at random. Left out, where qemu-i386 and Linux
   disagree: MAP_SHARED_VALIDATE, MAP_HUGETLB (it depends on the machine),
   MAP_FIXED_NOREPLACE, prot bits that do not exist, and a file mapping or
   an unaligned fixed address with anything else wrong (the two check in
   other orders). A length such as
   0x7fffffff is left out too: Linux maps it, lazily; we cannot. */
enum answer make_mmap2(unsigned long *a)
{
    static const unsigned long no_bits = 0x3 | 0x10 | 0x20 | 0x40000 | 0x100000;
    a[0] = MAPAREA + PAGE * (random() % 64);
    if (random() % 4 == 0)
        a[0] += PICK(1, 0x800, 0xfff);
    a[1] = PICK(0, 1, PAGE, 2 * PAGE, 3 * PAGE + 1, 0xffffffff, 0xfffff000, 0xfffff001);
    a[2] = random() % 8;                            /* PROT_READ, WRITE, EXEC */
    a[3] = PICK(0x22, 0x22, 0x32, 0x32, 0x21, 0x31);  /* private or shared, fixed or not */
    unsigned long bit = 1u << (random() % 32);
    if (random() % 3 == 0 && !(bit & no_bits))
        a[3] |= bit;
    a[4] = PICK(0xffffffff, 0, 1024);               /* ignored: anonymous */
    a[5] = 0;
    if (a[0] % PAGE && a[3] & 0x10)                 /* qemu-i386 checks this before the length */
        a[1] = PICK(1, PAGE, 2 * PAGE);
    switch (random() % 8) {
    case 0:                                         /* neither private nor shared */
        a[3] &= ~0x3u;
        a[1] = PICK(1, PAGE, 2 * PAGE);
        a[0] &= ~(PAGE - 1);
        break;
    case 1:                                         /* a file: bad fds only; qemu-i386 */
        a[3] &= ~0x120u;                            /* checks MAP_GROWSDOWN before the fd */
        a[1] = PICK(1, PAGE, 2 * PAGE);
        a[0] &= ~(PAGE - 1);
        a[4] = bad_fd();
        break;
    }
    return ERROR_OR_NOT;
}

/* set_thread_area(desc): a struct user_desc (entry, base, limit, flags).
   Linux takes only a present 32-bit data segment, or the empty one
   (flags 0x28, base and limit 0) that frees an entry; qemu-i386 takes
   more, so only these and a code segment (refused by both) are drawn.
   Nor is entry -1 (any free entry) asked for when none is free, or with
   a code segment: there qemu-i386 and Linux answer differently, so the
   program keeps track of the free entries, as a C library would. */
static int tls_free(void)
{
    return !own.tls_used[0] || !own.tls_used[1] || !own.tls_used[2];
}

enum answer make_set_thread_area(unsigned long *a)
{
    unsigned long *desc = (unsigned long *)DESC;
    desc[0] = PICK(0xffffffff, 0xffffffff, 6, 7, 8, 5, 9, 0, 12, 0x80000006);
    desc[1] = PICK(0, DATA, 0x12345678, random());
    desc[2] = PICK(0, 0xfffff, 0xfff, random());
    /* seg_32bit, then at random: contents 1 (data, expand-down),
       read_exec_only, limit_in_pages, useable */
    unsigned long flags = 0x01 | (random() & 0x5a);
    switch (random() % 6) {
    case 0: flags = 0x28; desc[1] = desc[2] = 0; break;  /* empty */
    case 1: flags |= 0x06; break;                   /* contents 3, code: refused */
    }
    if (desc[0] == 0xffffffff && (flags & 0x04 || !tls_free()))
        desc[0] = 6 + random() % 3;
    desc[3] = flags | (random() % 4 == 0 ? random() & ~0xffu : 0);
    a[0] = PICK(DESC, DESC, DESC, 0, 0xc0000000, HOLE - 8, 0x1000);
    return EXACT;
}

enum answer make_set_tid_address(unsigned long *a)
{
    a[0] = PICK(0, DATA + 200, 0xc0000000);
    return ERROR_OR_NOT;
}

/* getrandom(buf, n, flags): a buffer all good or bad from its first byte
   (Linux fills up to a bad page, qemu-i386 refuses the whole call), and
   bad flags only with a good buffer (qemu-i386 checks the buffer first). */
enum answer make_getrandom(unsigned long *a)
{
    a[2] = PICK(0, 0, 1, 2, 4, 3, 5, 6, 7, 8, 0x80000000);
    if (random() % 3 || a[2] & ~7ul || (a[2] & 6) == 6) {
        a[1] = PICK(0, 1, 16, 256, random() % 200);
        a[0] = OUTPUT + random() % 64;
    } else {
        a[1] = length();
        a[0] = no_empty_at_top(PICK(bad_address(), RDONLY), a[1]);
    }
    return EXACT;
}

/* mprotect(addr, length, prot): in PROTECT, with good prot bits and bits
   that do not exist, and lengths that wrap. Not PROT_SEM (Linux takes it,
   qemu-i386 does not), nor a length of 0 (0 on Linux, -ENOMEM on
   qemu-i386), nor pages with nothing mapped (-ENOMEM on Linux, but
   qemu-i386, which holds the whole address space, says 0). */
enum answer make_mprotect(unsigned long *a)
{
    unsigned long first = random() % 4;
    a[0] = PROTECT + PAGE * first + (random() % 5 ? 0 : PICK(1, 0x800));
    a[1] = PICK(1, PAGE, (4 - first) * PAGE, 0xffffffff, 0xfffff000, 1 + random() % PAGE);
    a[2] = PICK(0, 1, 3, 5, 7, random() % 8, 0x10, 0x80000000);
    if (a[2] > 7)               /* Linux checks the length first, qemu-i386 prot */
        a[1] = PAGE;
    return EXACT;
}
