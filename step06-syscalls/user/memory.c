/* memory: grow the heap with brk, use it, and shrink it again. */
#include "lib.h"

#define GROW 100000

int main(void)
{
    char *start = (char *)brk(0);           /* brk(0) asks where the heap ends */
    char *end = (char *)brk(start + GROW);
    print(end == start + GROW ? "brk grew the heap by 100000 bytes\n" : "brk failed\n");

    unsigned long sum = 0;
    for (int i = 0; i < GROW; i++)
        start[i] = (char)i;                 /* the new memory is ours to write */
    for (int i = 0; i < GROW; i++)
        sum += (unsigned char)start[i];
    print("sum of the bytes written: ");
    print_number(sum);
    print("\n");

    print(brk((char *)8) == (long)end ? "brk below the start is refused\n" : "brk(8) moved it\n");
    print(brk(start) == (long)start ? "brk gave the memory back\n" : "brk did not shrink\n");

    /* Grown again, the whole pages it gave back come back as fresh zeroed
       pages, as any new memory does: the bytes written above are gone. */
    brk(start + GROW);
    char *page = (char *)(((unsigned long)start + 4095) & ~4095ul);
    unsigned long left = 0;
    for (char *p = page; p < start + GROW; p++)
        left += (unsigned char)*p;
    print(left == 0 ? "grown again, its new pages read as zeros\n"
                    : "grown again, the old bytes are still there\n");
    print(getpid() > 0 ? "getpid is positive\n" : "getpid is not positive\n");
    return 0;
}
