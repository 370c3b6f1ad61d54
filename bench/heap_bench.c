/* heap_bench.c - step05's kernel heap (heap.c, compiled unchanged) against
   glibc's malloc, on the host.

   Three traces of allocations and frees are made once, from a fixed seed,
   and each is replayed the same way through kmalloc/kfree and through
   malloc/free. Every replay writes the first and last byte of each block,
   as a caller would touch it.

   Speed: the median ops/s of several timed replays (an op is one
   allocation or one free), ours and glibc's taking turns. Footprint: in one
   more replay, untimed, the peak of (highest end - lowest start) over the
   blocks in use, against the peak of the bytes asked for and not yet freed.
   That replay runs first, so both allocators have touched their memory once
   before the timing.

   usage: heap_bench [-n OPS] [-r RUNS] [-s SEED]
     -n  ops per trace (2000000); -n 20000 is a quick run
     -r  timed runs per trace and allocator (5)
     -s  the seed the traces are made from (1) */

#define _POSIX_C_SOURCE 200809L     /* clock_gettime and getopt under -std=c11 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../step05-malloc/heap.h"
#include "../step05-malloc/kprintf.h"   /* so our kprintf and panic match */

#define ARENA       (256u << 20)    /* the kernel heap's memory, in .bss */
#define MAX_SLOTS   10000           /* the most blocks a trace keeps at once */
#define RATIO_GOAL  0.80            /* ours/glibc ops/s, at least */
#define SPACE_GOAL  1.30            /* our footprint/live, at most */

static _Alignas(16) char arena[ARENA];

/* heap.c reports through these; in the kernel they print on screen. */
int kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vfprintf(stderr, fmt, args);
    va_end(args);
    return n;
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "panic: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(2);
}

/* splitmix64: small, fast and the same everywhere, so a seed is a trace. */
static uint64_t seed;

static uint64_t rng(void)
{
    uint64_t z = (seed += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint32_t between(uint32_t lo, uint32_t hi)
{
    return lo + rng() % (hi - lo + 1);
}

/* One op: allocate size bytes into a slot, or free the slot's block. */
struct op {
    uint32_t slot;
    uint32_t size;              /* 0: free */
};

struct trace {
    const char *name;
    struct op *ops;
    size_t n;
};

static uint32_t small_size(void) { return between(16, 128); }

/* Log-uniform from 1 B to 64 KiB: each power of two is as likely as the next. */
static uint32_t mixed_size(void)
{
    return (uint32_t)exp2(16.0 * (rng() >> 11) * 0x1p-53);
}

/* Pick a slot at random: allocate into it if empty, else free it. */
static void random_slots(struct trace *t, uint32_t slots, uint32_t (*size)(void))
{
    static char full[MAX_SLOTS];
    memset(full, 0, sizeof full);
    for (size_t i = 0; i < t->n; i++) {
        uint32_t s = rng() % slots;
        t->ops[i] = (struct op){ s, full[s] ? 0 : size() };
        full[s] ^= 1;
    }
}

/* A FIFO queue of messages: a producer burst appends up to 200, a consumer
   burst takes up to 200 off the front, at random; the queue holds <= 1000. */
static void producer_consumer(struct trace *t)
{
    enum { QUEUE = 1000, BURST = 200 };
    size_t head = 0, tail = 0, i = 0;   /* messages taken, messages made */
    while (i < t->n) {
        uint32_t burst = between(1, BURST);
        if (rng() & 1)
            for (; burst && tail - head < QUEUE && i < t->n; burst--)
                t->ops[i++] = (struct op){ tail++ % QUEUE, between(32, 4096) };
        else
            for (; burst && head < tail && i < t->n; burst--)
                t->ops[i++] = (struct op){ head++ % QUEUE, 0 };
    }
}

/* The allocator under test: ours (1) or glibc's (0). A well-predicted
   branch, the same for both. */
static void *alloc(int ours, size_t n) { return ours ? kmalloc(n) : malloc(n); }
static void release(int ours, void *p) { ours ? kfree(p) : free(p); }

static void *slot[MAX_SLOTS];   /* the block in each slot, or NULL */

static void start(int ours)
{
    memset(slot, 0, sizeof slot);
    if (ours)
        heap_init(arena, sizeof arena);
}

static void touch(const struct trace *t, size_t i, char *p, uint32_t size)
{
    if (!p)
        panic("%s: out of memory at op %zu, asking for %u bytes", t->name, i, size);
    p[0] = p[size - 1] = 1;
}

/* Free what the trace left (untimed). Afterwards our heap must be one free
   block again, the top: anything else is a leak or a missed merge. */
static void finish(const struct trace *t, int ours)
{
    for (int s = 0; s < MAX_SLOTS; s++)
        release(ours, slot[s]);
    if (ours) {
        struct heap_stats st;
        heap_stats(&st);
        if (st.used_blocks || st.free_blocks != 1)
            panic("%s: after freeing every block the heap has %zu used and %zu free "
                  "blocks, not one free block", t->name, st.used_blocks, st.free_blocks);
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One timed replay; returns ops per second. */
static double timed(const struct trace *t, int ours)
{
    start(ours);
    double t0 = now();
    for (size_t i = 0; i < t->n; i++) {
        struct op op = t->ops[i];
        if (op.size) {
            char *p = alloc(ours, op.size);
            touch(t, i, p, op.size);
            slot[op.slot] = p;
        } else {
            release(ours, slot[op.slot]);
            slot[op.slot] = NULL;
        }
    }
    double seconds = now() - t0;
    finish(t, ours);
    return t->n / seconds;
}

/* For the footprint: the lowest start and highest end among the blocks in
   use, kept in two binary heaps (the ends negated, so both are min-heaps).
   A freed block's entries are not removed; they are dropped when they come
   to the top and their slot no longer holds that block. */
struct entry {
    uintptr_t key;
    uint32_t slot;
};

struct minheap {
    struct entry *e;
    size_t n;
};

static void push(struct minheap *h, uintptr_t key, uint32_t s)
{
    size_t i = h->n++;
    for (; i && h->e[(i - 1) / 2].key > key; i = (i - 1) / 2)
        h->e[i] = h->e[(i - 1) / 2];
    h->e[i] = (struct entry){ key, s };
}

static void pop(struct minheap *h)
{
    struct entry last = h->e[--h->n];
    size_t i = 0, child;
    while ((child = 2 * i + 1) < h->n) {
        if (child + 1 < h->n && h->e[child + 1].key < h->e[child].key)
            child++;
        if (last.key <= h->e[child].key)
            break;
        h->e[i] = h->e[child];
        i = child;
    }
    h->e[i] = last;
}

static struct minheap starts, ends;     /* room for one entry per op */
static uint32_t live_size[MAX_SLOTS];   /* bytes asked for, per slot */

static uintptr_t start_of(uint32_t s) { return (uintptr_t)slot[s]; }
static uintptr_t end_of(uint32_t s) { return (uintptr_t)slot[s] + live_size[s]; }

/* One untimed replay; returns peak footprint / peak live bytes. */
static double footprint(const struct trace *t, int ours)
{
    size_t live = 0, peak_live = 0;
    uintptr_t peak_span = 0;
    start(ours);
    starts.n = ends.n = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct op op = t->ops[i];
        if (!op.size) {
            live -= live_size[op.slot];
            release(ours, slot[op.slot]);
            slot[op.slot] = NULL;
            continue;
        }
        char *p = alloc(ours, op.size);
        touch(t, i, p, op.size);
        slot[op.slot] = p;
        live_size[op.slot] = op.size;
        push(&starts, start_of(op.slot), op.slot);
        push(&ends, UINTPTR_MAX - end_of(op.slot), op.slot);
        /* A stale entry that still matches its slot is a copy of a live one. */
        while (!slot[starts.e[0].slot] || start_of(starts.e[0].slot) != starts.e[0].key)
            pop(&starts);
        while (!slot[ends.e[0].slot] || UINTPTR_MAX - end_of(ends.e[0].slot) != ends.e[0].key)
            pop(&ends);
        /* Only an allocation can widen the span, so look after each one. */
        uintptr_t span = (UINTPTR_MAX - ends.e[0].key) - starts.e[0].key;
        if (span > peak_span)
            peak_span = span;
        live += op.size;
        if (live > peak_live)
            peak_live = live;
    }
    finish(t, ours);
    return (double)peak_span / peak_live;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct result {
    double speed, space;        /* median ops/s, footprint/live */
};

/* Both allocators on one trace. The timed runs alternate, ours then glibc's,
   so a slow spell of the machine falls on both alike. */
static void measure(const struct trace *t, int runs, struct result r[2])
{
    double speeds[2][runs];
    for (int ours = 0; ours < 2; ours++)
        r[ours].space = footprint(t, ours);
    for (int i = 0; i < runs; i++)
        for (int ours = 1; ours >= 0; ours--)
            speeds[ours][i] = timed(t, ours);
    for (int ours = 1; ours >= 0; ours--) {
        r[ours].speed = median(speeds[ours], runs);
        fprintf(stderr, "%-18s %-8s %5.1f M ops/s (median of %d), footprint/live %.2f\n",
                t->name, ours ? "kmalloc" : "glibc", r[ours].speed / 1e6, runs, r[ours].space);
    }
}

/* A command-line number from 1 to max: the trace arrays and the run times
   are on the stack or in RAM, so they are bounded. */
static long number(const char *arg, char option, long max)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (*end || n < 1 || n > max) {
        fprintf(stderr, "heap_bench: -%c wants a number from 1 to %ld, not '%s'\n",
                option, max, arg);
        exit(2);
    }
    return n;
}

int main(int argc, char **argv)
{
    size_t n = 2000000;
    int runs = 5, c;
    seed = 1;
    while ((c = getopt(argc, argv, "n:r:s:")) != -1) {
        if (c == 'n')
            n = number(optarg, c, 20000000);
        else if (c == 'r')
            runs = number(optarg, c, 1000);
        else if (c == 's')
            seed = number(optarg, c, LONG_MAX);
        else {
            fprintf(stderr, "usage: heap_bench [-n OPS] [-r RUNS] [-s SEED]\n");
            return 2;
        }
    }

    /* All bookkeeping is allocated before any replay and kept to the end, so
       glibc's heap holds nothing of ours but the trace's blocks. */
    struct trace traces[3] = {
        { "small objects", malloc(n * sizeof(struct op)), n },
        { "mixed sizes", malloc(n * sizeof(struct op)), n },
        { "producer/consumer", malloc(n * sizeof(struct op)), n },
    };
    starts.e = malloc(n * sizeof(struct entry));
    ends.e = malloc(n * sizeof(struct entry));
    if (!traces[0].ops || !traces[1].ops || !traces[2].ops || !starts.e || !ends.e)
        panic("no memory for %zu ops", n);
    random_slots(&traces[0], 10000, small_size);
    random_slots(&traces[1], 1000, mixed_size);
    producer_consumer(&traces[2]);

    struct result r[3][2];      /* [trace][ours] */
    for (int i = 0; i < 3; i++)
        measure(&traces[i], runs, r[i]);

    printf("kernel heap (step05-malloc/heap.c) against glibc malloc, the same traces, "
           "median of %d run%s\n", runs, runs == 1 ? "" : "s");
    printf("trace              ops      kmalloc ops/s   glibc ops/s   ratio   "
           "footprint/live: ours  glibc\n");
    for (int i = 0; i < 3; i++)
        printf("%-18s %-8zu %11.1f M %11.1f M %7.2f %22.2f %6.2f\n", traces[i].name, n,
               r[i][1].speed / 1e6, r[i][0].speed / 1e6, r[i][1].speed / r[i][0].speed,
               r[i][1].space, r[i][0].space);
    printf("\ntargets: ratio (ours/glibc ops/s) >= %.2f, footprint/live (ours) <= %.2f\n",
           RATIO_GOAL, SPACE_GOAL);
    for (int i = 0; i < 3; i++) {
        double ratio = r[i][1].speed / r[i][0].speed, space = r[i][1].space;
        printf("%-18s ratio %.2f %-8s footprint/live %.2f %s\n", traces[i].name, ratio,
               ratio >= RATIO_GOAL ? "met," : "not met,", space,
               space <= SPACE_GOAL ? "met" : "not met");
    }
    return 0;
}
