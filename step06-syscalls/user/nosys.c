/* nosys: make the system calls whose numbers are given, with no arguments,
 * and print each result: numbers nobody defines give -ENOSYS (38). */
#include "lib.h"

static long parse(const char *s)
{
    long sign = 1, n = 0;
    if (*s == '-')
        sign = -1, s++;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    return sign * n;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        print("syscall ");
        print(argv[i]);
        print(" = ");
        print_number(syscall3(parse(argv[i]), 0, 0, 0));
        print("\n");
    }
    return 0;
}
