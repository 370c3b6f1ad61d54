/* trace.c - `trace NAME` shows each system call a program makes, in the
 * form strace uses on Linux:
 *
 *     write(1, "hello, world\n", 13) = 13
 *     write(1, NULL, 5) = -1 EFAULT (Bad address)
 *
 * Each argument is shown by its letter in the call's table entry: d a
 * number, x hex, p a pointer (NULL or 0x...), w a buffer the call reads
 * (its length is the next argument), r a buffer the call filled (its length
 * is the result). Buffers are read only after the same check the calls use.
 */
#include "errno.h"
#include "kprintf.h"
#include "paging.h"
#include "syscall.h"
#include "trace.h"
#include "vga.h"

static const char *error_name(int32_t e)
{
    switch (e) {
    case ESRCH: return "ESRCH (No such process)";
    case EBADF: return "EBADF (Bad file descriptor)";
    case ENOMEM: return "ENOMEM (Cannot allocate memory)";
    case EFAULT: return "EFAULT (Bad address)";
    case EINVAL: return "EINVAL (Invalid argument)";
    case ENOTTY: return "ENOTTY (Inappropriate ioctl for device)";
    case ENOSYS: return "ENOSYS (Function not implemented)";
    case EOPNOTSUPP: return "EOPNOTSUPP (Operation not supported)";
    default: return "";
    }
}

/* strace writes to another stream than the program; here both share the
   console, so a trace line starts on a line of its own. */
static void new_line(void)
{
    if (vga_cursor() % VGA_COLS)
        kprintf("\n");
}

/* A buffer as strace shows it: quoted, escaped, at most 32 bytes. */
static void buffer(uint32_t va, int32_t n)
{
    const unsigned char *s = n < 0 ? 0 : user_in(va, n);
    if (!s) {
        kprintf(va ? "0x%x" : "NULL", va);
        return;
    }
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

static void argument(char how, const uint32_t *a, int i, int32_t result)
{
    if (how == 'd')
        kprintf("%d", (int32_t)a[i]);
    else if (how == 'x')
        kprintf("0x%x", a[i]);
    else if (how == 'p')
        kprintf(a[i] ? "0x%x" : "NULL", a[i]);
    else if (how == 'w')
        buffer(a[i], a[i + 1]);
    else
        buffer(a[i], result);
}

void trace_call(const struct syscall *call, uint32_t number, const uint32_t *a,
                int32_t result, int early)
{
    const char *args = call ? call->args : "ppp";
    new_line();
    if (call)
        kprintf("%s(", call->name);
    else
        kprintf("syscall_%d(", (int32_t)number);
    for (int i = 0; args[i]; i++) {
        if (i)
            kprintf(", ");
        argument(args[i], a, i, result);
    }
    if (early)
        kprintf(") = ?\n");
    else if (result < 0 && result >= -4095)
        kprintf(") = -1 %s\n", error_name(-result));
    else if (call && call->result == 'p')
        kprintf(") = 0x%x\n", result);
    else
        kprintf(") = %d\n", result);
}

void trace_exit(uint32_t status)
{
    new_line();
    kprintf("+++ exited with %u +++\n", status);
}
