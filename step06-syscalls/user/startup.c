/* startup: the calls a C library makes before main, and what their
 * answers must mean: the system's name, clocks that move, sleeps that
 * last, random bytes, a page made read-only, signal actions kept. It
 * prints only what Linux prints too, so the tests compare it with
 * qemu-i386 line for line. startup sleep sleeps a minute: Esc stops it.
 */
#include "lib.h"

#define SYS_uname           122
#define SYS_mprotect        125
#define SYS_nanosleep       162
#define SYS_rt_sigaction    174
#define SYS_mmap2           192
#define SYS_getuid32        199
#define SYS_getrandom       355
#define SYS_clock_nanosleep_time64 407

static void say(const char *what, int ok)
{
    print(what);
    print(ok ? ": yes\n" : ": NO\n");
}

/* CLOCK_MONOTONIC in ms, through the 64-bit call. */
static long now_ms(void)
{
    long long t[2];
    syscall3(SYS_clock_gettime64, 1, (long)t, 0);
    return (long)t[0] * 1000 + (long)t[1] / 1000000;
}

int main(int argc, char **argv)
{
    char names[6][65];
    if (argc > 1 && !strcmp(argv[1], "sleep")) {   /* startup sleep: a minute, for Esc */
        long minute[2] = { 60, 0 };
        return syscall3(SYS_nanosleep, (long)minute, 0, 0);
    }
    say("uname says Linux", syscall3(SYS_uname, (long)names, 0, 0) == 0 &&
                                !strcmp(names[0], "Linux"));
    say("getuid32 answers", syscall3(SYS_getuid32, 0, 0, 0) >= 0);

    long start = now_ms();
    long req[2] = { 0, 200000000 };             /* 0.2 s */
    long slept = syscall3(SYS_nanosleep, (long)req, 0, 0);
    long after = now_ms();
    say("nanosleep(0.2 s) lasts 0.2 s or more", slept == 0 && after - start >= 200);
    say("but less than 2 s", after - start < 2000);
    long long until[2] = { (after + 100) / 1000, (after + 100) % 1000 * 1000000 };
    slept = syscall6(SYS_clock_nanosleep_time64, 1, 1, (long)until, 0, 0, 0);  /* absolute */
    say("clock_nanosleep until 0.1 s later wakes then", slept == 0 && now_ms() >= after + 100);

    unsigned char random[64] = { 0 };
    int nonzero = 0;
    long got = syscall3(SYS_getrandom, (long)random, sizeof random, 0);
    for (unsigned i = 0; i < sizeof random; i++)
        nonzero += random[i] != 0;
    say("getrandom fills 64 bytes", got == 64 && nonzero > 32);

    char *page = (char *)syscall6(SYS_mmap2, 0, 4096, 3, 0x22, -1, 0);
    page[0] = 'x';
    say("mprotect makes a page read-only, and it still reads",
        syscall3(SYS_mprotect, (long)page, 4096, 1) == 0 && page[0] == 'x');
    say("mprotect of an unaligned address is -EINVAL",
        syscall3(SYS_mprotect, (long)page + 1, 4096, 1) == -22);

    unsigned long act[5] = { 1, 0x04000000, 0, 1ul << 9, 0 }, old[5];  /* SIG_IGN */
    syscall6(SYS_rt_sigaction, 10, (long)act, 0, 8, 0, 0);              /* SIGUSR1 */
    long r = syscall6(SYS_rt_sigaction, 10, 0, (long)old, 8, 0, 0);
    say("rt_sigaction gives back the action it was given",
        r == 0 && old[0] == 1 && old[3] == 1ul << 9);
    say("SIGKILL takes no action", syscall6(SYS_rt_sigaction, 9, (long)act, 0, 8, 0, 0) == -22);
    return 0;
}
