/* numbers: the C library's formatting of numbers, integers and floating
 * point, through snprintf and printf. */
#include <limits.h>
#include <stdio.h>

int main(void)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%d %u %ld", INT_MIN, UINT_MAX, LONG_MAX);
    printf("snprintf gave %d characters: %s\n", n, buf);
    printf("%.3f %e %g %g\n", 3.14159265, 6.02214076e23, 0.0001, 1e-5);
    printf("%8.2f|%-8.2f|%+d\n", -2.5, 2.5, 7);
    printf("%#x %#o %llu\n", 255, 8, 18446744073709551615ull);
    long factorial = 1;
    for (int i = 1; i <= 12; i++) {
        factorial *= i;
        printf("%2d! = %ld\n", i, factorial);
    }
    return 0;
}
