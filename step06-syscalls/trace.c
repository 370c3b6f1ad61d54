/* trace.c - `trace NAME` shows each system call a program makes, in the
 * form strace uses on Linux:
 *
 *     write(1, "hello, world\n", 13) = 13
 *     write(1, NULL, 5) = -1 EFAULT (Bad address)
 *
 * Each argument is shown by its letter in the call's table entry: d a
 * number, x hex, p a pointer (NULL or 0x...), w a buffer the call reads
 * (its length is the next argument), r a buffer the call filled (its length
 * is the result), s a C string such as a path, shown whole; buffers and
 * strings as trace_string shows them. They are read only after the same
 * check the calls use.
 */
#include "errno.h"
#include "kprintf.h"
#include "paging.h"
#include "syscall.h"
#include "trace.h"
#include "vga.h"

#define PATH_MAX 4096           /* strace shows a path whole, up to Linux's limit */

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

/* One byte of a string as strace writes it: C's escapes, and octal for
   the other bytes that are not printable, in three digits when a digit
   follows (so that \1 then 2 does not read as \12). */
static void escaped(unsigned char c, unsigned char next)
{
    static const char named[] = "\"\"\\\\\ff\nn\rr\tt\vv";   /* each byte, then its letter */
    for (const char *e = named; *e; e += 2) {
        if (c == (unsigned char)e[0]) {
            kprintf("\\%c", e[1]);
            return;
        }
    }
    if (c >= ' ' && c < 127) {
        kprintf("%c", c);
        return;
    }
    kprintf("\\");
    if (c >= 64 || (next >= '0' && next <= '7'))
        kprintf("%c", '0' + (c >> 6));
    if (c >= 8 || (next >= '0' && next <= '7'))
        kprintf("%c", '0' + (c >> 3 & 7));
    kprintf("%c", '0' + (c & 7));
}

void trace_string(uint32_t va, uint32_t n, uint32_t max, int cstring)
{
    uint32_t len = n < max ? n : max, i = 0;
    const unsigned char *c = 0;
    while (i < len && (c = user_in(va + i, 1)) && !(cstring && !*c))
        i++;                    /* how much there is, and can it be read */
    if (!va || (i < len && !c)) {
        kprintf(va ? "0x%x" : "NULL", va);    /* as strace shows what it cannot read */
        return;
    }
    const unsigned char *s = user_in(va, i);
    kprintf("\"");
    for (uint32_t j = 0; j < i; j++)
        escaped(s[j], j + 1 < i ? s[j + 1] : 0);
    kprintf(i == len && n > len ? "\"..." : "\"");
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
        trace_string(a[i], a[i + 1], 32, 0);
    else if (how == 's')
        trace_string(a[i], PATH_MAX, PATH_MAX, 1);
    else if (result < 0)
        kprintf(a[i] ? "0x%x" : "NULL", a[i]);    /* nothing was read */
    else
        trace_string(a[i], result, 32, 0);
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
