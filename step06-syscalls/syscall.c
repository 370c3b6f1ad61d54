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
#include "kprintf.h"
#include "pages.h"
#include "paging.h"
#include "process.h"
#include "syscall.h"
#include "vga.h"

#define EBADF   9
#define ENOMEM  12
#define EFAULT  14
#define ENOSYS  38

#define BRK_MAX (USER_END - 0x1000000u)     /* 16 MiB stays for the stack */

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
        kprintf("+++ exited with %u +++\n", a[0] & 0xFF);
    process_exit(a[0] & 0xFF);
}

/* read(fd, buf, n): only fd 0, the keyboard. */
static int32_t sys_read(const uint32_t *a)
{
    uint32_t fd = a[0], n = a[2];
    char *buf = (char *)a[1];
    if (fd != 0)
        return -EBADF;
    if (!paging_user_range_ok(a[1], n, 1))
        return -EFAULT;
    if (n == 0)
        return 0;
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

/* The table, by number. args says how trace shows each argument:
   d a number, p a pointer, w a buffer the call reads (its length is the
   next argument), r a buffer the call fills (its length is the result). */
struct syscall {
    const char *name;
    int32_t (*run)(const uint32_t *args);
    const char *args;
};

static const struct syscall table[] = {
    [1] = { "exit", sys_exit, "d" },
    [3] = { "read", sys_read, "drd" },
    [4] = { "write", sys_write, "dwd" },
    [20] = { "getpid", sys_getpid, "" },
    [45] = { "brk", sys_brk, "p" },
    [252] = { "exit_group", sys_exit, "d" },
};

#define TABLE_SIZE (sizeof table / sizeof table[0])

static const char *error_name(int32_t e)
{
    switch (e) {
    case EBADF: return "EBADF (Bad file descriptor)";
    case ENOMEM: return "ENOMEM (Cannot allocate memory)";
    case EFAULT: return "EFAULT (Bad address)";
    case ENOSYS: return "ENOSYS (Function not implemented)";
    default: return "";
    }
}

/* A buffer as strace shows it: quoted, escaped, at most 32 bytes. */
static void trace_buffer(uint32_t va, int32_t n)
{
    if (n < 0 || !paging_user_range_ok(va, n, 0)) {
        kprintf(va ? "0x%x" : "NULL", va);
        return;
    }
    const unsigned char *s = (const unsigned char *)va;
    kprintf("\"");
    for (int32_t i = 0; i < n && i < 32; i++) {
        if (s[i] == '\n')
            kprintf("\\n");
        else if (s[i] == '\t')
            kprintf("\\t");
        else if (s[i] == '"' || s[i] == '\\')
            kprintf("\\%c", s[i]);
        else if (s[i] < 32 || s[i] > 126)
            kprintf("\\%o", s[i]);
        else
            kprintf("%c", s[i]);
    }
    kprintf(n > 32 ? "\"..." : "\"");
}

/* strace writes to another stream than the program; here both share the
   console, so a trace line starts on a line of its own. */
static void trace_new_line(void)
{
    if (vga_cursor() % VGA_COLS)
        kprintf("\n");
}

static void trace(uint32_t number, const uint32_t *a, int32_t result)
{
    const struct syscall *call = number < TABLE_SIZE ? &table[number] : 0;
    const char *args = call && call->name ? call->args : "ppp";
    trace_new_line();
    if (call && call->name)
        kprintf("%s(", call->name);
    else
        kprintf("syscall_%d(", (int32_t)number);
    for (int i = 0; args[i]; i++) {
        if (i)
            kprintf(", ");
        if (args[i] == 'd')
            kprintf("%d", (int32_t)a[i]);
        else if (args[i] == 'p')
            kprintf(a[i] ? "0x%x" : "NULL", a[i]);
        else if (args[i] == 'w')
            trace_buffer(a[i], a[i + 1]);
        else
            trace_buffer(a[i], result);
    }
    if (result < 0 && result >= -4095)
        kprintf(") = -1 %s\n", error_name(-result));
    else if (args[0] == 'p')
        kprintf(") = 0x%x\n", result);
    else
        kprintf(") = %d\n", result);
}

void syscall_dispatch(struct regs *r)
{
    uint32_t number = r->eax;
    uint32_t args[6] = { r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp };
    const struct syscall *call = number < TABLE_SIZE ? &table[number] : 0;
    if (current.trace && call && call->run == sys_exit) {
        trace_new_line();
        kprintf("%s(%d) = ?\n", call->name, (int32_t)args[0]);
    }
    int32_t result = call && call->run ? call->run(args) : -ENOSYS;
    if (current.trace)
        trace(number, args, result);
    r->eax = result;
}
