/* heap_test.c - step05's kernel heap, tested on the host.

   First unit tests: each function at its edges, coalescing in every order of
   frees, running out of memory. Then misuse: a bad pointer handed to kfree
   or krealloc must be reported and ignored, a write just past a block
   reported and repaired, a damaged header must panic; each report must name
   the caller. Last a model test: random kmalloc, kfree, krealloc and kcalloc,
   checked against a table of the blocks that should be live.

   usage: heap_test [-u | -m] [OPS [SEED]]
     -u  only the unit and misuse tests      -m  only the model test
     OPS   how many random operations (1000000)
     SEED  where the random numbers start, to replay a failure (default: the time) */

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../step05-malloc/heap.h"
#include "../../step05-malloc/kprintf.h"

#define MiB         (1024 * 1024)
#define ARENA       (128 * MiB)
#define UNIT_HEAP   (1 * MiB)   /* the unit tests' heap: small, to run out quickly */
#define JUNK        0xA5        /* what the unit heap holds at the start: never zero */
#define CALLER_SPAN 4096        /* a return address lies this close after its function */

_Alignas(16) static char arena[ARENA];

/* The kernel heap lives in arena, and nothing here calls the C library's
   malloc, so LeakSanitizer has no leak to find: it would only read all of
   arena for pointers at the exit. ASan reads this function at start-up. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}

static int passed, failed;
static const char *current;     /* the test running, named in FAIL lines */

static void expect_at(int line, int ok, const char *fmt, ...)
{
    va_list args;

    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL: %s (heap_test.c:%d): ", current, line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    putchar('\n');
}

#define expect(ok, ...) expect_at(__LINE__, ok, __VA_ARGS__)

/* The kernel's kprintf and panic. kprintf's text is kept, for the tests to
   read. panic jumps back to the test that expected it; a panic nobody
   expects ends the program, as the kernel would stop. */

static char printed[8192];
static size_t printed_len;
static char panic_text[1024];
static jmp_buf *on_panic;

int kprintf(const char *fmt, ...)
{
    size_t room = sizeof printed - printed_len;
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(printed + printed_len, room, fmt, args);
    va_end(args);
    if (n > 0)
        printed_len += (size_t)n < room ? (size_t)n : room - 1;
    return n;
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vsnprintf(panic_text, sizeof panic_text, fmt, args);
    va_end(args);
    if (on_panic)
        longjmp(*on_panic, 1);
    printf("FAIL: %s: panic outside a test: %s\n", current, panic_text);
    printf("%d passed, %d failed\n", passed, failed + 1);
    exit(1);
}

/* text on one line, for a FAIL line: newlines shown as \n. One at a time. */
static const char *one_line(const char *text)
{
    static char line[2 * sizeof printed];
    char *p = line;

    for (; *text && p < line + sizeof line - 3; text++)
        if (*text == '\n') {
            *p++ = '\\';
            *p++ = 'n';
        } else {
            *p++ = *text;
        }
    *p = '\0';
    return line;
}

static void forget_printed(void)
{
    printed_len = 0;
    printed[0] = '\0';
}

/* Run stmt, which must panic; panic_text says why it did. */
#define EXPECT_PANIC(stmt)                                      \
    do {                                                        \
        jmp_buf here_, *outer_ = on_panic;                      \
        panic_text[0] = '\0';                                   \
        on_panic = &here_;                                      \
        if (setjmp(here_) == 0) {                               \
            stmt;                                               \
            expect(0, "%s did not panic", #stmt);               \
        }                                                       \
        on_panic = outer_;                                      \
    } while (0)

/* Is the address after "called from" in text a return address in fn? The
   misuse tests are noinline, so that a call from one returns into it. */
static void expect_caller(const char *text, void (*fn)(void))
{
    const char *at = strstr(text, "alled from 0x");   /* "Called" in reports, "called" in panics */
    uintptr_t start = (uintptr_t)fn, address = at ? (uintptr_t)strtoull(at + 11, NULL, 16) : 0;

    expect(address > start && address < start + CALLER_SPAN,
           "the caller should be a return address in %s, at %#lx to %#lx: \"%s\"", current,
           (unsigned long)start, (unsigned long)(start + CALLER_SPAN), one_line(text));
}

/* kprintf printed one report: by who about p, saying what, naming a caller
   in fn and ending in ending ("ignored" or "repaired"). */
static void expect_report(const char *who, const void *p, const char *what, const char *ending,
                          void (*fn)(void))
{
    char start[64], end[32];
    size_t n, m;

    snprintf(start, sizeof start, "%s(%p): ", who, p);
    snprintf(end, sizeof end, "; %s\n", ending);
    n = strlen(start);
    m = strlen(end);
    expect(strncmp(printed, start, n) == 0 && strstr(printed, what) && printed_len >= m &&
           strcmp(printed + printed_len - m, end) == 0 && !strstr(printed + n, start),
           "expected a report \"%s...%s...%s\", got \"%s\"", start, what, ending,
           one_line(printed));
    expect_caller(printed, fn);
    forget_printed();
}

static void expect_panic_text(const char *what, void (*fn)(void))
{
    expect(strncmp(panic_text, "heap damaged: ", 14) == 0 && strstr(panic_text, what),
           "expected a panic \"heap damaged: ...%s...\", got \"%s\"", what, panic_text);
    if (fn)
        expect_caller(panic_text, fn);
}

/* heap_stats adds up, and finds used_blocks blocks in use. */
static struct heap_stats consistent(size_t used_blocks)
{
    struct heap_stats s;

    heap_stats(&s);
    expect(s.used_blocks == used_blocks && s.used + s.free == s.size &&
           s.largest_free <= s.free && s.free_blocks >= 1 && s.size > 0,
           "heap_stats: %zu used blocks, expected %zu; used %zu + free %zu = size %zu?; "
           "largest free %zu, %zu free blocks", s.used_blocks, used_blocks, s.used, s.free,
           s.size, s.largest_free, s.free_blocks);
    return s;
}

/* Nothing in use: the whole heap is one free block again. */
static void all_free(void)
{
    struct heap_stats s;

    heap_stats(&s);
    expect(s.used_blocks == 0 && s.used == 0 && s.free_blocks == 1 && s.free == s.size &&
           s.largest_free == s.size,
           "after freeing everything: %zu used blocks, %zu free blocks, free %zu of %zu",
           s.used_blocks, s.free_blocks, s.free, s.size);
}

/* The heap still works: blocks of a few sizes come and go, and it is as before. */
static void still_usable(size_t used_blocks)
{
    static const size_t sizes[] = { 1, 24, 100, 1000, 5000, 70000 };
    void *p[6];

    consistent(used_blocks);
    for (int i = 0; i < 6; i++) {
        p[i] = kmalloc(sizes[i]);
        expect(p[i] != NULL, "kmalloc(%zu) after misuse", sizes[i]);
        if (p[i])
            memset(p[i], i, sizes[i]);
    }
    for (int i = 0; i < 6; i += 2)
        kfree(p[i]);
    for (int i = 1; i < 6; i += 2)
        kfree(p[i]);
    consistent(used_blocks);
}

static int aligned(const void *p)
{
    return (uintptr_t)p % 16 == 0;
}

/* Unit tests. */

static void zero_and_null(void)
{
    char *a = kmalloc(0), *b = kmalloc(0), *c = kcalloc(0, 8);
    struct heap_stats before, after;

    expect(a && b && c && a != b && b != c && a != c,
           "kmalloc(0) and kcalloc(0, 8) give unique pointers: %p %p %p", a, b, c);
    expect(aligned(a) && aligned(b) && aligned(c), "kmalloc(0) is aligned");
    consistent(3);
    kfree(b);
    kfree(a);
    kfree(c);
    all_free();
    heap_stats(&before);
    kfree(NULL);
    heap_stats(&after);
    expect(memcmp(&before, &after, sizeof before) == 0 && printed_len == 0,
           "kfree(NULL) does nothing");
}

static void alignment(void)
{
    void *p[600];
    int n = 0;

    for (size_t size = 0; size < 300; size++)
        p[n++] = kmalloc(size);
    for (size_t size = 300; size < 100000; size = size * 5 / 4 + 3)
        p[n++] = kmalloc(size);
    for (int i = 0; i < n; i++)
        expect(p[i] && aligned(p[i]), "kmalloc pointer %d is 16-byte aligned: %p", i, p[i]);
    /* Again from freed blocks, split and merged, rather than from the top. */
    for (int i = 0; i < n; i += 3)
        kfree(p[i]);
    for (int i = 1; i < n; i += 3)
        kfree(p[i]);
    for (int i = 0; i < n; i++)
        if (i % 3 != 2) {
            p[i] = i % 2 ? kcalloc(1, (size_t)(i * 7 % 500)) : kmalloc((size_t)(i * 13 % 700));
            expect(p[i] && aligned(p[i]), "reused pointer %d is 16-byte aligned: %p", i, p[i]);
        }
    for (int i = 0; i < n; i++)
        kfree(p[i]);
    all_free();

    /* A start that is not aligned itself. */
    for (int offset = 1; offset < 16; offset++) {
        heap_init(arena + offset, 1000);
        void *q = kmalloc(1), *r = kmalloc(17);
        struct heap_stats s = consistent(2);
        expect(q && r && aligned(q) && aligned(r) && s.size <= 1000 - (size_t)offset,
               "heap at arena + %d: kmalloc gives %p, %p, heap size %zu", offset, q, r, s.size);
        kfree(q);
        kfree(r);
        all_free();
    }
}

static void calloc_zeroes(void)
{
    unsigned char *p = kmalloc(5000), *q;
    int zero = 1;

    memset(p, 0xFF, 5000);      /* the old contents kcalloc must clear */
    kfree(p);
    q = kcalloc(1000, 5);
    expect(q == p, "kcalloc(1000, 5) reuses the block just freed (%p), got %p", p, q);
    for (int i = 0; q && i < 5000; i++)
        zero &= q[i] == 0;
    expect(q && zero, "kcalloc(1000, 5) gives 5000 zero bytes");
    kfree(q);
    expect(kcalloc(SIZE_MAX / 2 + 1, 2) == NULL, "kcalloc(SIZE_MAX/2+1, 2) overflows: NULL");
    expect(kcalloc(2, SIZE_MAX / 2 + 1) == NULL, "kcalloc(2, SIZE_MAX/2+1) overflows: NULL");
    expect(kcalloc(SIZE_MAX, SIZE_MAX) == NULL, "kcalloc(SIZE_MAX, SIZE_MAX) overflows: NULL");
    expect(kcalloc((size_t)1 << 16, (size_t)1 << 16) == NULL,
           "kcalloc(65536, 65536), 4 GiB, is larger than the heap: NULL");
    all_free();
}

static void realloc_cases(void)
{
    unsigned char *p = krealloc(NULL, 40), *q, *r;
    int same = 1;

    expect(p && aligned(p), "krealloc(NULL, 40) allocates");
    consistent(1);
    for (int i = 0; i < 40; i++)
        p[i] = (unsigned char)(i * 3 + 1);
    q = kmalloc(10);            /* keep p off the top */
    r = krealloc(p, 3000);
    for (int i = 0; r && i < 40; i++)
        same &= r[i] == (unsigned char)(i * 3 + 1);
    expect(r && aligned(r) && same, "krealloc(p, 3000) grows and keeps the 40 bytes");
    consistent(2);
    for (int i = 0; r && i < 3000; i++)
        r[i] = (unsigned char)(i * 7);
    p = krealloc(r, 100);
    same = 1;
    for (int i = 0; p && i < 100; i++)
        same &= p[i] == (unsigned char)(i * 7);
    expect(p == r && same, "krealloc(p, 100) shrinks in place (%p, got %p) and keeps 100 bytes",
           r, p);
    r = krealloc(p, SIZE_MAX);
    same = 1;
    for (int i = 0; i < 100; i++)
        same &= p[i] == (unsigned char)(i * 7);
    expect(r == NULL && same, "krealloc(p, SIZE_MAX) fails and leaves p as it was");
    consistent(2);
    expect(krealloc(p, 0) == NULL, "krealloc(p, 0) returns NULL");
    consistent(1);
    kfree(q);
    all_free();
}

static void too_large(void)
{
    struct heap_stats s = consistent(0);
    void *p;

    expect(kmalloc(SIZE_MAX) == NULL, "kmalloc(SIZE_MAX) is NULL");
    expect(kmalloc(SIZE_MAX - 15) == NULL, "kmalloc(SIZE_MAX - 15) is NULL");
    expect(kmalloc(s.size) == NULL, "kmalloc(the heap's size) is NULL");
    expect(kmalloc(s.size + 1) == NULL, "kmalloc(the heap's size + 1) is NULL");
    /* Sizes that would wrap to small ones in a 32-bit block size. */
    expect(kmalloc((size_t)1 << 32) == NULL, "kmalloc(4 GiB) is NULL");
    expect(kmalloc(((size_t)1 << 32) + 16) == NULL, "kmalloc(4 GiB + 16) is NULL");
    expect(kmalloc(0xFFFFFFF8u) == NULL, "kmalloc(0xFFFFFFF8) is NULL");
    all_free();
    p = kmalloc(s.size - 64);
    expect(p != NULL, "kmalloc(heap size - 64) fits in the empty heap");
    consistent(1);
    kfree(p);
    all_free();
}

/* A fitting free block deep in its class's list, with nothing else free
   and the top used up: kmalloc must find it, not return NULL. */
static void search_whole_class(void)
{
    heap_init(arena, 4096);
    void *big = kmalloc(100), *small[8];
    kmalloc(1);                 /* used blocks in between: nothing merges */
    for (int i = 0; i < 8; i++) {
        small[i] = kmalloc(52); /* 64-byte blocks: big's class, but too small */
        kmalloc(1);
    }
    while (kmalloc(1))
        ;                       /* use up the top */
    kfree(big);                 /* first freed, so last on the list */
    for (int i = 0; i < 8; i++)
        kfree(small[i]);
    expect(kmalloc(100) == big, "kmalloc(100) did not find the free 112-byte block behind "
           "eight smaller ones in its class");
    heap_init(arena, UNIT_HEAP);
}

static void out_of_memory(void)
{
    static unsigned char *p[4096];
    int n = 0, small = 0, intact = 1;
    struct heap_stats s;

    while (n < 4096 && (p[n] = kmalloc(1000)) != NULL) {
        memset(p[n], n & 0xFF, 1000);
        n++;
    }
    while (n < 4096 && (p[n] = kmalloc(0)) != NULL) {
        n++;
        small++;
    }
    expect(n < 4096 && n > 1000, "1 MiB runs out after %d allocations", n);
    expect(kmalloc(1) == NULL && kcalloc(1, 1) == NULL && krealloc(NULL, 1) == NULL,
           "once out of memory, kmalloc(1), kcalloc(1, 1), krealloc(NULL, 1) are NULL");
    expect(krealloc(p[0], 2000) == NULL, "krealloc(p, 2000) is NULL when out of memory");
    s = consistent((size_t)n);
    expect(s.free_blocks == 1 && s.free < 64, "out of memory: %zu free blocks, %zu bytes free",
           s.free_blocks, s.free);

    /* Holes: every other big block. They are reused, and the rest stays intact. */
    for (int i = 0; i < n - small; i += 2)
        kfree(p[i]);
    for (int i = 0; i < n - small; i += 2) {
        p[i] = kmalloc(1000);
        expect(p[i] != NULL, "kmalloc(1000) into the hole of block %d", i);
        if (p[i])
            memset(p[i], i & 0xFF, 1000);
    }
    for (int i = 0; i < n - small; i++)
        for (int j = 0; p[i] && j < 1000; j++)
            intact &= p[i][j] == (i & 0xFF);
    expect(intact, "the blocks hold what was written to them");
    consistent((size_t)n);
    for (int i = 0; i < n; i++)
        kfree(p[i]);
    all_free();
}

/* Free a then c then b: the three merge into one block, which is reused. */
static void coalescing(void)
{
    char *a = kmalloc(100), *b = kmalloc(200), *c = kmalloc(300), *d = kmalloc(100), *e;
    struct heap_stats s0 = consistent(4), s1, s2;

    kfree(a);
    kfree(c);
    s1 = consistent(2);
    expect(s1.free_blocks == 3, "a and c free, b between: 3 free blocks with the top, got %zu",
           s1.free_blocks);
    kfree(b);
    s2 = consistent(1);
    expect(s2.free_blocks == 2 && s2.free > s1.free && s2.largest_free == s0.largest_free,
           "a, b, c merged: 2 free blocks with the top, got %zu", s2.free_blocks);
    e = kmalloc(600);
    expect(e == a, "kmalloc(600) fits in the merged a+b+c at %p, got %p", a, e);
    kfree(e);
    kfree(d);
    all_free();

    /* A block freed next to the top merges with it. */
    a = kmalloc(100);
    b = kmalloc(100);
    kfree(b);
    s1 = consistent(1);
    expect(s1.free_blocks == 1, "the block before the top merges with it");
    kfree(a);
    all_free();
}

/* Free n blocks in each of the n! orders. After every kfree the free blocks
   must be the runs of freed blocks, the last run merged with the top. */
static void free_orders(void)
{
    enum { N = 6 };
    static const size_t sizes[N] = { 1, 100, 16, 1000, 40, 300 };
    int orders = 0;

    for (int k = 0, bad = 0; k < 720 && !bad; k++) {
        char *p[N];
        int left[N], order[N], freed[N] = { 0 }, rest = k;

        heap_init(arena, UNIT_HEAP);
        for (int i = 0; i < N; i++) {
            p[i] = kmalloc(sizes[i]);
            left[i] = i;
        }
        /* k's digits in the factorial base pick the next block from those left. */
        for (int i = 0, n = N; i < N; i++, n--) {
            int pick = rest % n;
            rest /= n;
            order[i] = left[pick];
            left[pick] = left[n - 1];
        }
        for (int i = 0; i < N && !bad; i++) {
            struct heap_stats s;
            size_t runs = 0;

            kfree(p[order[i]]);
            freed[order[i]] = 1;
            for (int j = 0; j < N; j++)
                runs += freed[j] && (j == 0 || !freed[j - 1]);
            runs += !freed[N - 1];      /* the top, unless the last run joined it */
            heap_stats(&s);
            if (s.free_blocks != runs || s.used_blocks != (size_t)(N - 1 - i)) {
                expect(0, "free order %d %d %d %d %d %d: after %d frees, %zu free blocks "
                       "(expected %zu), %zu used", order[0], order[1], order[2], order[3],
                       order[4], order[5], i + 1, s.free_blocks, runs, s.used_blocks);
                bad = 1;
            }
        }
        orders += !bad;
        if (!bad)
            all_free();
    }
    expect(orders == 720, "all 720 orders of freeing 6 blocks merge correctly");
}

/* Misuse. Each test checks that the report names a return address inside
   itself, so none may be inlined. */

#define MISUSE __attribute__((noinline)) static void

MISUSE double_free(void)
{
    char *a = kmalloc(100), *b = kmalloc(100), *c = kmalloc(100), *d = kmalloc(100);

    kfree(b);
    kfree(b);                   /* on a free list */
    expect_report("kfree", b, "double free: this block is already free", "ignored",
                  double_free);
    consistent(3);
    kfree(a);
    kfree(a);                   /* merged with b, after it */
    expect_report("kfree", a, "double free", "ignored", double_free);
    kfree(d);
    kfree(d);                   /* merged with the top */
    expect_report("kfree", d, "double free", "ignored", double_free);
    expect(krealloc(d, 10) == NULL, "krealloc of a freed block is NULL");
    expect_report("krealloc", d, "double free", "ignored", double_free);
    still_usable(1);
    kfree(c);
    all_free();
    a = kmalloc(100);
    b = kmalloc(100);
    c = kmalloc(100);
    kfree(a);
    kfree(b);                   /* merged into a, before it */
    kfree(b);
    expect_report("kfree", b, "double free", "ignored", double_free);
    kfree(c);
    all_free();
}

MISUSE outside_the_heap(void)
{
    _Alignas(16) char local[32];
    char *a = kmalloc(100);

    kfree(local);
    expect_report("kfree", local, "not a pointer kmalloc returned: it is outside the heap",
                  "ignored", outside_the_heap);
    kfree(arena + UNIT_HEAP + 16);      /* just past the heap's end */
    expect_report("kfree", arena + UNIT_HEAP + 16, "it is outside the heap", "ignored",
                  outside_the_heap);
    kfree(a - 16);                      /* before the first block */
    expect_report("kfree", a - 16, "it is outside the heap", "ignored", outside_the_heap);
    expect(krealloc(local, 10) == NULL, "krealloc of a stack address is NULL");
    expect_report("krealloc", local, "it is outside the heap", "ignored", outside_the_heap);
    still_usable(1);
    kfree(a);
    all_free();
}

MISUSE misaligned(void)
{
    char *a = kmalloc(100), *b = kmalloc(100);

    kfree(a + 1);
    expect_report("kfree", a + 1, "not a pointer kmalloc returned: it is not 16-byte aligned",
                  "ignored", misaligned);
    kfree(b - 8);
    expect_report("kfree", b - 8, "it is not 16-byte aligned", "ignored", misaligned);
    still_usable(2);
    kfree(a);
    kfree(b);
    all_free();
}

MISUSE inside_a_block(void)
{
    char *a = kmalloc(100), *b = kmalloc(100), *c = kmalloc(100);
    char what[120];

    memset(b, 0, 100);
    kfree(b + 16);
    snprintf(what, sizeof what, "not a pointer kmalloc returned: it points 16 bytes into the "
             "block at %p", (void *)b);
    expect_report("kfree", b + 16, what, "ignored", inside_a_block);
    memset(a, 0, 100);
    expect(krealloc(a + 48, 200) == NULL, "krealloc of a pointer into a block is NULL");
    snprintf(what, sizeof what, "it points 48 bytes into the block at %p", (void *)a);
    expect_report("krealloc", a + 48, what, "ignored", inside_a_block);
    still_usable(3);
    kfree(a);
    kfree(b);
    kfree(c);
    all_free();
}

MISUSE into_the_top(void)
{
    char *a = kmalloc(100);
    struct heap_stats s = consistent(1);
    char *last = a - 8 + s.size - 8;    /* the heap's last 16-byte boundary */

    kfree(a + 4096);
    expect_report("kfree", a + 4096, "not a pointer kmalloc returned: it is in the heap's "
                  "unused top", "ignored", into_the_top);
    kfree(last);
    expect_report("kfree", last, "unused top", "ignored", into_the_top);
    kfree(last + 16);
    expect_report("kfree", last + 16, "outside the heap", "ignored", into_the_top);
    still_usable(1);
    kfree(a);
    all_free();
}

MISUSE overrun_guard(void)
{
    char *a = kmalloc(100), *b = kmalloc(100), *c = kmalloc(100), *d;

    /* kmalloc(100) takes 112 bytes: 8 of header, 103 of room, 1 guard byte */
    memset(c, 'x', 103);
    kfree(c);
    expect(printed_len == 0, "writing 103 bytes to kmalloc(100) is no overrun: \"%s\"",
           one_line(printed));
    memset(a, 'x', 100);
    memset(a + 100, 0x55, 4);
    kfree(a);
    expect_report("kfree", a, "buffer overrun: something wrote past the end of this 103-byte "
                  "block, over its guard byte (0x55)", "repaired", overrun_guard);
    still_usable(1);
    memset(b + 100, 0x55, 4);
    d = krealloc(b, 1000);
    expect_report("krealloc", b, "buffer overrun", "repaired", overrun_guard);
    expect(d != NULL, "krealloc after a repaired overrun still works");
    still_usable(1);
    kfree(d);
    all_free();
}

MISUSE overrun_header(void)
{
    char *a = kmalloc(100), *b = kmalloc(100);
    char what[120];

    (void)b;
    memset(a + 100, 0x55, 16);  /* the guard, the next header and 4 bytes more */
    EXPECT_PANIC(kfree(a));
    snprintf(what, sizeof what, "something wrote past the end of the 103-byte block at %p and "
             "over the next block's header (size 0x55555555, magic 0x55555555)", (void *)a);
    expect_panic_text(what, overrun_header);
}

/* 8 bytes from byte 100 reach the next header's size but not its magic:
   the size is checked too, or release would trust it and write far away. */
MISUSE overrun_size(void)
{
    char *a = kmalloc(100), *b, *c;

    memset(a + 100, 0x55, 8);   /* the guard and the size of the top */
    EXPECT_PANIC(kfree(a));
    expect_panic_text("over the next block's header (size 0x55555555, magic 0xf4eeb10c)",
                      overrun_size);

    heap_init(arena, UNIT_HEAP);
    a = kmalloc(100);
    b = kmalloc(100);
    c = kmalloc(100);
    (void)c;
    kfree(b);                   /* the next block is free, on a list */
    memset(a + 100, 0x55, 8);
    EXPECT_PANIC(kfree(a));
    expect_panic_text("over the next block's header (size 0x55555555", overrun_size);
}

MISUSE header_overwritten(void)
{
    char *a = kmalloc(100), *b = kmalloc(100), *c = kmalloc(100);
    char what[200];
    struct heap_stats s;

    (void)c;
    memset(b - 8, 0x55, 8);
    EXPECT_PANIC(kfree(b));
    snprintf(what, sizeof what, "the header of the block at %p was overwritten (size "
             "0x55555555, magic 0x55555555), most likely by a write past the end of the block "
             "before it, at %p", (void *)b, (void *)a);
    expect_panic_text(what, header_overwritten);
    EXPECT_PANIC(heap_stats(&s));
    expect_panic_text("overwritten", NULL);
}

MISUSE free_header_overwritten(void)
{
    char *a = kmalloc(100), *b = kmalloc(100), *c = kmalloc(100);

    (void)a;
    (void)c;
    kfree(b);
    memset(b - 8, 0x55, 8);     /* say a write through a stale pointer */
    EXPECT_PANIC(kmalloc(50));
    expect_panic_text("free block", NULL);
}

/* A free block's footer is read only when the block after it is freed;
   then it must lead back to that free block. */
MISUSE free_footer_overwritten(void)
{
    char *a = kmalloc(100), *b = kmalloc(100), *c = kmalloc(100);

    (void)c;
    kfree(a);
    memset(a + 100, 0x55, 4);   /* a's footer, through a stale pointer */
    EXPECT_PANIC(kfree(b));
    expect_panic_text("heap damaged: the free block before", NULL);
    expect_panic_text("(footer 0x55555555)", NULL);
}

/* Each test starts with a fresh heap, on memory that is not zero. */
static void run_test(const char *name, void (*fn)(void))
{
    jmp_buf here;

    current = name;
    memset(arena, JUNK, UNIT_HEAP);
    heap_init(arena, UNIT_HEAP);
    forget_printed();
    on_panic = &here;
    if (setjmp(here) == 0)
        fn();
    else
        expect(0, "unexpected panic: %s", panic_text);
    on_panic = NULL;
    expect(printed_len == 0, "the heap printed \"%s\"", one_line(printed));
}

static void unit_tests(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        { "zero_and_null", zero_and_null },
        { "alignment", alignment },
        { "calloc_zeroes", calloc_zeroes },
        { "realloc_cases", realloc_cases },
        { "too_large", too_large },
        { "search_whole_class", search_whole_class },
        { "out_of_memory", out_of_memory },
        { "coalescing", coalescing },
        { "free_orders", free_orders },
        { "double_free", double_free },
        { "outside_the_heap", outside_the_heap },
        { "misaligned", misaligned },
        { "inside_a_block", inside_a_block },
        { "into_the_top", into_the_top },
        { "overrun_guard", overrun_guard },
        { "overrun_header", overrun_header },
        { "overrun_size", overrun_size },
        { "header_overwritten", header_overwritten },
        { "free_header_overwritten", free_header_overwritten },
        { "free_footer_overwritten", free_footer_overwritten },
    };

    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        run_test(tests[i].name, tests[i].fn);
    current = "";
}

/* The model test. The live blocks are kept in a table, in no order, and the
   granules they hold in a bitmap, so a new block on a live one shows at once;
   one is picked at random by its index. Block id holds the bytes of pattern
   from id % SHIFTS on, so blocks mixed up, or moved without their contents,
   show. */

#define OPS         1000000L
#define MAX_LIVE    2000
#define MAX_SIZE    65536
#define SLACK       16          /* kcalloc rounds a size up to whole elements */
#define LIVE_CAP    (32 * MiB)  /* a quarter of the heap: NULL is never allowed */
#define CHECK_EVERY 10000
#define PHASE       50000       /* operations spent mostly filling, then emptying */
#define SHIFTS      4093

struct live {
    unsigned char *p;
    uint32_t size, id;
};

static struct live live[MAX_LIVE];
static int nlive;
static size_t live_bytes;
static unsigned char pattern[MAX_SIZE + SLACK + SHIFTS], zeros[MAX_SIZE + SLACK];
static long model_op;           /* statics, not locals: they survive a panic's longjmp */
static size_t most_used;
static char model_error[300];

static uint64_t random_state;

/* A 64-bit linear congruential generator; its high bits are good enough. */
static uint32_t random32(void)
{
    random_state = random_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(random_state >> 32);
}

static uint32_t below(uint32_t n)
{
    return random32() % n;
}

/* 1 B to 64 KiB: a random number of bits, then a size below that, so that
   sizes are spread evenly over the powers of two: most are small. */
static uint32_t random_size(void)
{
    return 1 + below(1u << (1 + below(16)));
}

static const unsigned char *pattern_of(uint32_t id)
{
    return pattern + id % SHIFTS;
}

static int fail(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vsnprintf(model_error, sizeof model_error, fmt, args);
    va_end(args);
    return 0;
}

/* Which 16-byte granules of the arena the live blocks hold, a bit each: a
   new block must find all of its own clear. Blocks are 16-byte aligned, so
   no granule holds the end of one block and the start of the next. */
#define GRANULE     16
#define WORD_BITS   64

static uint64_t held[ARENA / GRANULE / WORD_BITS];

static size_t granule(const unsigned char *p)
{
    return (size_t)(p - (unsigned char *)arena) / GRANULE;
}

/* The granule after the last one a block of size bytes at p holds. */
static size_t granule_end(const unsigned char *p, uint32_t size)
{
    return granule(p) + ((size_t)size + GRANULE - 1) / GRANULE;
}

static int held_any(const unsigned char *p, uint32_t size)
{
    for (size_t g = granule(p); g < granule_end(p, size); g++)
        if (held[g / WORD_BITS] >> (g % WORD_BITS) & 1)
            return 1;
    return 0;
}

static void hold(const unsigned char *p, uint32_t size, int on)
{
    for (size_t g = granule(p); g < granule_end(p, size); g++) {
        uint64_t bit = (uint64_t)1 << (g % WORD_BITS);
        held[g / WORD_BITS] = on ? held[g / WORD_BITS] | bit : held[g / WORD_BITS] & ~bit;
    }
}

/* A block new from the heap: aligned, in the heap, on no live block. */
static int insert(unsigned char *p, uint32_t size, uint32_t id, const char *who)
{
    if (p == NULL)
        return fail("%s(%u) returned NULL with %d blocks, %zu bytes live", who, size, nlive,
                    live_bytes);
    if (!aligned(p))
        return fail("%s(%u) returned %p, not 16-byte aligned", who, size, (void *)p);
    if (p < (unsigned char *)arena || p + size > (unsigned char *)arena + ARENA)
        return fail("%s(%u) returned %p, outside the heap", who, size, (void *)p);
    if (held_any(p, size)) {
        for (int i = 0; i < nlive; i++) {       /* which one, for the report */
            if (live[i].p <= p && p < live[i].p + live[i].size)
                return fail("%s(%u) returned %p, inside the live block at %p of %u bytes",
                            who, size, (void *)p, (void *)live[i].p, live[i].size);
            if (p < live[i].p && live[i].p < p + size)
                return fail("%s(%u) returned %p: its %u bytes overlap the live block at %p",
                            who, size, (void *)p, size, (void *)live[i].p);
        }
        return fail("%s(%u) returned %p, on a live block", who, size, (void *)p);
    }
    hold(p, size, 1);
    live[nlive++] = (struct live){ p, size, id };
    live_bytes += size;
    return 1;
}

/* The last entry takes the place of entry i. */
static void remove_live(int i)
{
    hold(live[i].p, live[i].size, 0);
    live_bytes -= live[i].size;
    live[i] = live[--nlive];
}

/* The first n bytes of block i still hold its pattern. memcmp is quick;
   the loop only finds the first wrong byte for the report. */
static int intact(int i, uint32_t n, const char *when)
{
    const unsigned char *want = pattern_of(live[i].id);

    if (memcmp(live[i].p, want, n) == 0)
        return 1;
    for (uint32_t j = 0;; j++)
        if (live[i].p[j] != want[j])
            return fail("%s, block %u (%u bytes at %p) has 0x%02x at byte %u, not 0x%02x", when,
                        live[i].id, live[i].size, (void *)live[i].p, live[i].p[j], j, want[j]);
}

static int model_alloc(uint32_t size, uint32_t id)
{
    unsigned char *p;
    const char *who = "kmalloc";

    switch (below(8)) {
    case 0: {
        uint32_t element = 1u << below(5), count = (size + element - 1) / element;
        size = count * element;
        p = kcalloc(count, element);
        who = "kcalloc";
        if (p && memcmp(p, zeros, size) != 0)
            return fail("kcalloc(%u, %u) returned %p, not all zero", count, element, (void *)p);
        break;
    }
    case 1:
        p = krealloc(NULL, size);
        who = "krealloc(NULL, n)";
        break;
    default:
        p = kmalloc(size);
    }
    if (!insert(p, size, id, who))
        return 0;
    memcpy(p, pattern_of(id), size);
    return 1;
}

static int model_free(int i)
{
    if (!intact(i, live[i].size, "before kfree"))
        return 0;
    if (below(20) == 0) {
        void *q = krealloc(live[i].p, 0);
        if (q != NULL)
            return fail("krealloc(%p, 0) returned %p, not NULL", (void *)live[i].p, q);
    } else {
        kfree(live[i].p);
    }
    remove_live(i);
    return 1;
}

/* krealloc keeps the old bytes that fit; the model writes the new ones. */
static int model_realloc(int i, uint32_t size)
{
    struct live old = live[i];
    uint32_t kept = size < old.size ? size : old.size;
    unsigned char *p;

    if (!intact(i, old.size, "before krealloc"))
        return 0;
    p = krealloc(old.p, size);
    remove_live(i);
    if (!insert(p, size, old.id, "krealloc"))
        return 0;
    if (!intact(nlive - 1, kept, "after krealloc"))
        return 0;
    memcpy(p + kept, pattern_of(old.id) + kept, size - kept);
    return 1;
}

static int model_check(void)
{
    struct heap_stats s;

    heap_stats(&s);
    if (s.used_blocks != (size_t)nlive || s.used + s.free != s.size)
        return fail("heap_stats: %zu used blocks, the model has %d; used %zu + free %zu, "
                    "size %zu", s.used_blocks, nlive, s.used, s.free, s.size);
    if (s.used < live_bytes + 9 * (size_t)nlive)
        return fail("heap_stats: %zu bytes used, less than the %zu live bytes, headers and "
                    "guard bytes", s.used, live_bytes + 9 * (size_t)nlive);
    /* Merged at once, no two free blocks are neighbours: each but the last
       has a used block after it. */
    if (s.free_blocks > s.used_blocks + 1)
        return fail("heap_stats: %zu free blocks and %zu used ones: some free blocks lie side "
                    "by side, not merged", s.free_blocks, s.used_blocks);
    if (s.size - s.largest_free > most_used)
        most_used = s.size - s.largest_free;
    return 1;
}

/* One random operation. Phases alternate between mostly allocating and
   mostly freeing, so that the number of live blocks wanders from none to
   the most allowed and back. */
static int model_step(void)
{
    uint32_t r = below(100), size = random_size(), allocs = model_op / PHASE % 2 ? 35 : 45;
    static uint32_t next_id;
    int i;

    if (nlive == 0 || r < allocs) {
        if (nlive < MAX_LIVE && live_bytes + MAX_SIZE + SLACK <= LIVE_CAP)
            return model_alloc(size, next_id++);
        r = 99;                 /* full: free one instead */
    }
    i = (int)below((uint32_t)nlive);
    if (r < allocs + 20 && live_bytes - live[i].size + size <= LIVE_CAP)
        return model_realloc(i, size);
    return model_free(i);
}

static int model_run(long ops)
{
    struct heap_stats s;

    for (model_op = 0; model_op < ops; model_op++) {
        if (!model_step())
            return 0;
        if (printed_len)
            return fail("the heap printed \"%s\"", one_line(printed));
        if ((model_op + 1) % CHECK_EVERY == 0 && !model_check())
            return 0;
        passed++;
    }
    if (!model_check())
        return 0;
    while (nlive > 0)
        if (!model_free(nlive - 1))
            return 0;
    heap_stats(&s);
    if (s.used_blocks != 0 || s.free_blocks != 1 || s.free != s.size)
        return fail("after freeing everything: %zu used blocks, %zu free blocks, %zu bytes "
                    "free of %zu", s.used_blocks, s.free_blocks, s.free, s.size);
    return 1;
}

static void model_test(long ops, unsigned long long seed)
{
    jmp_buf here;
    int ok;

    printf("model: seed %llu, %ld operations\n", seed, ops);
    current = "model";
    random_state = 12345;       /* the same pattern for every seed */
    for (size_t i = 0; i < sizeof pattern; i++)
        pattern[i] = (unsigned char)random32();
    random_state = seed;
    nlive = 0;
    memset(held, 0, sizeof held);
    live_bytes = 0;
    most_used = 0;
    heap_init(arena, ARENA);
    forget_printed();
    on_panic = &here;
    if (setjmp(here) == 0)
        ok = model_run(ops);
    else
        ok = fail("panic: %s", panic_text);
    on_panic = NULL;
    if (ok) {
        passed++;
        printf("model: %ld operations agree with the model; at most %zu KiB of the %d MiB heap "
               "lay before its largest free block\n", ops, most_used / 1024, ARENA / MiB);
    } else {
        failed++;
        if (model_op < ops)
            printf("FAIL: model, operation %ld of %ld, %d blocks live: %s\n", model_op + 1,
                   ops, nlive, model_error);
        else
            printf("FAIL: model, after %ld operations, %d blocks live: %s\n", ops, nlive,
                   model_error);
        printf("  replay: heap_test -m %ld %llu\n", ops, seed);
    }
    current = "";
}

int main(int argc, char **argv)
{
    int units = 1, model = 1;
    long ops = OPS;
    unsigned long long seed = (unsigned long long)time(NULL) ^ (unsigned long long)clock();
    int i = 1;

    if (i < argc && strcmp(argv[i], "-u") == 0) {
        model = 0;
        i++;
    } else if (i < argc && strcmp(argv[i], "-m") == 0) {
        units = 0;
        i++;
    }
    if (i < argc)
        ops = strtol(argv[i++], NULL, 10);
    if (i < argc)
        seed = strtoull(argv[i++], NULL, 10);
    if (units)
        unit_tests();
    if (model)
        model_test(ops, seed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
