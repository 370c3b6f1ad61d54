/* syscall.c - the system calls, behind int 0x80.
 *
 * The numbers and the calling convention are Linux's for i386
 * (arch/x86/entry/syscalls/syscall_32.tbl in the Linux source), so a
 * program built for Linux with no C library runs here unchanged. Errors
 * are returned as -errno, as Linux does.
 *
 * Each handler first gives its arguments names (the table below says
 * which registers they came in: ebx, ecx, edx, esi, edi, ebp). A pointer a
 * program passes is only a number until user_in, user_out, copyin or
 * copyout (paging.h) has checked the whole range it names: a bad pointer
 * gives -EFAULT, and the kernel never faults on one.
 */
#include "errno.h"
#include "gdt.h"
#include "kprintf.h"
#include "pages.h"
#include "paging.h"
#include "process.h"
#include "syscall.h"
#include "sysfile.h"
#include "trace.h"
#include "tty.h"

#define BRK_MAX   MMAP_START    /* brk's heap stays below mmap2's pages */
#define IOV_MAX   1024
#define STACK_RESERVE 0x1000000u    /* mmap2 keeps 16 MiB below USER_END free */

/* exit(status) and exit_group(status): one program has one thread. */
static int32_t sys_exit(const uint32_t *a)
{
    uint32_t status = a[0] & 0xFF;
    if (current.trace)
        trace_exit(status);
    process_exit(status);
}

/* Is fd open for reading (or, with O_WRONLY, for writing)? Opened
   files are only read; fd 0 is the keyboard, 1 and 2 the screen. */
static struct file *file_for(uint32_t fd, uint32_t how)
{
    struct file *f = file_get(fd);
    return f && (f->flags & O_ACCMODE) == how ? f : 0;
}

/* read(fd, buf, n): from the keyboard or a file. */
static int32_t sys_read(const uint32_t *a)
{
    uint32_t fd = a[0], va = a[1], n = a[2];
    struct file *f = file_for(fd, O_RDONLY);
    if (!f)
        return -EBADF;
    char *buf = user_out(va, n);
    if (!buf)
        return -EFAULT;
    if (f->node != &fs_terminal)
        return file_read(f, buf, n);
    return n ? tty_read(buf, n, 1) : 0;
}

/* write(fd, buf, n): fd 1 and 2 both go to the console. */
static int32_t sys_write(const uint32_t *a)
{
    uint32_t fd = a[0], va = a[1], n = a[2];
    if (!file_for(fd, O_WRONLY))
        return -EBADF;
    /* EXERCISE step06-write-check BEGIN */
    const char *buf = user_in(va, n);
    if (!buf)
        return -EFAULT;
    /* EXERCISE step06-write-check STUB
    const char *buf = (const char *)va;
       EXERCISE step06-write-check END */
    for (uint32_t i = 0; i < n; i++)
        kprintf("%c", buf[i]);
    return n;
}

static int32_t sys_getpid(const uint32_t *a)
{
    (void)a;
    return current.pid;
}

/* brk(end): move the end of the program's heap. It answers with the end
   as it is afterwards, so a failure shows as the old end, and brk(0) asks. */
static int32_t sys_brk(const uint32_t *a)
{
    /* EXERCISE step06-brk BEGIN */
    uint32_t want = a[0], old = current.brk;
    uint32_t old_top = PGROUNDUP(old), new_top = PGROUNDUP(want);
    if (want < current.brk_start || want > BRK_MAX)
        return old;
    for (uint32_t page = old_top; page < new_top; page += PAGE_SIZE) {
        if (!paging_map_user(page, 1)) {
            for (uint32_t p = old_top; p < page; p += PAGE_SIZE)
                paging_unmap_user(p);   /* all or nothing */
            return old;
        }
    }
    for (uint32_t page = new_top; page < old_top; page += PAGE_SIZE)
        paging_unmap_user(page);
    current.brk = want;
    return want;
    /* EXERCISE step06-brk STUB
    (void)a;
    return current.brk;
       EXERCISE step06-brk END */
}

/* An array of iovecs, { base, length } pairs, as readv and writev take
   them. As on Linux (lib/iov_iter.c), the whole call is refused if the
   array cannot be read (-EFAULT) or a length is negative (-EINVAL). A
   buffer that is not the program's ends the transfer there: what came
   before it counts, and only when nothing came is it an error (-EFAULT). */
struct iovec {
    uint32_t base, len;
};

/* The array of count iovecs at va, checked; or -EINVAL or -EFAULT. */
static int32_t user_iovecs(uint32_t va, int32_t count, const struct iovec **iov)
{
    if (count < 0 || count > IOV_MAX)
        return -EINVAL;
    if (!(*iov = user_in(va, count * sizeof **iov)))
        return -EFAULT;
    for (int32_t i = 0; i < count; i++)
        if ((int32_t)(*iov)[i].len < 0)
            return -EINVAL;
    return 0;
}

/* writev(fd, iov, count): write's gather form, which C libraries use to
   send their buffer and the new text in one call. */
static int32_t sys_writev(const uint32_t *a)
{
    uint32_t fd = a[0], iov_va = a[1], count = a[2];
    const struct iovec *iov;
    if (!file_for(fd, O_WRONLY))
        return -EBADF;
    int32_t error = user_iovecs(iov_va, count, &iov);
    if (error)
        return error;
    uint32_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
        const char *buf = user_in(iov[i].base, iov[i].len);
        if (!buf)
            return total ? (int32_t)total : -EFAULT;
        for (uint32_t j = 0; j < iov[i].len; j++)
            kprintf("%c", buf[j]);
        total += iov[i].len;
    }
    return total;
}

/* readv(fd, iov, count): read's scatter form; one line at most, as read. */
static int32_t sys_readv(const uint32_t *a)
{
    uint32_t fd = a[0], iov_va = a[1], count = a[2];
    const struct iovec *iov;
    struct file *f = file_for(fd, O_RDONLY);
    if (!f)
        return -EBADF;
    int32_t error = user_iovecs(iov_va, count, &iov);
    if (error)
        return error;
    uint32_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (iov[i].len == 0)
            continue;           /* asks for nothing: no reason to wait for a line */
        char *buf = user_out(iov[i].base, iov[i].len);
        if (!buf)
            return total ? (int32_t)total : -EFAULT;
        /* Once something came, the rest of the line only: no new line. */
        int32_t got = f->node != &fs_terminal ? file_read(f, buf, iov[i].len)
                                                : (int32_t)tty_read(buf, iov[i].len, total == 0);
        if (got < 0)
            return total ? (int32_t)total : got;
        total += got;
        if ((uint32_t)got < iov[i].len)
            break;
    }
    return total;
}

/* ioctl(fd, request, arg): the console is no terminal that can be asked
   things (its size, its modes), so every request gets -ENOTTY, as Linux
   gives for a file or a pipe. C libraries ask, to decide how to buffer. */
static int32_t sys_ioctl(const uint32_t *a)
{
    uint32_t fd = a[0];
    return file_get(fd) ? -ENOTTY : -EBADF;
}

/* set_thread_area(desc): a C library keeps its per-thread data at %gs:0.
   desc is Linux's struct user_desc (gdt.h). Entry -1 asks for a free
   entry, and the kernel writes back the one it chose. As on Linux
   (arch/x86/kernel/tls.c), only a present 32-bit data segment is taken, or
   the empty one (all 0, or all 0 but read_exec_only and seg_not_present),
   which frees the entry. */
static int tls_empty(const struct user_desc *d)
{
    return d->base_addr == 0 && d->limit == 0 && d->seg_32bit == 0 && d->contents == 0 &&
           d->limit_in_pages == 0 && d->useable == 0 && d->read_exec_only == d->seg_not_present;
}

static int tls_okay(const struct user_desc *d)
{
    int code = d->contents & 2;
    return tls_empty(d) || (d->seg_32bit && !code && !d->seg_not_present);
}

static int32_t sys_set_thread_area(const uint32_t *a)
{
    uint32_t desc_va = a[0];
    struct user_desc desc;
    if (copyin(&desc, desc_va, sizeof desc))
        return -EFAULT;
    if (!tls_okay(&desc))
        return -EINVAL;
    int32_t entry = desc.entry_number;
    if (entry == -1) {
        for (entry = TLS_FIRST; entry <= TLS_LAST && !gdt_tls_free(entry); entry++)
            ;
        if (entry > TLS_LAST)
            return -ESRCH;              /* all taken */
        if (copyout(desc_va, &entry, sizeof entry))
            return -EFAULT;
    }
    if (entry < TLS_FIRST || entry > TLS_LAST)
        return -EINVAL;
    if (tls_empty(&desc))
        gdt_clear_tls(entry);
    else
        gdt_set_tls(entry, &desc);
    return 0;
}

/* set_tid_address(p): where to signal a thread's end. One thread, which
   never ends before the program: keep nothing, answer the thread's id. */
static int32_t sys_set_tid_address(const uint32_t *a)
{
    (void)a;
    return current.pid;
}

/* mmap2(addr, length, prot, flags, fd, pgoffset): fresh zeroed pages.
   Only anonymous memory: there are no files to map. Shared or private is
   all one, with one program. The checks come in Linux's order
   (mm/mmap.c, do_mmap): a length of 0 is invalid, one larger than the
   address space finds no room, and then the mapping's type must be
   private or shared (and a shared one cannot grow down, like a stack). */
static int32_t sys_mmap2(const uint32_t *a)
{
    uint32_t addr = a[0], length = a[1], prot = a[2], flags = a[3];     /* fd, pgoffset unused */
    uint32_t type = flags & MAP_TYPE;
    if (!(flags & MAP_ANONYMOUS))
        return -EBADF;          /* a file's fd: none is open */
    if (length == 0)
        return -EINVAL;
    if (length > USER_END - MMAP_START)
        return -ENOMEM;
    if (type != MAP_PRIVATE && type != MAP_SHARED)
        return -EINVAL;
    if (type == MAP_SHARED && (flags & MAP_GROWSDOWN))
        return -EINVAL;         /* Linux grows only private mappings down */
    uint32_t size = PGROUNDUP(length);
    if (flags & MAP_FIXED) {
        if (addr % PAGE_SIZE || addr < USER_START || addr + size > USER_END ||
            addr + size < addr)
            return -EINVAL;
    } else {
        addr = current.mmap_next;
        if (addr + size > USER_END - STACK_RESERVE)
            return -ENOMEM;
        current.mmap_next = addr + size;
    }
    for (uint32_t page = addr; page < addr + size; page += PAGE_SIZE) {
        if (flags & MAP_FIXED)
            paging_unmap_user(page);        /* a fixed mapping replaces */
        if (!paging_map_user(page, prot & PROT_WRITE)) {
            for (uint32_t p = addr; p < page; p += PAGE_SIZE)
                paging_unmap_user(p);
            return -ENOMEM;
        }
    }
    return addr;
}

/* munmap(addr, length): give pages back. Unmapped pages in the range are
   no error, as on Linux. */
static int32_t sys_munmap(const uint32_t *a)
{
    uint32_t addr = a[0], length = a[1];
    uint32_t size = PGROUNDUP(length);     /* 0 if length wraps */
    uint32_t end = addr + size;
    if (addr % PAGE_SIZE || size == 0 || addr < USER_START || end > USER_END || end < addr)
        return -EINVAL;
    for (uint32_t page = addr; page < end; page += PAGE_SIZE)
        paging_unmap_user(page);
    return 0;
}

/* The table, by number (Linux's syscall_32.tbl). args says how trace shows
   each argument, result how it shows the result: see trace.c. */
static const struct syscall table[] = {
    [1] = { "exit", sys_exit, "d", 'd' },
    [3] = { "read", sys_read, "drd", 'd' },
    [4] = { "write", sys_write, "dwd", 'd' },
    [20] = { "getpid", sys_getpid, "", 'd' },
    [45] = { "brk", sys_brk, "p", 'p' },
    [54] = { "ioctl", sys_ioctl, "dxp", 'd' },
    [91] = { "munmap", sys_munmap, "pd", 'd' },
    [145] = { "readv", sys_readv, "dpd", 'd' },
    [146] = { "writev", sys_writev, "dpd", 'd' },
    [192] = { "mmap2", sys_mmap2, "pdxxdd", 'p' },
    [243] = { "set_thread_area", sys_set_thread_area, "p", 'd' },
    [252] = { "exit_group", sys_exit, "d", 'd' },
    [258] = { "set_tid_address", sys_set_tid_address, "p", 'd' },
    /* sysproc.c: the process, its limits, random bytes, signals */
    [122] = { "uname", sys_uname, "p", 'd' },
    [125] = { "mprotect", sys_mprotect, "pdx", 'd' },
    [172] = { "prctl", sys_prctl, "dp", 'd' },
    [174] = { "rt_sigaction", sys_rt_sigaction, "dppd", 'd' },
    [175] = { "rt_sigprocmask", sys_rt_sigprocmask, "dppd", 'd' },
    [191] = { "ugetrlimit", sys_ugetrlimit, "dp", 'd' },
    [24] = { "getuid", sys_getuid, "", 'd' },      /* the 16-bit ids of old programs */
    [47] = { "getgid", sys_getuid, "", 'd' },
    [49] = { "geteuid", sys_getuid, "", 'd' },
    [50] = { "getegid", sys_getuid, "", 'd' },
    [199] = { "getuid32", sys_getuid, "", 'd' },
    [200] = { "getgid32", sys_getuid, "", 'd' },
    [201] = { "geteuid32", sys_getuid, "", 'd' },
    [202] = { "getegid32", sys_getuid, "", 'd' },
    [311] = { "set_robust_list", sys_set_robust_list, "pd", 'd' },
    [355] = { "getrandom", sys_getrandom, "pdx", 'd' },
    /* systime.c: clocks and sleeping */
    [78] = { "gettimeofday", sys_gettimeofday, "pp", 'd' },
    [162] = { "nanosleep", sys_nanosleep, "pp", 'd' },
    [265] = { "clock_gettime", sys_clock_gettime, "dp", 'd' },
    [267] = { "clock_nanosleep", sys_clock_nanosleep, "dxpp", 'd' },
    [403] = { "clock_gettime64", sys_clock_gettime64, "dp", 'd' },
    [407] = { "clock_nanosleep_time64", sys_clock_nanosleep_time64, "dxpp", 'd' },
    /* sysfile.c: files */
    [5] = { "open", sys_open, "so", 'd' },
    [6] = { "close", sys_close, "d", 'd' },
    [19] = { "lseek", sys_lseek, "dde", 'd' },
    [85] = { "readlink", sys_readlink, "srd", 'd' },
    [140] = { "_llseek", sys_llseek, "dddpe", 'd' },
    [195] = { "stat64", sys_stat64, "sS", 'd' },
    [196] = { "lstat64", sys_stat64, "sS", 'd' },
    [197] = { "fstat64", sys_fstat64, "dS", 'd' },
    [220] = { "getdents64", sys_getdents64, "dpd", 'd' },
    [295] = { "openat", sys_openat, "aso", 'd' },
    [300] = { "fstatat64", sys_fstatat64, "asSx", 'd' },
    [383] = { "statx", sys_statx, "asxxp", 'd' },
    [55] = { "fcntl", sys_fcntl, "ddx", 'd' },
    [221] = { "fcntl64", sys_fcntl, "ddx", 'd' },
};

static const struct syscall *syscall_find(uint32_t number)
{
    if (number >= sizeof table / sizeof table[0] || !table[number].name)
        return 0;
    return &table[number];
}

void syscall_dispatch(struct regs *r)
{
    uint32_t number = r->eax;
    uint32_t args[6] = { r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp };
    const struct syscall *call = syscall_find(number);
    if (current.trace && call && call->run == sys_exit)
        trace_call(call, number, args, 0, 1);   /* exit never returns: show it now */
    int32_t result = call ? call->run(args) : -ENOSYS;
    if (current.trace)
        trace_call(call, number, args, result, 0);
    r->eax = result;
}
