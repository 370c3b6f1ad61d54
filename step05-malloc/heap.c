/* heap.c - the kernel heap: kmalloc, kfree, kcalloc and krealloc.
 *
 * The heap is one range of RAM cut into blocks that lie end to end:
 *
 *   | size magic | payload ...       guard | size magic | links ...  size |
 *     header       (16-byte aligned)          header       a free block's footer
 *
 * The header says how big the block is and whether it is in use. A free
 * block also ends with a footer that repeats the size: a boundary tag
 * (Knuth, TAOCP vol. 1, 2.5). A used block needs none: the header of the
 * block after a free one says so (PREV_FREE), and only then does kfree
 * read the footer before it to step back, so a freed block merges with
 * both its neighbours at once. Two free blocks are never neighbours. The
 * last byte of a used block is a guard byte, to catch a short overrun.
 *
 * Free blocks wait on lists, one list per size class. The last block, the
 * top, is on no list: it is the heap's untouched rest, and kmalloc cuts
 * from its front, like a bump allocator, only when no listed block fits.
 *
 * The magic number tells a used block from a free one, and both from
 * memory that is no header at all, which is how a double free, a wild
 * pointer or a write past the end of a block is caught. dlmalloc (Doug
 * Lea, "A Memory Allocator", 1996) and glibc's malloc drop the used
 * block's footer the same way.
 */
#include <stdint.h>
#include "heap.h"
#include "kprintf.h"
#include "string.h"

#define ALIGN       16          /* payloads are aligned for any C type */
#define HEADER      8           /* size and magic */
#define GUARD       1           /* a used block's last byte: GUARD_BYTE */
#define FOOTER      4           /* a free block's last bytes: the size again */
#define MIN_BLOCK   32          /* room for header, list links and footer */
#define SMALL       256         /* below it, a class for each size */
#define EXACT       14          /* classes 0 to 13: 32, 48, ..., 240 bytes */
#define CLASSES     38          /* then class 14 + k: 256 << k <= size < 512 << k */
#define SEARCH      8           /* blocks tried in a class before the next */

#define BLOCK_USED  0xA110CA7Eu /* "allocate" */
#define BLOCK_FREE  0xF4EEB10Cu /* "free block" */
#define PREV_FREE   1u          /* in a used block's magic: the block before is
                                   free, and ends with a footer */
#define GUARD_BYTE  0xCA        /* not ASCII text, nor 0 or 0xFF */

struct block {
    uint32_t size;              /* the whole block in bytes, a multiple of 16 */
    uint32_t magic;             /* BLOCK_USED (| PREV_FREE) or BLOCK_FREE */
    struct block *next, *prev;  /* a free block's place on its class list; in a
                                   used block these bytes are payload */
};

_Static_assert(HEADER + 2 * sizeof(struct block *) + FOOTER <= MIN_BLOCK,
               "a free block must hold its links");

static char *heap_start, *heap_end;     /* the first block, and the end */
static struct block *top;               /* the last block: the rest */
static struct block *lists[CLASSES];    /* free blocks, by size class */
static uint32_t filled[(CLASSES + 31) / 32];    /* bit k: lists[k] is not empty */

static uint32_t *footer(struct block *b)
{
    return (uint32_t *)((char *)b + b->size - FOOTER);
}

static uint8_t *guard(struct block *b)
{
    return (uint8_t *)b + b->size - GUARD;
}

static int is_used(struct block *b)
{
    return (b->magic & ~PREV_FREE) == BLOCK_USED;
}

static struct block *next_block(struct block *b)
{
    return (struct block *)((char *)b + b->size);
}

/* The free block before the used block b, found through its footer, or
   NULL if the block before is used (or there is none). The footer must
   lead back to a free header of the same size: a free block's last bytes
   may have been written through a stale pointer. */
static struct block *prev_block(struct block *b)
{
    if (!(b->magic & PREV_FREE))
        return NULL;
    uint32_t size = ((uint32_t *)b)[-1];
    struct block *before = (struct block *)((char *)b - size);
    if (size % ALIGN || size < MIN_BLOCK || size > (size_t)((char *)b - heap_start) ||
        before->size != size || before->magic != BLOCK_FREE)
        panic("heap damaged: the free block before %p was overwritten (footer 0x%x); "
              "is memory written after kfree?", (void *)((char *)b + HEADER), size);
    return before;
}

/* Tell the block after b, if it is in use, whether b is free. A free block
   or the top never follows a free one: they merge. b is not the top, so a
   block does follow it. */
static void tell_next(struct block *b, int free)
{
    struct block *after = next_block(b);
    if (is_used(after))
        after->magic = free ? BLOCK_USED | PREV_FREE : BLOCK_USED;
}

static void *payload(struct block *b)
{
    return (char *)b + HEADER;
}

static struct block *block_of(void *p)
{
    return (struct block *)((char *)p - HEADER);
}

/* The block that holds n bytes: header, payload and guard, rounded up.
   Free, the same bytes hold header, links and footer. */
static uint32_t block_size(size_t n)
{
    uint32_t size = (n + HEADER + GUARD + ALIGN - 1) / ALIGN * ALIGN;
    return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* A small size has a class of its own, so every block on its list fits.
   Above, class 14 + k holds sizes from 256 << k up to 512 << k: k is the
   number of the size's highest set bit, less 8. __builtin_clz counts the
   zero bits above it; on x86 it is one instruction (bsr). */
static unsigned class_of(uint32_t size)
{
    if (size < SMALL)
        return size / ALIGN - MIN_BLOCK / ALIGN;
    unsigned k = EXACT + 31 - __builtin_clz(size) - 8;
    return k < CLASSES ? k : CLASSES - 1;
}

/* The first class from k up that has a free block, or -1. The bitmap
   finds it in a word or two, not by looking at every list. */
static int filled_from(unsigned k)
{
    for (unsigned w = k / 32; w < (CLASSES + 31) / 32; w++) {
        uint32_t bits = filled[w];
        if (w == k / 32)
            bits &= ~0u << (k % 32);
        if (bits)
            return w * 32 + __builtin_ctz(bits);
    }
    return -1;
}

/* Make b a free block: magic and footer. */
static void make_free(struct block *b)
{
    b->magic = BLOCK_FREE;
    *footer(b) = b->size;
}

static void enlist(struct block *b)
{
    unsigned k = class_of(b->size);
    make_free(b);
    b->prev = NULL;
    b->next = lists[k];
    if (lists[k])
        lists[k]->prev = b;
    lists[k] = b;
    filled[k / 32] |= 1u << k % 32;
}

static void unlist(struct block *b)
{
    unsigned k = class_of(b->size);
    if (b->prev)
        b->prev->next = b->next;
    else if (!(lists[k] = b->next))
        filled[k / 32] &= ~(1u << k % 32);
    if (b->next)
        b->next->prev = b->prev;
}

void heap_init(void *start, size_t size)
{
    /* The first header sits 8 bytes before a 16-byte boundary, so that
       every payload starts on one. */
    uintptr_t first = ((uintptr_t)start + HEADER + ALIGN - 1) / ALIGN * ALIGN - HEADER;
    uintptr_t end = (uintptr_t)start + size;
    size_t usable = (end - first) / ALIGN * ALIGN;
    if (end < first + MIN_BLOCK)
        usable = 0;
    if (usable > 0xFFFF0000u)
        usable = 0xFFFF0000u;   /* sizes, headers included, fit in 32 bits */
    for (int k = 0; k < CLASSES; k++)
        lists[k] = NULL;
    memset(filled, 0, sizeof filled);
    heap_start = (char *)first;
    heap_end = heap_start + usable;
    top = NULL;
    if (usable) {
        top = (struct block *)heap_start;
        top->size = usable;
        make_free(top);
    }
}

/* Cut b down to size bytes. The rest becomes a block of its own, returned,
   or stays in b if it is too small to be one. */
static struct block *split(struct block *b, uint32_t size)
{
    if (b->size - size < MIN_BLOCK)
        return NULL;
    struct block *rest = (struct block *)((char *)b + size);
    rest->size = b->size - size;
    make_free(rest);
    b->size = size;
    return rest;
}

static void check_free(struct block *b)
{
    if (b->magic != BLOCK_FREE)
        panic("heap damaged: the free block at %p was overwritten (magic 0x%x); "
              "is memory written after kfree?", (void *)b, b->magic);
}

/* Good fit: the size's own class, then the smallest class above it that
   has a block. In an exact class the first block fits; in a wider one
   only the first few are tried, to keep kmalloc quick. In a higher class
   every block fits. Only when nothing else fits is the whole of the own
   class searched, so NULL does mean out of memory. */
static struct block *find_free(uint32_t size)
{
    unsigned own = class_of(size);
    struct block *b = lists[own];
    for (int tried = 0; b && tried < SEARCH; tried++, b = b->next) {
        check_free(b);
        if (b->size >= size)
            return b;
    }
    int k = filled_from(own + 1);
    if (k >= 0) {
        check_free(lists[k]);
        return lists[k];
    }
    for (b = lists[own]; b; b = b->next) {
        check_free(b);
        if (b->size >= size)
            return b;
    }
    return NULL;
}

void *kmalloc(size_t n)
{
    if (!top || n > (size_t)(heap_end - heap_start))
        return NULL;            /* also keeps block_size from overflowing */
    uint32_t size = block_size(n);
    struct block *b = find_free(size);
    if (b) {
        unlist(b);
        struct block *rest = split(b, size);
        if (rest)
            enlist(rest);
        else
            tell_next(b, 0);
    } else if (top->size >= size + MIN_BLOCK) {
        b = top;                /* the top stays a block: never empty */
        top = split(b, size);
    } else {
        return NULL;
    }
    b->magic = BLOCK_USED;      /* the block before is used: a free one merged */
    *guard(b) = GUARD_BYTE;
    return payload(b);
}

/* A size is sane if it is whole, at least one block, and stays in the heap. */
static int sane(struct block *b)
{
    return b->size % ALIGN == 0 && b->size >= MIN_BLOCK &&
           b->size <= (size_t)(heap_end - (char *)b);
}

/* p's header has a bad magic. Walk the heap from the start to learn why:
   p may be no block at all, or a block whose header was overwritten. */
static void explain_bad_header(const char *who, void *p, void *caller)
{
    struct block *want = block_of(p), *b = (struct block *)heap_start, *before = NULL;
    while ((char *)b < heap_end && b < want) {
        if (!sane(b) || (!is_used(b) && b->magic != BLOCK_FREE))
            break;
        before = b;
        b = next_block(b);
    }
    if (b == want)
        panic("heap damaged: the header of the block at %p was overwritten "
              "(size 0x%x, magic 0x%x), most likely by a write past the end of "
              "the block before it, at %p. Found by %s(%p), called from %p",
              p, b->size, b->magic, before ? payload(before) : NULL, who, p, caller);
    if (b < want)
        panic("heap damaged: the header at %p was overwritten (size 0x%x, magic 0x%x). "
              "Found by %s(%p), called from %p", payload(b), b->size, b->magic, who, p, caller);
    kprintf("%s(%p): not a pointer kmalloc returned: it points %u bytes into the "
            "block at %p.\n  Called from %p; ignored\n", who,
            p, (unsigned)((char *)p - (char *)payload(before)), payload(before), caller);
}

/* The block that who (kfree or krealloc) may free, or NULL after saying
   what is wrong with p. caller is who's return address. */
static struct block *checked_block(const char *who, void *p, void *caller)
{
    char *c = p;
    if (c < heap_start + HEADER || c >= heap_end || (uintptr_t)c % ALIGN) {
        kprintf("%s(%p): not a pointer kmalloc returned: it is %s."
                "\n  Called from %p; ignored\n", who, p,
                (uintptr_t)c % ALIGN ? "not 16-byte aligned" : "outside the heap", caller);
        return NULL;
    }
    struct block *b = block_of(p);
    /* EXERCISE step05-double-free BEGIN */
    if (b->magic == BLOCK_FREE) {
        kprintf("%s(%p): double free: this block is already free."
                "\n  Called from %p; ignored\n", who, p, caller);
        return NULL;
    }
    /* EXERCISE step05-double-free STUB
       EXERCISE step05-double-free END */
    if (c >= (char *)top) {
        kprintf("%s(%p): not a pointer kmalloc returned: it is in the heap's unused "
                "top.\n  Called from %p; ignored\n", who, p, caller);
        return NULL;
    }
    if (!is_used(b) || !sane(b)) {
        explain_bad_header(who, p, caller);
        return NULL;
    }
    struct block *next = next_block(b);
    unsigned room = b->size - HEADER - GUARD;
    if ((!is_used(next) && next->magic != BLOCK_FREE) || !sane(next) ||
        (next->magic == BLOCK_FREE && *footer(next) != next->size))
        panic("heap damaged: something wrote past the end of the %u-byte block at %p "
              "and over the next block's header (size 0x%x, magic 0x%x). Found by %s(%p), "
              "called from %p", room, p, next->size, next->magic, who, p, caller);
    if (*guard(b) != GUARD_BYTE) {
        kprintf("%s(%p): buffer overrun: something wrote past the end of this "
                "%u-byte block, over its guard byte (0x%x).\n  Called from %p; repaired\n",
                who, p, room, *guard(b), caller);
        *guard(b) = GUARD_BYTE;
    }
    return b;
}

/* Free b and merge it with its free neighbours: the block before, found
   through its footer, and the block after, which may be the top. */
static void release(struct block *b)
{
    /* EXERCISE step05-coalesce BEGIN */
    struct block *before = prev_block(b);
    b->magic = BLOCK_FREE;
    if (before) {
        unlist(before);
        before->size += b->size;
        b = before;
    }
    struct block *after = next_block(b);
    if (after == top) {
        b->size += top->size;
        make_free(b);
        top = b;
        return;
    }
    if (after->magic == BLOCK_FREE) {
        unlist(after);
        b->size += after->size;
    }
    /* EXERCISE step05-coalesce STUB
    (void)prev_block;
       EXERCISE step05-coalesce END */
    enlist(b);
    tell_next(b, 1);
}

void kfree(void *p)
{
    if (!p)
        return;
    struct block *b = checked_block("kfree", p, __builtin_return_address(0));
    if (b)
        release(b);
}

void *kcalloc(size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        return NULL;            /* count * size would not fit in a size_t */
    void *p = kmalloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *krealloc(void *p, size_t n)
{
    if (!p)
        return kmalloc(n);
    struct block *b = checked_block("krealloc", p, __builtin_return_address(0));
    if (!b)
        return NULL;
    if (n == 0) {
        release(b);
        return NULL;
    }
    size_t room = b->size - HEADER - GUARD;
    if (n <= room)
        return p;               /* it fits already */
    void *q = kmalloc(n);
    if (q) {
        memcpy(q, p, room);
        release(b);
    }
    return q;
}

void heap_stats(struct heap_stats *s)
{
    memset(s, 0, sizeof *s);
    s->size = heap_end - heap_start;
    for (char *c = heap_start; c < heap_end; c += ((struct block *)c)->size) {
        struct block *b = (struct block *)c;
        /* A used block's guard byte is checked when it is freed. */
        if (!sane(b) || (!is_used(b) && b->magic != BLOCK_FREE) ||
            (b->magic == BLOCK_FREE && *footer(b) != b->size))
            panic("heap damaged: the header or footer of the block at %p was "
                  "overwritten (size 0x%x, magic 0x%x)", payload(b), b->size, b->magic);
        if (is_used(b)) {
            s->used += b->size;
            s->used_blocks++;
        } else {
            s->free += b->size;
            s->free_blocks++;
            if (b->size > s->largest_free)
                s->largest_free = b->size;
        }
    }
}
