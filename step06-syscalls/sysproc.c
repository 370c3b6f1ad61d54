/* sysproc.c - the calls a C library makes about its process before main:
 * who it is (uname, getuid32), its limits (ugetrlimit), random bytes
 * (getrandom), page protection (mprotect), and signals.
 *
 * Signals: this kernel sends none, so a program's handlers are kept and
 * given back as Linux would (kernel/signal.c), but never run. Each call
 * checks in Linux's order, so the errno is Linux's.
 */
#include "errno.h"
#include "pages.h"
#include "paging.h"
#include "process.h"
#include "syscall.h"

#define RLIM_NLIMITS  16            /* Linux's resource limits, 0 to 15 */
#define RLIMIT_STACK  3
#define GRND_NONBLOCK 1             /* getrandom's flags */
#define GRND_RANDOM   2
#define GRND_INSECURE 4
#define PROT_SEM       0x8          /* mprotect's prot bits beyond READ, WRITE, EXEC */
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000
#define ROBUST_LIST_HEAD_SIZE 12    /* sizeof(struct robust_list_head) */
#define SIGKILL 9                   /* the signals no program may catch or block */
#define SIGSTOP 19
#define SIG_BLOCK   0               /* rt_sigprocmask's how */
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define PR_SET_NAME 15              /* prctl's options (include/uapi/linux/prctl.h) */
#define PR_GET_NAME 16
#define TASK_COMM_LEN 16            /* a name for PR_GET_NAME, its 0 included */

/* uname(buf): struct new_utsname, six strings of 65 bytes. The sysname is
   "Linux", as other kernels that run Linux programs answer (FreeBSD's
   Linux layer, WSL): C libraries and programs choose Linux's behaviour by
   it. The release is a plausible Linux one, since C libraries have
   compared it with the oldest kernel they support and refused to start
   ("FATAL: kernel too old"); the -step06 in it says whose it is. */
int32_t sys_uname(const uint32_t *a)
{
    static const char names[6][65] = { "Linux", "step06", "6.1.0-step06", "#1 step06",
                                       "i686", "(none)" };
    uint32_t va = a[0];
    return copyout(va, names, sizeof names);
}

/* getuid32 and friends, and their 16-bit forms: one user, root, as a
   program alone on the machine. */
int32_t sys_getuid(const uint32_t *a) { (void)a; return 0; }

/* ugetrlimit(resource, rlim): { soft, hard } for each of Linux's 16
   limits. The stack is what process.c maps; the rest has no limit here but
   memory (RLIM_INFINITY). */
int32_t sys_ugetrlimit(const uint32_t *a)
{
    uint32_t resource = a[0], va = a[1], limit[2] = { ~0u, ~0u };
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    if (resource == RLIMIT_STACK)
        limit[0] = limit[1] = STACK_PAGES * PAGE_SIZE;
    return copyout(va, limit, sizeof limit);
}

/* getrandom(buf, n, flags): bytes from xorshift, stirred with the CPU's
   time-stamp counter at each call. NOT cryptographic: a program that reads
   two calls' bytes can guess the next. As on Linux, a buffer that ends in
   an unmapped page gets the bytes before it, and only none is -EFAULT. */
int32_t sys_getrandom(const uint32_t *a)
{
    static uint32_t state = 2463534242u;
    uint32_t va = a[0], n = a[1], flags = a[2], done = 0;
    uint32_t known = GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE;
    if (flags & ~known || (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    uint32_t tsc_low, tsc_high;
    __asm__ volatile("rdtsc" : "=a"(tsc_low), "=d"(tsc_high));
    state = (state ^ tsc_low ^ tsc_high << 16) | 1;    /* xorshift never leaves 0 */
    for (n = n > 0x7fffffff ? 0x7fffffff : n; done < n; done++) {
        uint8_t *p = user_out(va + done, 1);
        if (!p)
            break;
        state ^= state << 13;       /* xorshift32 (Marsaglia, 2003) */
        state ^= state >> 17;
        state ^= state << 5;
        *p = state >> 24;
    }
    return done || !n ? (int32_t)done : -EFAULT;
}

/* mprotect(addr, length, prot): as Linux (mm/mprotect.c), an unaligned
   address or an unknown prot bit is -EINVAL, and a page with nothing
   mapped is -ENOMEM; the pages before it have been changed by then. */
int32_t sys_mprotect(const uint32_t *a)
{
    uint32_t addr = a[0], length = a[1], prot = a[2], size = PGROUNDUP(length);
    uint32_t grows = PROT_GROWSDOWN | PROT_GROWSUP, rwx = 7;    /* READ, WRITE, EXEC */
    if ((prot & grows) == grows || addr % PAGE_SIZE)
        return -EINVAL;
    if (length == 0)
        return 0;
    if (addr + size <= addr)
        return -ENOMEM;
    if (prot & ~(rwx | PROT_SEM | grows))
        return -EINVAL;
    for (uint32_t page = addr; page < addr + size; page += PAGE_SIZE)
        if (page < USER_START || page >= USER_END ||
            !paging_user_protect(page, prot & rwx, prot & PROT_WRITE))
            return -ENOMEM;
    return 0;
}

/* set_robust_list(head, length): where a thread's futexes would be freed
   when it dies. Nothing is kept, not even head (a[0]): there are no other
   threads to wake. */
int32_t sys_set_robust_list(const uint32_t *a)
{
    uint32_t length = a[1];
    return length == ROBUST_LIST_HEAD_SIZE ? 0 : -EINVAL;
}

#define SIGSET_SIZE 8               /* Linux's sigset_t: 64 signals */
#define UNBLOCKABLE (1u << (SIGKILL - 1) | 1u << (SIGSTOP - 1))     /* signal n: bit n - 1 */

/* rt_sigaction(signal, act, oldact, setsize). */
int32_t sys_rt_sigaction(const uint32_t *a)
{
    uint32_t sig = a[0], act_va = a[1], old_va = a[2], setsize = a[3];
    struct sigaction act, old;
    if (setsize != SIGSET_SIZE)
        return -EINVAL;
    if (act_va && copyin(&act, act_va, sizeof act))
        return -EFAULT;
    if (sig < 1 || sig > 64 || (act_va && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    old = current.actions[sig - 1];
    if (act_va) {
        act.mask &= ~UNBLOCKABLE;
        current.actions[sig - 1] = act;
    }
    return old_va ? copyout(old_va, &old, sizeof old) : 0;
}

/* rt_sigprocmask(how, set, oldset, setsize): block, unblock or set. */
int32_t sys_rt_sigprocmask(const uint32_t *a)
{
    uint32_t how = a[0], set_va = a[1], old_va = a[2], setsize = a[3];
    uint64_t set, old = current.blocked;
    if (setsize != SIGSET_SIZE)
        return -EINVAL;
    if (set_va && copyin(&set, set_va, sizeof set))
        return -EFAULT;
    if (set_va && how > SIG_SETMASK)
        return -EINVAL;
    if (set_va)
        current.blocked = (how == SIG_BLOCK ? old | set : how == SIG_UNBLOCK ? old & ~set : set)
                          & ~UNBLOCKABLE;
    return old_va ? copyout(old_va, &old, sizeof old) : 0;
}

/* prctl(option, ...): PR_GET_NAME gives the program's name (16 bytes),
   PR_SET_NAME takes one but keeps the old. Other options: -EINVAL, as
   Linux gives an option it does not know. */
int32_t sys_prctl(const uint32_t *a)
{
    uint32_t option = a[0], va = a[1];
    char name[TASK_COMM_LEN] = { 0 };
    if (option == PR_GET_NAME) {
        for (int i = 0; i < TASK_COMM_LEN - 1 && current.name[i]; i++)
            name[i] = current.name[i];
        return copyout(va, name, sizeof name);
    }
    if (option != PR_SET_NAME)  /* which reads up to 15 bytes */
        return -EINVAL;
    const char *c = 0;
    for (uint32_t i = 0; i < TASK_COMM_LEN - 1 && (c = user_in(va + i, 1)) && *c; i++)
        ;
    return c ? 0 : -EFAULT;
}
