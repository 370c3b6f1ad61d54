/* process.c - the arguments of the calls about the machine, time and the
 * process itself: uname, ugetrlimit, the sleeps and clocks, signals,
 * prctl, and numbers that are no call. */
#include "fuzz.h"

/* uname(buf): the answers differ (not the kernel's name), but not the result. */
enum answer make_uname(unsigned long *a)
{
    a[0] = output(390);
    return EXACT;
}

/* ugetrlimit(resource, rlim): Linux's 16 limits, and numbers past them. */
enum answer make_ugetrlimit(unsigned long *a)
{
    a[0] = PICK(random() % 16, random() % 16, 16, 100, 0xffffffff);
    a[1] = output(8);
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
enum answer make_nanosleep(unsigned long *a)
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

enum answer make_clock_nanosleep32(unsigned long *a)
{
    return make_clock_nanosleep(a, 0);
}

enum answer make_clock_nanosleep64(unsigned long *a)
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

enum answer make_clock_gettime32(unsigned long *a)
{
    return make_clock_gettime(a, 0);
}

enum answer make_clock_gettime64(unsigned long *a)
{
    return make_clock_gettime(a, 1);
}

enum answer make_gettimeofday(unsigned long *a)
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
enum answer make_rt_sigaction(unsigned long *a)
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
enum answer make_rt_sigprocmask(unsigned long *a)
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
enum answer make_prctl(unsigned long *a)
{
    a[0] = PICK(16, 16, 15, 15, 0, 1000, 0x7fffffff);
    a[1] = a[0] == 16 ? output(16) : PICK(DATA, bad_address());
    return EXACT;
}

/* Numbers no Linux has for i386 (syscall_32.tbl marks them unused, or they
   are past its end): -ENOSYS on both. */
enum answer make_nosys(unsigned long *a)
{
    a[0] = PICK(17, 31, 32, 35, 44, 53, 56, 98, 137, 188, 189, 222, 223, 251, 285,
                500, 1000, 9999, 0x7fffffff, 0x80000000, 0xffffffff);
    a[1] = bad_address();
    a[2] = length();
    return EXACT;
}
