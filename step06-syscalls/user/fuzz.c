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
 *
 * The program is in two parts: this file runs the calls and prints them;
 * the files in user/fuzz/ make each call's arguments (fuzz/fuzz.h says
 * which does what).
 */
#include "lib.h"
#include "fuzz/fuzz.h"

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

struct own own;

extern const char __code_start[], __code_end[];     /* user.ld */

unsigned long random(void)
{
    own.state ^= own.state << 13;   /* xorshift32 (Marsaglia, 2003) */
    own.state ^= own.state >> 17;
    own.state ^= own.state << 5;
    return own.state;
}

/* One of n values, at random (PICK in fuzz.h). */
unsigned long pick(const unsigned long *values, unsigned long n)
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

static unsigned long checksum(void)
{
    unsigned long sum = 0;
    for (const char *p = __code_start; p < __code_end; p++)
        sum = (sum << 5 | sum >> 27) ^ (unsigned char)*p;
    for (unsigned long i = 0; i < sizeof own; i++)
        sum = (sum << 5 | sum >> 27) ^ ((unsigned char *)&own)[i];
    return sum;
}

/* Where the heap starts is Linux's choice, so a brk line shows the end
   asked for as "end+N", from the end as it was. */
static unsigned long brk_start;
unsigned long brk_now;

static void show_brk(unsigned long end)
{
    put("end");
    if (end >= brk_now)
        put("+");
    put_number(end - brk_now, 10);
}

/* Every call in syscall.c's table but exit and exit_group, which would end
   the run (the run's own end makes one), and set_robust_list, which
   qemu-i386 does not have (-ENOSYS); and numbers no Linux has. */
static const struct call {
    const char *name;
    unsigned long number;               /* 0: the number is a[0] */
    maker *make;
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
