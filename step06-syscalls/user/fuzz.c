/* fuzz: random system calls, with answers to compare with Linux's:
 * fuzz [-d] SEED COUNT [SEED...]
 *
 * For each seed it makes COUNT calls, drawn from every call the kernel
 * has and from numbers no Linux has, with arguments a careless or hostile
 * program might pass: NULL, kernel and unmapped addresses, ranges that
 * straddle a page or wrap past 4 GiB, zero and huge lengths, negative
 * counts, bad file descriptors, every flag bit, and good values. Each call
 * prints one line, "index name(arguments) = result", so that the same run
 * under qemu-i386 gives the same text, line for line:
 *
 *     qemu-i386 build/user/fuzz.elf 1 10000 </dev/null
 *
 * Only arguments whose answer Linux itself fixes are drawn. Where Linux's
 * answer depends on its address space (where brk and mmap2 put things,
 * process ids) a success shows only as "ok". Where qemu-i386 checks
 * in another order than Linux does (a buffer before the fd), the case is
 * not drawn: the two references would disagree.
 *
 * Every 1000 calls, and at the end, it prints a checksum of its own code
 * and data: no call may have written where it was not asked to.
 *
 * With -d (digest) it prints, instead of each line, one line per 100 calls
 * with a hash of their lines: a console prints 100 times less, and where
 * two runs differ, the 100 calls to look at are known.
 */
#include "lib.h"

#define PAGE 4096u

/* A playground at fixed addresses, mapped the same way on both systems:
 *   DATA    two pages of printable text, read-write
 *   RDONLY  a read-only page (zeros), right after them
 *   HOLE    nothing mapped, right after that
 *   IOV     three read-write pages for iovec arrays and set_thread_area's
 *           struct, which the calls only read (or write back an entry),
 *           then INPUT, what other calls read (a time, a signal action),
 *           and OUTPUT, where they write: nothing prints it, since times
 *           and random bytes differ
 * and an area that the fuzzed mmap2 and munmap calls may change. */
#define DATA     0x30000000u
#define RDONLY   (DATA + 0x2000)
#define HOLE     (DATA + 0x3000)
#define IOV      0x30010000u
#define DESC     (IOV + 0x2000)
#define INPUT    (IOV + 0x2100)
#define OUTPUT   (IOV + 0x2800)
#define OUTPUT_END (IOV + 0x3000)  /* nothing is mapped after it */
#define MAPAREA  0x31000000u    /* 64 pages for mmap2 and munmap to play in */
#define PATHS    (IOV + 0x2040) /* "/" and "/no-such-file", for the file calls */
#define PROTECT  0x30020000u    /* 4 pages for mprotect, mapped all along */

#define SYS_ioctl            54
#define SYS_munmap           91
#define SYS_readv            145
#define SYS_writev           146
#define SYS_mmap2            192
#define SYS_set_thread_area  243
#define SYS_set_tid_address  258
#define SYS_open             5
#define SYS_close            6
#define SYS_lseek            19
#define SYS_readlink         85
#define SYS_llseek           140
#define SYS_stat64           195
#define SYS_fstat64          197
#define SYS_getdents64       220
#define SYS_fcntl64          221
#define SYS_openat           295
#define SYS_gettimeofday     78
#define SYS_uname            122
#define SYS_mprotect         125
#define SYS_nanosleep        162
#define SYS_prctl            172
#define SYS_rt_sigaction     174
#define SYS_rt_sigprocmask   175
#define SYS_ugetrlimit       191
#define SYS_clock_gettime    265
#define SYS_clock_nanosleep  267
#define SYS_getrandom        355
#define SYS_clock_gettime64  403
#define SYS_clock_nanosleep_time64 407

/* What the program keeps that is the same on both systems is in here, so
   that the checksum can cover it (with the code): no call is given a
   pointer into it, and the canary is there only to be checked. Where brk
   ends, which differs, is kept outside. */
static struct {
    unsigned long state;            /* the random generator's */
    unsigned long calls;
    int tls_used[3];                /* set_thread_area's entries 6 to 8 */
    unsigned char canary[4096];
} own;

extern const char __code_start[], __code_end[];     /* user.ld */

static unsigned long random(void)
{
    own.state ^= own.state << 13;   /* xorshift32 (Marsaglia, 2003) */
    own.state ^= own.state >> 17;
    own.state ^= own.state << 5;
    return own.state;
}

/* One of n values, at random. */
#define PICK(...) pick((const unsigned long[]){ __VA_ARGS__ }, \
                       sizeof((const unsigned long[]){ __VA_ARGS__ }) / sizeof(unsigned long))

static unsigned long pick(const unsigned long *values, unsigned long n)
{
    return values[random() % n];
}

/* The output goes out a line at a time (and before each call, so that
   what a call writes comes after its name): one write, not ten. */
static char out[128];
static unsigned long out_len;
static int digest_mode;
static unsigned long digest;        /* of the lines not printed, with -d */

static void flush(void)
{
    if (out_len)
        write(1, out, out_len);
    out_len = 0;
}

static void put(const char *s)
{
    for (; *s; s++) {
        if (digest_mode) {
            digest = (digest ^ (unsigned char)*s) * 16777619u;  /* FNV-1a */
            continue;
        }
        if (out_len == sizeof out)
            flush();
        out[out_len++] = *s;
    }
}

/* Lines that are printed with or without -d. */
static void put_always(const char *s)
{
    int saved = digest_mode;
    digest_mode = 0;
    put(s);
    digest_mode = saved;
}

/* n in base 10 or 16 (0x1f rather than 0x0000001f: the lines stay short).
   A negative base: printed with -d too. */
static void put_number(long n, int base)
{
    int always = base < 0;
    if (always)
        base = -base;
    char buf[16];
    int i = sizeof buf;
    unsigned long u = base == 10 && n < 0 ? -(unsigned long)n : (unsigned long)n;
    buf[--i] = 0;
    do {
        buf[--i] = "0123456789abcdef"[u % base];
        u /= base;
    } while (u);
    if (base == 16)
        buf[--i] = 'x', buf[--i] = '0';
    else if (n < 0)
        buf[--i] = '-';
    if (always)
        put_always(buf + i);
    else
        put(buf + i);
}

static void put_number(long n, int base);

static unsigned long checksum(void)
{
    unsigned long sum = 0;
    for (const char *p = __code_start; p < __code_end; p++)
        sum = (sum << 5 | sum >> 27) ^ (unsigned char)*p;
    for (unsigned long i = 0; i < sizeof own; i++)
        sum = (sum << 5 | sum >> 27) ^ ((unsigned char *)&own)[i];
    return sum;
}

/* --- Argument classes ---------------------------------------------------- */

/* Addresses no program may touch, on our kernel and on Linux alike: NULL,
   our kernel (below 0x08000000), Linux's (0xC0000000 and up, on a 32-bit
   Linux), nothing mapped, and the last bytes before 4 GiB. */
static unsigned long bad_address(void)
{
    return PICK(0, 1, 0x1000, 0xb8000, 0x100000, 0xc0000000, 0xc0100000, 0xfffff000,
                0x20000000, HOLE, HOLE + 0x800, 0xffffffff);
}

/* A buffer of length n that the call may read (to write it out): good,
   bad, straddling into a hole, or wrapping past 4 GiB. */
static unsigned long source(unsigned long n)
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
static unsigned long destination(unsigned long n)
{
    if (random() % 5 == 0)
        return PICK(RDONLY + random() % 64, RDONLY - 8);
    return source(n);
}

/* A buffer of length 0 is never touched, but where it may be differs: a
   32-bit Linux wants it below 0xC0000000, a 64-bit Linux anywhere, and
   qemu-i386 below 0xFFFFF000. Only the first answer holds on all three. */
static unsigned long no_empty_at_top(unsigned long p, unsigned long n)
{
    return n == 0 && p >= 0xc0000000 ? DATA : p;
}

/* Is [p, p + n) all in the read-write playground? */
static int good_range(unsigned long p, unsigned long n)
{
    return p >= DATA && p + n >= p && p + n <= RDONLY;
}

static unsigned long length(void)
{
    return PICK(0, 1, 5, 16, 100, 4095, 4096, 4097, 0x10000, 0x7fffffff, 0x80000000,
                0xffffffff, random() % 200);
}

/* No program has these open: here every fd above 2 is bad, and Linux
   allows 1024 open files unless told otherwise (smaller fds may be open
   in a shell that starts qemu-i386). */
static unsigned long bad_fd(void)
{
    return PICK(1024, 4096, 65535, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff);
}

/* --- The calls ----------------------------------------------------------- */

/* EXACT: the answer is printed. ERROR_OR_NOT: an error is printed, but a
   success only as "ok". */
enum answer { EXACT, ERROR_OR_NOT };

/* read(fd, buf, n): fd 0 only with a buffer it cannot fill (a good one
   would wait for the keyboard); other fds only with a good buffer, since
   qemu-i386 checks the buffer first and Linux the fd. */
static enum answer make_read(unsigned long *a)
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
static enum answer make_write(unsigned long *a)
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

static enum answer make_nothing(unsigned long *a)
{
    a[0] = random();                    /* ignored */
    return ERROR_OR_NOT;
}

/* brk(end): a little above or below the current end, below the start, or
   far out of reach. Where the heap starts is Linux's choice, so the line
   shows the end asked for as "end+N", from the end as it was. */
static unsigned long brk_start, brk_now;
static int brk_relative;

static void show_brk(unsigned long end)
{
    put("end");
    if (end >= brk_now)
        put("+");
    put_number(end - brk_now, 10);
}

static enum answer make_brk(unsigned long *a)
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
static enum answer make_ioctl(unsigned long *a)
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

static enum answer make_readv(unsigned long *a)
{
    return make_iov(a, 1);
}

static enum answer make_writev(unsigned long *a)
{
    return make_iov(a, 0);
}

/* munmap(addr, length): in the map area, unaligned, or wrapping. */
static enum answer make_munmap(unsigned long *a)
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
static enum answer make_mmap2(unsigned long *a)
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

static enum answer make_set_thread_area(unsigned long *a)
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

static enum answer make_set_tid_address(unsigned long *a)
{
    a[0] = PICK(0, DATA + 200, 0xc0000000);
    return ERROR_OR_NOT;
}

/* --- Files: only what both file systems agree on. "/" is a folder on
   both, /no-such-file is on neither, and a name made of the playground's
   letters is in no working folder. Nothing is created (no O_CREAT), and a
   call that would fill a good buffer with a stat or a link is not drawn:
   the two systems' files differ, and the playground must stay the same. */
static unsigned long path(void)
{
    return PICK(PATHS, PATHS + 16, RDONLY - 6, RDONLY, HOLE - 8, bad_address());
}

static unsigned long open_flags(void)
{
    return PICK(0, 1, 2, 01000, 0200000, 0200001, 0200, 0400000, 04000, 02000000,
                0100000, 01001);        /* not 3, which Linux reads its own way */
}

static enum answer make_open(unsigned long *a)
{
    a[0] = path();
    a[1] = open_flags();
    return ERROR_OR_NOT;                /* the fd: Linux's may be another */
}

/* openat(dirfd, path, flags): a pipe or a bad fd as the folder too. */
static enum answer make_openat(unsigned long *a)
{
    a[0] = PICK(-100, 0, 1, bad_fd());
    a[1] = path();
    a[2] = open_flags();
    return ERROR_OR_NOT;
}

static enum answer make_close(unsigned long *a)
{
    a[0] = bad_fd();                    /* 0 to 2 would end the run's output */
    return EXACT;
}

/* lseek and _llseek: fd 0 to 2 only with a whence that is none, which
   is refused first: run by hand, they may be files that can seek (a huge
   offset on a file that stderr goes to would make it huge). */
static unsigned long whence(unsigned long fd)
{
    return fd <= 2 ? PICK(5, 0xffffffff) : PICK(0, 1, 2, 3, 4, 5, 0xffffffff);
}

static enum answer make_lseek(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    a[1] = length();
    a[2] = whence(a[0]);
    return EXACT;
}

static enum answer make_llseek(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    a[1] = length();
    a[2] = length();
    a[3] = PICK(DATA, bad_address());
    a[4] = whence(a[0]);
    return EXACT;
}

/* fstat64(fd, buf): a good fd only with a buffer it cannot fill. */
static enum answer make_fstat64(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    do
        a[1] = destination(96);
    while (a[0] <= 2 && good_range(a[1], 96));
    return EXACT;
}

/* stat64(path, buf): for "/" a buffer it cannot fill. */
static enum answer make_stat64(unsigned long *a)
{
    a[0] = path();
    do
        a[1] = destination(96);
    while (a[0] == PATHS && good_range(a[1], 96));
    return EXACT;
}

/* getdents64(fd, buf, size): no fd here is a folder; qemu-i386 checks the
   buffer first, Linux the fd: the buffer is good. */
static enum answer make_getdents64(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    a[1] = DATA + random() % 64;
    a[2] = 1 + random() % 200;         /* 0: qemu-i386 says -ENOMEM */
    return EXACT;
}

/* readlink(path, buf, size): "/" is no link (-EINVAL); a size of 1 to 200
   and a good buffer, which qemu-i386 checks before the size. */
static enum answer make_readlink(unsigned long *a)
{
    a[0] = path();
    a[1] = DATA + random() % 64;
    a[2] = 1 + random() % 200;
    return EXACT;
}

/* fcntl64(fd, command, arg): F_GETFD, F_SETFD, F_GETFL (whose flags a
   64-bit host adds to), and a command that is none, on a good fd only:
   qemu-i386 checks the command first, Linux the fd. */
static enum answer make_fcntl64(unsigned long *a)
{
    a[1] = PICK(1, 2, 3, 99);
    a[0] = a[1] == 99 ? PICK(0, 1, 2) : PICK(0, 1, 2, bad_fd());
    a[2] = PICK(0, 1);
    return a[1] == 3 ? ERROR_OR_NOT : EXACT;
}

/* Where a call writes a struct of n bytes: OUTPUT, bad, straddling into
   the hole after it, or read-only. */
static unsigned long output(unsigned long n)
{
    switch (random() % 6) {
    case 0: return bad_address();
    case 1: return OUTPUT_END - n / 2;
    case 2: return RDONLY;
    default: return OUTPUT + 4 * (random() % 64);
    }
}

static unsigned long *input(void)
{
    return (unsigned long *)INPUT;
}

/* uname(buf): the answers differ (not the kernel's name), but not the result. */
static enum answer make_uname(unsigned long *a)
{
    a[0] = output(390);
    return EXACT;
}

/* ugetrlimit(resource, rlim): Linux's 16 limits, and numbers past them. */
static enum answer make_ugetrlimit(unsigned long *a)
{
    a[0] = PICK(random() % 16, random() % 16, 16, 100, 0xffffffff);
    a[1] = output(8);
    return EXACT;
}

/* getrandom(buf, n, flags): a buffer all good or bad from its first byte
   (Linux fills up to a bad page, qemu-i386 refuses the whole call), and
   bad flags only with a good buffer (qemu-i386 checks the buffer first). */
static enum answer make_getrandom(unsigned long *a)
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
static enum answer make_mprotect(unsigned long *a)
{
    unsigned long first = random() % 4;
    a[0] = PROTECT + PAGE * first + (random() % 5 ? 0 : PICK(1, 0x800));
    a[1] = PICK(1, PAGE, (4 - first) * PAGE, 0xffffffff, 0xfffff000, 1 + random() % PAGE);
    a[2] = PICK(0, 1, 3, 5, 7, random() % 8, 0x10, 0x80000000);
    if (a[2] > 7)               /* Linux checks the length first, qemu-i386 prot */
        a[1] = PAGE;
    return EXACT;
}

/* A struct timespec at INPUT: { seconds, ns }, or { seconds as 64 bits,
   ns as 64 bits } (wide). The good ones are 0 (or 1 ns when absolute: in
   the past), so that the run does not sleep. */
static void timespec(int wide, int absolute)
{
    unsigned long *t = input();
    long seconds = PICK(0, 0, 0, -1, 5, 0x7fffffff);
    long ns = PICK(0, 0, 0, absolute, -1, 1000000000, 0x7fffffff);
    if (seconds > 0 && !(ns < 0 || ns >= 1000000000))
        seconds = -seconds;         /* not a real sleep */
    t[0] = seconds, t[1] = ns;
    if (wide)
        t[0] = seconds, t[1] = seconds < 0 ? -1 : 0, t[2] = ns, t[3] = ns < 0 ? -1 : 0;
}

static unsigned long time_pointer(int wide)
{
    return PICK(INPUT, INPUT, INPUT, bad_address(), OUTPUT_END - (wide ? 8 : 4));
}

/* nanosleep(time, remaining): only a good time: qemu-i386 sleeps on
   whatever it finds for a bad one, where Linux says -EFAULT. */
static enum answer make_nanosleep(unsigned long *a)
{
    timespec(0, 0);
    a[0] = INPUT;
    a[1] = PICK(0, OUTPUT, bad_address());      /* written only if a signal came */
    return EXACT;
}

/* clock_nanosleep(clock, flags, time, remaining): a bad clock only with a
   good time (qemu-i386 reads the time first). Not the alarm clocks (8, 9):
   their answer depends on the machine's RTC; nor the process's CPU clock
   (2): a sleeping process uses none, so it sleeps forever on Linux. */
static enum answer make_clock_nanosleep(unsigned long *a, int wide)
{
    a[0] = PICK(0, 1, 7, 11, 3, 4, 5, 6, 10, 12, 1000);
    a[1] = PICK(0, 0, 1, 2, 0xfffffffe);
    timespec(wide, a[1] & 1);
    a[2] = a[0] == 0 || a[0] == 1 || a[0] == 7 || a[0] == 11 ? time_pointer(wide)
                                                                          : INPUT;
    a[3] = PICK(0, OUTPUT, bad_address());
    return EXACT;
}

static enum answer make_clock_nanosleep32(unsigned long *a)
{
    return make_clock_nanosleep(a, 0);
}

static enum answer make_clock_nanosleep64(unsigned long *a)
{
    return make_clock_nanosleep(a, 1);
}

/* clock_gettime(clock, time): Linux's clocks but the alarm ones, and others. */
static enum answer make_clock_gettime(unsigned long *a, int wide)
{
    a[0] = PICK(0, 1, 2, 3, 4, 5, 6, 7, 11, 10, 12, 1000, 0x7fffffff);
    a[1] = output(wide ? 16 : 8);
    return EXACT;
}

static enum answer make_clock_gettime32(unsigned long *a)
{
    return make_clock_gettime(a, 0);
}

static enum answer make_clock_gettime64(unsigned long *a)
{
    return make_clock_gettime(a, 1);
}

static enum answer make_gettimeofday(unsigned long *a)
{
    a[0] = PICK(0, output(8));
    a[1] = PICK(0, output(8));
    return EXACT;
}

/* rt_sigaction(signal, act, oldact, setsize): SIG_DFL or SIG_IGN, for the
   signals 1 to 31 (the real-time ones qemu-i386 maps to other host
   signals), and bad signals. qemu-i386 checks oldact before the signal,
   Linux after: a bad signal, or SIGKILL or SIGSTOP, which take no action,
   get a good oldact. Nor are these two asked about without an act:
   qemu-i386 refuses that, Linux answers. */
static enum answer make_rt_sigaction(unsigned long *a)
{
    unsigned long *act = input();
    act[0] = PICK(0, 1);                                    /* SIG_DFL, SIG_IGN */
    act[1] = PICK(0, 0x04000000, 0x14000000);               /* SA_RESTORER, SA_RESTART */
    act[2] = random(), act[3] = random(), act[4] = random();
    a[0] = PICK(1 + random() % 31, 1 + random() % 31, 9, 19, 0, 65, 0x80000001);
    a[1] = PICK(0, INPUT, INPUT, bad_address(), OUTPUT_END - 8);
    a[2] = PICK(0, output(20));
    a[3] = PICK(8, 8, 8, 0, 4, 16);
    if (a[0] < 1 || a[0] > 31 || a[0] == 9 || a[0] == 19)
        a[1] = PICK(INPUT, bad_address()), a[2] = PICK(0, OUTPUT);
    return EXACT;
}

/* rt_sigprocmask(how, set, oldset, setsize): a bad how only with a good
   set (qemu-i386 checks how first, Linux the set). */
static enum answer make_rt_sigprocmask(unsigned long *a)
{
    input()[0] = random(), input()[1] = random();
    a[0] = PICK(0, 1, 2, 3, 0x80000000);
    a[1] = a[0] > 2 ? PICK(0, INPUT) : PICK(0, INPUT, INPUT, bad_address(), OUTPUT_END - 4);
    a[2] = PICK(0, output(8));
    a[3] = PICK(8, 8, 8, 0, 4, 16);
    return EXACT;
}

/* prctl(option, arg): PR_GET_NAME (16 bytes out), PR_SET_NAME (a name in,
   whole or bad: qemu-i386 reads 16 bytes, Linux up to the end of the
   string), and options that do not exist. */
static enum answer make_prctl(unsigned long *a)
{
    a[0] = PICK(16, 16, 15, 15, 0, 1000, 0x7fffffff);
    a[1] = a[0] == 16 ? output(16) : PICK(DATA, bad_address());
    return EXACT;
}

/* Numbers no Linux has for i386 (syscall_32.tbl marks them unused, or they
   are past its end): -ENOSYS on both. */
static enum answer make_nosys(unsigned long *a)
{
    a[0] = PICK(17, 31, 32, 35, 44, 53, 56, 98, 137, 188, 189, 222, 223, 251, 285,
                500, 1000, 9999, 0x7fffffff, 0x80000000, 0xffffffff);
    a[1] = bad_address();
    a[2] = length();
    return EXACT;
}

/* Every call in syscall.c's table but exit and exit_group, which would end
   the run (the run's own end makes one), and set_robust_list, which
   qemu-i386 does not have (-ENOSYS); and numbers no Linux has. */
static const struct call {
    const char *name;
    unsigned long number;               /* 0: the number is a[0] */
    enum answer (*make)(unsigned long *a);
    int args;
} calls[] = {
    { "read", 3, make_read, 3 },
    { "write", 4, make_write, 3 },
    { "getpid", 20, make_nothing, 0 },
    { "brk", 45, make_brk, 1 },
    { "ioctl", SYS_ioctl, make_ioctl, 3 },
    { "munmap", SYS_munmap, make_munmap, 2 },
    { "readv", SYS_readv, make_readv, 3 },
    { "writev", SYS_writev, make_writev, 3 },
    { "mmap2", SYS_mmap2, make_mmap2, 6 },
    { "set_thread_area", SYS_set_thread_area, make_set_thread_area, 1 },
    { "set_tid_address", SYS_set_tid_address, make_set_tid_address, 1 },
    { "getuid32", 199, make_nothing, 0 },
    { "getgid32", 200, make_nothing, 0 },
    { "geteuid32", 201, make_nothing, 0 },
    { "getegid32", 202, make_nothing, 0 },
    { "uname", SYS_uname, make_uname, 1 },
    { "ugetrlimit", SYS_ugetrlimit, make_ugetrlimit, 2 },
    { "getrandom", SYS_getrandom, make_getrandom, 3 },
    { "mprotect", SYS_mprotect, make_mprotect, 3 },
    { "nanosleep", SYS_nanosleep, make_nanosleep, 2 },
    { "clock_nanosleep", SYS_clock_nanosleep, make_clock_nanosleep32, 4 },
    { "clock_nanosleep_time64", SYS_clock_nanosleep_time64, make_clock_nanosleep64, 4 },
    { "clock_gettime", SYS_clock_gettime, make_clock_gettime32, 2 },
    { "clock_gettime64", SYS_clock_gettime64, make_clock_gettime64, 2 },
    { "gettimeofday", SYS_gettimeofday, make_gettimeofday, 2 },
    { "rt_sigaction", SYS_rt_sigaction, make_rt_sigaction, 4 },
    { "rt_sigprocmask", SYS_rt_sigprocmask, make_rt_sigprocmask, 4 },
    { "prctl", SYS_prctl, make_prctl, 2 },
    { "syscall", 0, make_nosys, 3 },
    { "open", SYS_open, make_open, 2 },
    { "openat", SYS_openat, make_openat, 3 },
    { "close", SYS_close, make_close, 1 },
    { "lseek", SYS_lseek, make_lseek, 3 },
    { "_llseek", SYS_llseek, make_llseek, 5 },
    { "fstat64", SYS_fstat64, make_fstat64, 2 },
    { "stat64", SYS_stat64, make_stat64, 2 },
    { "getdents64", SYS_getdents64, make_getdents64, 3 },
    { "readlink", SYS_readlink, make_readlink, 3 },
    { "fcntl64", SYS_fcntl64, make_fcntl64, 3 },
};

/* --- The run -------------------------------------------------------------- */

static long call(const struct call *c, unsigned long *a)
{
    if (c->number == 0)
        return syscall6(a[0], a[1], a[2], 0, 0, 0, 0);
    return syscall6(c->number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void show_result(const struct call *c, enum answer kind, const unsigned long *a, long r)
{
    put(" = ");
    if (c->make == make_brk) {
        /* brk answers with the end as it is now: the one asked for, or the old one. */
        put(r == (long)a[0] ? "new" : r == (long)brk_now ? "old" : "other");
        brk_now = r;
    } else if (kind == ERROR_OR_NOT && !(r < 0 && r > -4096)) {
        put("ok");                      /* an address or an id: Linux's choice */
        if (c->make == make_open || c->make == make_openat)
            syscall3(SYS_close, r, 0, 0);   /* at once: the fds do not run out */
    } else {
        put_number(r, 10);
    }
    if (c->make == make_set_thread_area && a[0] == DESC) {
        long *desc = (long *)DESC;
        put(" entry ");               /* as written back */
        put_number(desc[0], 10);
        if (r == 0)
            own.tls_used[desc[0] - 6] = (desc[3] & 0x7f) != 0x28;
    }
    put("\n");
}

/* A struct user_desc, as strace shows it. */
static void show_desc(const unsigned long *desc)
{
    put("{entry=");
    put_number(desc[0], 10);
    put(", base=");
    put_number(desc[1], 16);
    put(", limit=");
    put_number(desc[2], 16);
    put(", flags=");
    put_number(desc[3], 16);
    put("}");
}

static void one_call(void)
{
    const struct call *c = &calls[random() % (sizeof calls / sizeof calls[0])];
    unsigned long a[6] = { 0 };
    enum answer kind = c->make(a);
    put_number(own.calls++, 10);
    put(" ");
    put(c->name);
    put("(");
    for (int i = 0; i < c->args; i++) {
        if (i)
            put(",");
        if (c->make == make_brk && brk_relative)
            show_brk(a[0]);
        else if (c->make == make_set_thread_area && a[0] == DESC)
            show_desc((const unsigned long *)DESC);
        else
            put_number(a[i], 16);
    }
    put(")");
    flush();
    long r = call(c, a);
    show_result(c, kind, a, r);
}

/* The playground, made with plain mmap2 calls before the first random one. */
static void set_up(void)
{
    long r1 = syscall6(SYS_mmap2, DATA, 2 * PAGE, 3, 0x32, -1, 0);
    long r2 = syscall6(SYS_mmap2, RDONLY, PAGE, 1, 0x32, -1, 0);
    long r3 = syscall6(SYS_mmap2, IOV, 3 * PAGE, 3, 0x32, -1, 0);
    long r4 = syscall6(SYS_mmap2, PROTECT, 4 * PAGE, 3, 0x32, -1, 0);
    if (r1 != (long)DATA || r2 != (long)RDONLY || r3 != (long)IOV || r4 != (long)PROTECT) {
        put_always("fuzz: cannot map the playground\n");
        flush();
        exit(1);
    }
    for (unsigned long i = 0; i < 2 * PAGE; i++)
        ((char *)DATA)[i] = 'a' + i % 26;
    const char *paths = "/\0______________/no-such-file";
    for (unsigned long i = 0; i < 30; i++)
        ((char *)PATHS)[i] = paths[i];
    for (unsigned long i = 0; i < sizeof own.canary; i++)
        own.canary[i] = i * 7;
    brk_start = brk_now = brk(0);
}

static unsigned long parse(const char *s)
{
    unsigned long n = 0;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    return n;
}

/* Each seed starts from the same state, so that one seed alone gives the
   same lines as it does after others: the map area empty, no thread
   areas, the heap's end where it was at the start. */
static void reset(void)
{
    syscall6(SYS_munmap, MAPAREA, 64 * PAGE, 0, 0, 0, 0);
    for (unsigned long entry = 6; entry <= 8; entry++) {
        unsigned long *desc = (unsigned long *)DESC;
        desc[0] = entry, desc[1] = desc[2] = 0, desc[3] = 0x28;     /* empty */
        syscall6(SYS_set_thread_area, DESC, 0, 0, 0, 0, 0);
        own.tls_used[entry - 6] = 0;
    }
    brk_now = brk((void *)brk_start);
}

static void run(const char *seed, unsigned long count)
{
    reset();
    own.state = parse(seed) ? parse(seed) : 1;
    own.calls = 0;
    digest = 2166136261u;
    put_always("fuzz: seed ");
    put_always(seed);
    put_always(", ");
    put_number(count, -10);
    put_always(" calls\n");
    for (unsigned long i = 0; i < count; i++) {
        one_call();
        if (digest_mode && ((i + 1) % 100 == 0 || i + 1 == count)) {
            put_always("calls to ");
            put_number(i, -10);
            put_always(": ");
            put_number(digest, -16);
            put_always("\n");
            digest = 2166136261u;
        }
        if ((i + 1) % 1000 == 0 || i + 1 == count) {
            put_always("checksum ");
            put_number(checksum(), -16);
            put_always("\n");
        }
    }
    flush();
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-d") == 0)
        digest_mode = 1, first = 2;
    const char *seed = argc > first ? argv[first] : "1";
    unsigned long count = argc > first + 1 ? parse(argv[first + 1]) : 10000;
    set_up();
    run(seed, count);
    for (int i = first + 2; i < argc; i++)
        run(argv[i], count);
    put_always("fuzz: done\n");
    flush();
    return 0;
}
