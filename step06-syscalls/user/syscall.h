/* syscall.h - system calls for user programs, with no C library.
 *
 * The Linux i386 convention: the call's number in eax, its arguments in
 * ebx, ecx, edx, esi, edi and ebp, then int 0x80. The result comes back in
 * eax; a value from -4095 to -1 is an error, -errno.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#define SYS_exit        1
#define SYS_read        3
#define SYS_write       4
#define SYS_getpid      20
#define SYS_brk         45
#define SYS_rt_sigprocmask  175
#define SYS_clock_gettime64 403
#define SYS_exit_group  252

#define EBADF   9
#define EFAULT  14
#define ENOSYS  38

static inline long syscall3(long n, long a, long b, long c)
{
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return result;
}

/* All six arguments; ebp cannot be named in a constraint, so it is swapped in. */
static inline long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    long result;
    long args[2] = { n, f };
    __asm__ volatile("push %%ebp\n\t"
                     "mov 4(%1), %%ebp\n\t"
                     "mov 0(%1), %%eax\n\t"
                     "int $0x80\n\t"
                     "pop %%ebp"
                     : "=a"(result) : "0"(args), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return result;
}

static inline long read(int fd, void *buf, unsigned long n)
{
    return syscall3(SYS_read, fd, (long)buf, n);
}

static inline long write(int fd, const void *buf, unsigned long n)
{
    return syscall3(SYS_write, fd, (long)buf, n);
}

static inline long getpid(void)
{
    return syscall3(SYS_getpid, 0, 0, 0);
}

static inline long brk(void *end)
{
    return syscall3(SYS_brk, (long)end, 0, 0);
}

static inline _Noreturn void exit(int status)
{
    syscall3(SYS_exit_group, status, 0, 0);
    __builtin_unreachable();
}

#endif
