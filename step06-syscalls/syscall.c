/* syscall.c - the system calls, behind int 0x80.
 *
 * The numbers and the calling convention are Linux's for i386
 * (arch/x86/entry/syscalls/syscall_32.tbl in the Linux source), so a
 * program built for Linux with no C library runs here unchanged. Errors
 * are returned as -errno, as Linux does.
 *
 * Every pointer a program passes is checked before the kernel touches it:
 * the whole range must be mapped for ring 3 (paging_user_range_ok). A bad
 * pointer gives -EFAULT; the kernel never faults on one.
 */
#include "console.h"
#include "gdt.h"
#include "kprintf.h"
#include "pages.h"
#include "paging.h"
#include "process.h"
#include "syscall.h"
#include "trace.h"

#define BRK_MAX   MMAP_START    /* brk's heap stays below mmap2's pages */
#define IOV_MAX   1024
#define STACK_RESERVE 0x1000000u    /* mmap2 keeps 16 MiB below USER_END free */

/* The keyboard gives a line at a time, as a terminal does: read takes
   from this line until it is used up, then waits for the next. */
static char line[LINE_MAX + 1];
static int line_len, line_used;

void syscall_reset(void)
{
    line_len = line_used = 0;
}

/* exit(status) and exit_group(status): one program has one thread. */
static int32_t sys_exit(const uint32_t *a)
{
    if (current.trace)
        trace_exit(a[0] & 0xFF);
    process_exit(a[0] & 0xFF);
}

/* Copy up to n bytes of the current line to buf, first waiting for a line
   if none is left. */
static uint32_t tty_read(char *buf, uint32_t n)
{
    if (line_used == line_len) {
        console_read_line(line, LINE_MAX);
        line_len = 0;
        while (line[line_len])
            line_len++;
        line[line_len++] = '\n';
        line_used = 0;
    }
    uint32_t i = 0;
    while (i < n && line_used < line_len)
        buf[i++] = line[line_used++];
    return i;
}

/* read(fd, buf, n): only fd 0, the keyboard. */
static int32_t sys_read(const uint32_t *a)
{
    uint32_t fd = a[0], n = a[2];
    if (fd != 0)
        return -EBADF;
    if (!paging_user_range_ok(a[1], n, 1))
        return -EFAULT;
    return n ? tty_read((char *)a[1], n) : 0;
}

/* write(fd, buf, n): fd 1 and 2 both go to the console. */
static int32_t sys_write(const uint32_t *a)
{
    uint32_t fd = a[0], n = a[2];
    const char *buf = (const char *)a[1];
    if (fd != 1 && fd != 2)
        return -EBADF;
    /* EXERCISE step06-write-check BEGIN */
    if (!paging_user_range_ok(a[1], n, 0))
        return -EFAULT;
    for (uint32_t i = 0; i < n; i++)
        kprintf("%c", buf[i]);
    /* EXERCISE step06-write-check STUB
    for (uint32_t i = 0; i < n; i++)
        kprintf("%c", buf[i]);
       EXERCISE step06-write-check END */
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
    uint32_t old_top = (old + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint32_t new_top = (want + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
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

static int32_t check_iovecs(uint32_t va, int32_t count)
{
    if (count < 0 || count > IOV_MAX)
        return -EINVAL;
    if (!paging_user_range_ok(va, count * sizeof(struct iovec), 0))
        return -EFAULT;
    const struct iovec *iov = (const struct iovec *)va;
    for (int32_t i = 0; i < count; i++)
        if ((int32_t)iov[i].len < 0)
            return -EINVAL;
    return 0;
}

/* writev(fd, iov, count): write's gather form, which C libraries use to
   send their buffer and the new text in one call. */
static int32_t sys_writev(const uint32_t *a)
{
    if (a[0] != 1 && a[0] != 2)
        return -EBADF;
    int32_t error = check_iovecs(a[1], a[2]);
    if (error)
        return error;
    const struct iovec *iov = (const struct iovec *)a[1];
    uint32_t total = 0;
    for (uint32_t i = 0; i < a[2]; i++) {
        if (!paging_user_range_ok(iov[i].base, iov[i].len, 0))
            return total ? (int32_t)total : -EFAULT;
        for (uint32_t j = 0; j < iov[i].len; j++)
            kprintf("%c", ((const char *)iov[i].base)[j]);
        total += iov[i].len;
    }
    return total;
}

/* readv(fd, iov, count): read's scatter form; one line at most, as read. */
static int32_t sys_readv(const uint32_t *a)
{
    if (a[0] != 0)
        return -EBADF;
    int32_t error = check_iovecs(a[1], a[2]);
    if (error)
        return error;
    const struct iovec *iov = (const struct iovec *)a[1];
    uint32_t total = 0;
    for (uint32_t i = 0; i < a[2]; i++) {
        if (iov[i].len == 0)
            continue;           /* asks for nothing: no reason to wait for a line */
        if (!paging_user_range_ok(iov[i].base, iov[i].len, 1))
            return total ? (int32_t)total : -EFAULT;
        if (total > 0 && line_used == line_len)
            break;              /* the line is used up: do not wait for another */
        uint32_t got = tty_read((char *)iov[i].base, iov[i].len);
        total += got;
        if (got < iov[i].len)
            break;
    }
    return total;
}

/* ioctl(fd, request, arg): the console is no terminal that can be asked
   things (its size, its modes), so every request gets -ENOTTY, as Linux
   gives for a file or a pipe. C libraries ask, to decide how to buffer. */
static int32_t sys_ioctl(const uint32_t *a)
{
    return a[0] <= 2 ? -ENOTTY : -EBADF;
}

/* set_thread_area(desc): a C library keeps its per-thread data at %gs:0.
   desc is Linux's struct user_desc: entry, base, limit, flags. Entry -1
   asks for a free entry, and the kernel writes back the one it chose. As
   on Linux (arch/x86/kernel/tls.c), only a present 32-bit data segment is
   taken, or the empty one (base, limit and flags but read_exec_only and
   seg_not_present all 0), which frees the entry. */
#define TLS_FLAGS       0x7F        /* the flags there are; the rest are ignored */
#define TLS_32BIT       0x01        /* seg_32bit */
#define TLS_CODE        0x04        /* contents 2 or 3: a code segment */
#define TLS_NOT_PRESENT 0x20        /* seg_not_present */
#define TLS_EMPTY       (TLS_READ_ONLY | TLS_NOT_PRESENT)

static int tls_empty(const uint32_t *desc)
{
    uint32_t flags = desc[3] & TLS_FLAGS;
    return desc[1] == 0 && desc[2] == 0 && (flags == TLS_EMPTY || flags == 0);
}

static int tls_okay(const uint32_t *desc)
{
    uint32_t flags = desc[3];
    return tls_empty(desc) ||
           ((flags & TLS_32BIT) && !(flags & TLS_CODE) && !(flags & TLS_NOT_PRESENT));
}

static int32_t sys_set_thread_area(const uint32_t *a)
{
    uint32_t *desc = (uint32_t *)a[0];
    if (!paging_user_range_ok(a[0], 16, 0))
        return -EFAULT;
    if (!tls_okay(desc))
        return -EINVAL;
    int32_t entry = desc[0];
    if (entry == -1) {
        for (entry = TLS_FIRST; entry <= TLS_LAST && !gdt_tls_free(entry); entry++)
            ;
        if (entry > TLS_LAST)
            return -ESRCH;              /* all taken */
        if (!paging_user_range_ok(a[0], 4, 1))
            return -EFAULT;
        desc[0] = entry;
    }
    if (entry < TLS_FIRST || entry > TLS_LAST)
        return -EINVAL;
    if (tls_empty(desc))
        gdt_clear_tls(entry);
    else
        gdt_set_tls(entry, desc[1], desc[2], desc[3]);
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
    uint32_t addr = a[0], length = a[1], prot = a[2], flags = a[3];
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
    uint32_t size = (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
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
    uint32_t size = (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);   /* 0 if length wraps */
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
};

const struct syscall *syscall_find(uint32_t number)
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
        trace_call(number, args, 0, 1);     /* exit never returns: show it now */
    int32_t result = call ? call->run(args) : -ENOSYS;
    if (current.trace)
        trace_call(number, args, result, 0);
    r->eax = result;
}
