/* compat: the calls where this kernel once answered differently from
 * Linux, found by the fuzzer (fuzz.c), each kept as a case: compat [CASE...]
 * runs the cases named, or all of them, and prints each answer. The tests
 * run every case here and under qemu-i386, and the lines must be the same.
 */
#include "lib.h"

#define SYS_munmap          91
#define SYS_readv           145
#define SYS_writev          146
#define SYS_mmap2           192
#define SYS_set_thread_area 243

static char text[] = "ab";
static char buffer[16];
static unsigned long iov[4];
static unsigned long desc[4];       /* struct user_desc: entry, base, limit, flags */

static void show(const char *what, long result)
{
    print(what);
    print(" = ");
    print_number(result);
    print("\n");
}

/* mmap2 answers with an address, which is Linux's choice: only say whether it worked. */
static void show_mapped(const char *what, long result)
{
    print(what);
    print(result < 0 && result > -4096 ? " = error\n" : " = ok\n");
}

static long set_thread_area(long entry, unsigned long flags)
{
    desc[0] = entry, desc[1] = (unsigned long)buffer, desc[2] = 15, desc[3] = flags;
    return syscall3(SYS_set_thread_area, (long)desc, 0, 0);
}

/* A code segment (contents 3) as thread data: Linux refuses it. */
static void tls_code(void)
{
    show("set_thread_area(code segment)", set_thread_area(6, 0x07));
}

/* Linux has three entries for thread data, 6 to 8. */
static void tls_entries(void)
{
    show("set_thread_area(entry 7)", set_thread_area(7, 0x01));
    show("set_thread_area(entry 8)", set_thread_area(8, 0x01));
    show("set_thread_area(entry 9)", set_thread_area(9, 0x01));
}

/* Buffers of length 0 ask for nothing: no reason to wait for a key. */
static void readv_empty(void)
{
    iov[0] = (unsigned long)buffer, iov[1] = 0;
    show("readv(0, {buffer, 0}, 1)", syscall3(SYS_readv, 0, (long)iov, 1));
}

/* A bad buffer after a good one: the good one is written. */
static void writev_partial(void)
{
    iov[0] = (unsigned long)text, iov[1] = 2, iov[2] = 0, iov[3] = 5;
    show(" <- writev(1, {\"ab\", 2}, {NULL, 5})", syscall3(SYS_writev, 1, (long)iov, 2));
}

/* A negative length refuses the whole call. */
static void writev_negative(void)
{
    iov[0] = (unsigned long)text, iov[1] = 2, iov[2] = (unsigned long)text, iov[3] = 0x80000000;
    show("writev(1, {\"ab\", 2}, {\"ab\", -2147483648})", syscall3(SYS_writev, 1, (long)iov, 2));
}

/* A length that wraps when rounded up to whole pages. */
static void munmap_wrap(void)
{
    show("munmap(0x31000000, 0xffffffff)", syscall3(SYS_munmap, 0x31000000, 0xffffffff, 0));
}

static void mmap_shared(void)
{
    show_mapped("mmap2(NULL, 4096, RW, MAP_SHARED|MAP_ANONYMOUS)",
                syscall6(SYS_mmap2, 0, 4096, 3, 0x21, -1, 0));
    show("mmap2(NULL, 4096, RW, MAP_SHARED|MAP_ANONYMOUS|MAP_GROWSDOWN)",
         syscall6(SYS_mmap2, 0, 4096, 3, 0x121, -1, 0));
}

static void mmap_huge(void)
{
    show("mmap2(NULL, 0xffffffff, RW, MAP_PRIVATE|MAP_ANONYMOUS)",
         syscall6(SYS_mmap2, 0, 0xffffffff, 3, 0x22, -1, 0));
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    { "tls-code", tls_code },
    { "tls-entries", tls_entries },
    { "readv-empty", readv_empty },
    { "writev-partial", writev_partial },
    { "writev-negative", writev_negative },
    { "munmap-wrap", munmap_wrap },
    { "mmap-shared", mmap_shared },
    { "mmap-huge", mmap_huge },
};

#define CASES (sizeof cases / sizeof cases[0])

int main(int argc, char **argv)
{
    int status = 0;
    for (unsigned i = 0; i < CASES && argc == 1; i++)
        cases[i].run();
    for (int a = 1; a < argc; a++) {
        unsigned i = 0;
        while (i < CASES && strcmp(argv[a], cases[i].name) != 0)
            i++;
        if (i < CASES) {
            cases[i].run();
        } else {
            print("compat: no case '");
            print(argv[a]);
            print("'\n");
            status = 1;
        }
    }
    return status;
}
