/* selftest.c - a short check of the heap at boot, before anything uses it.
 * The thorough tests run on the host (tests/host/heap_test.c); this one
 * shows that the heap also works where it matters, in the kernel.
 */
#include <stdint.h>
#include "heap.h"
#include "kprintf.h"
#include "selftest.h"
#include "string.h"

static int checks, failed;

/* A failed check is reported, not fatal: the console still starts, so the
   heap can be looked at with meminfo, alloc and free. */
static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        failed++;
        kprintf("heap self-test FAILED: %s\n", what);
    }
}

static void alignment_and_reuse(void)
{
    void *p[20];
    for (int i = 0; i < 20; i++) {
        p[i] = kmalloc(i * 37);
        check(p[i] && (uintptr_t)p[i] % 16 == 0, "kmalloc gives 16-byte aligned blocks");
    }
    void *empty = kmalloc(0);
    check(empty && empty != p[0], "kmalloc(0) gives a unique pointer each time");
    kfree(empty);
    for (int i = 0; i < 20; i += 2)
        kfree(p[i]);
    for (int i = 1; i < 20; i += 2)
        kfree(p[i]);
}

static void calloc_and_realloc(void)
{
    unsigned char *z = kcalloc(100, 4);
    int zero = 1;
    for (int i = 0; i < 400; i++)
        zero &= z[i] == 0;
    check(zero, "kcalloc zeroes the block");
    check(kcalloc((size_t)-1 / 2 + 2, 2) == NULL, "kcalloc refuses an overflowing n*size");
    memset(z, 'k', 400);
    unsigned char *bigger = krealloc(z, 5000);
    check(bigger && bigger[0] == 'k' && bigger[399] == 'k', "krealloc keeps the contents");
    check(krealloc(bigger, 0) == NULL, "krealloc(p, 0) frees p");
    check(kmalloc((size_t)-1) == NULL, "an impossible request gives NULL");
}

void heap_selftest(const char *tag)
{
    struct heap_stats before, after;
    checks = failed = 0;
    heap_stats(&before);
    void *first = kmalloc(0);           /* kept, so the tests run off the top */
    alignment_and_reuse();
    calloc_and_realloc();
    heap_stats(&after);
    check(after.used_blocks == before.used_blocks + 1 &&
          after.free_blocks <= before.free_blocks + 1,
          "freed neighbours merge back into one free block");
    kfree(first);
    kfree(0);
    heap_stats(&after);
    check(after.free_blocks == before.free_blocks && after.free == before.free,
          "freeing everything leaves the heap as it was");
    kprintf("heap self-test%s%s: ", tag ? " " : "", tag ? tag : "");
    if (failed)
        kprintf("%d of %d checks failed\n", failed, checks);
    else
        kprintf("%d checks passed\n", checks);
}
