/* mallocs: thousands of malloc, realloc and free calls of many sizes, with
 * a checksum over the contents: the C library asks the kernel for memory
 * with brk and mmap2, and gives large blocks back with munmap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 200

static unsigned long state = 12345;

static unsigned long next(void)
{
    state = state * 1103515245 + 12345;     /* the C standard's example rand */
    return (state / 65536) % 32768;
}

int main(void)
{
    char *slot[SLOTS] = { 0 };
    size_t size[SLOTS] = { 0 };
    unsigned long sum = 0;
    for (int i = 0; i < 20000; i++) {
        int k = next() % SLOTS;
        if (slot[k]) {
            for (size_t j = 0; j < size[k]; j++)
                sum = sum * 31 + (unsigned char)slot[k][j];
            free(slot[k]);
            slot[k] = 0;
        } else {
            size[k] = next() % 8 == 0 ? 100000 + next() * 4 : 1 + next() % 2000;
            slot[k] = malloc(size[k]);
            if (!slot[k]) {
                printf("malloc(%zu) failed\n", size[k]);
                return 1;
            }
            memset(slot[k], 'a' + k % 26, size[k]);
            if (next() % 4 == 0) {
                char *bigger = realloc(slot[k], size[k] * 2);
                if (!bigger)
                    return 1;
                memset(bigger + size[k], 'z', size[k]);
                slot[k] = bigger;
                size[k] *= 2;
            }
        }
    }
    for (int k = 0; k < SLOTS; k++)
        free(slot[k]);
    printf("20000 operations, checksum %lu\n", sum);
    return 0;
}
