/* printf: an ordinary C program, built against musl (a real C library)
 * as a static Linux executable. Nothing in it knows about our kernel. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from %s, built with musl: %d arguments\n", argv[0], argc);
    printf("%-10s|%10s|\n", "left", "right");
    printf("%5d %05d %x %X %o %c %s\n", 42, 42, 3054, 3054, 8, 'A', "end");
    fputs("fputs and putchar work too", stdout);
    putchar('\n');
    return 0;
}
