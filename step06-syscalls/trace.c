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
 * check the calls use. For files: o open's flags, a a folder's fd (or
 * AT_FDCWD), e lseek's whence, S a struct stat64 the call filled.
 */
#include "errno.h"
#include "kprintf.h"
#include "paging.h"
#include "syscall.h"
#include "sysfile.h"
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
    case ENOENT: return "ENOENT (No such file or directory)";
    case EEXIST: return "EEXIST (File exists)";
    case ENOTDIR: return "ENOTDIR (Not a directory)";
    case EISDIR: return "EISDIR (Is a directory)";
    case EMFILE: return "EMFILE (Too many open files)";
    case ESPIPE: return "ESPIPE (Illegal seek)";
    case EROFS: return "EROFS (Read-only file system)";
    case ENAMETOOLONG: return "ENAMETOOLONG (File name too long)";
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

static const struct { uint32_t bit; const char *name; } open_flags[] = {
    { 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
    { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 0100000, "O_LARGEFILE" },
    { 0200000, "O_DIRECTORY" }, { 0400000, "O_NOFOLLOW" }, { 02000000, "O_CLOEXEC" },
};

static void flags(uint32_t f)
{
    static const char *access[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
    kprintf("%s", access[f & O_ACCMODE]);
    f &= ~O_ACCMODE;
    for (unsigned i = 0; i < sizeof open_flags / sizeof *open_flags; i++)
        if (f & open_flags[i].bit) {
            kprintf("|%s", open_flags[i].name);
            f &= ~open_flags[i].bit;
        }
    if (f)
        kprintf("|0x%x", f);
}

/* {st_mode=S_IFREG|0644, st_size=18, ...}, if the call filled it. */
static void stat(uint32_t va, int32_t result)
{
    struct stat64 st;
    if (result < 0 || copyin(&st, va, sizeof st)) {
        kprintf(va ? "0x%x" : "NULL", va);
        return;
    }
    uint32_t m = st.mode;
    const char *kind = (m & S_IFMT) == S_IFDIR ? "S_IFDIR"
                     : (m & S_IFMT) == S_IFCHR ? "S_IFCHR" : "S_IFREG";
    kprintf("{st_mode=%s|%u%u%u%u, st_size=%u, ...}", kind, m >> 9 & 7, m >> 6 & 7,
            m >> 3 & 7, m & 7, (uint32_t)st.size);
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
    else if (how == 'o')
        flags(a[i]);
    else if (how == 'a')
        kprintf((int32_t)a[i] == -100 ? "AT_FDCWD" : "%d", a[i]);
    else if (how == 'e')
        kprintf(a[i] <= 2 ? (const char *[]){ "SEEK_SET", "SEEK_CUR", "SEEK_END" }[a[i]] : "%u",
                a[i]);
    else if (how == 'S')
        stat(a[i], result);
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
