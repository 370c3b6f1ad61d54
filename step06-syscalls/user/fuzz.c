/* fuzz: make thousands of system calls with random numbers and random
 * arguments: fuzz [SEED [COUNT]]. The kernel must survive every one.
 *
 * NOT ON LINUX: random system calls on a real Linux could do real harm
 * (kill processes, delete files), so the tests run this only on our kernel.
 */
#include "lib.h"

static unsigned long state;

static unsigned long random(void)
{
    state ^= state << 13;       /* xorshift32 (Marsaglia, 2003) */
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static long parse(const char *s)
{
    long n = 0;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    return n;
}

static char buffer[256];

/* Arguments a careless or hostile program might pass. */
static unsigned long argument(void)
{
    unsigned long pick[] = {
        0, 1, 2, 3, 16, 4096, 0xffffffff, 0x7fffffff, 0x10000, 0xb8000,
        0x08000000, 0xbffffff0, 0xc0000000, 0xfffffff0,
        (unsigned long)buffer, (unsigned long)buffer + 250, random(),
    };
    return pick[random() % (sizeof pick / sizeof pick[0])];
}

static int number(void)
{
    static const int ours[] = { 3, 4, 20, 45 };
    if (random() % 2)
        return ours[random() % 4];
    return (int)(random() % 520) - 8;   /* from -8 to 511 */
}

int main(int argc, char **argv)
{
    state = argc > 1 ? parse(argv[1]) : 1;
    long count = argc > 2 ? parse(argv[2]) : 10000;
    long ok = 0, efault = 0, ebadf = 0, enosys = 0, other = 0, skipped = 0;
    if (state == 0)
        state = 1;
    print("fuzz: seed ");
    print(argc > 1 ? argv[1] : "1");
    print(", ");
    print_number(count);
    print(" calls\n");
    for (int i = 0; i < 256; i++)
        buffer[i] = '.';
    for (long i = 0; i < count; i++) {
        int n = number();
        unsigned long a = argument(), b = argument(), c = argument();
        if (n == SYS_exit || n == SYS_exit_group || (n == SYS_read && a == 0)) {
            skipped++;                  /* they would end the run, or wait for a key */
            continue;
        }
        long r = syscall6(n, a, b, c, argument(), argument(), argument());
        if (r >= 0 || r < -4095)
            ok++;
        else if (r == -EFAULT)
            efault++;
        else if (r == -EBADF)
            ebadf++;
        else if (r == -ENOSYS)
            enosys++;
        else
            other++;
    }
    print("\nfuzz: done: ");
    print_number(ok);
    print(" succeeded, ");
    print_number(efault);
    print(" EFAULT, ");
    print_number(ebadf);
    print(" EBADF, ");
    print_number(enosys);
    print(" ENOSYS, ");
    print_number(other);
    print(" other, ");
    print_number(skipped);
    print(" skipped\n");
    return 0;
}
