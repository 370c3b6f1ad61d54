/* heap.h - the kernel heap: kmalloc, kfree, kcalloc, krealloc. */
#ifndef HEAP_H
#define HEAP_H

#include <stddef.h>

/* Hand the heap its memory: size bytes from start. */
void heap_init(void *start, size_t size);

/* As C's malloc, free, calloc and realloc. Pointers are 16-byte aligned;
   NULL means out of memory. kmalloc(0) gives a unique pointer, kfree(NULL)
   does nothing, krealloc(p, 0) frees p and returns NULL, as glibc does. */
void *kmalloc(size_t n);
void kfree(void *p);
void *kcalloc(size_t count, size_t size);
void *krealloc(void *p, size_t n);

/* A walk over every block. It also checks each header, and panics if one
   is damaged. */
struct heap_stats {
    size_t size;                /* the heap's bytes, from first block to end */
    size_t used, used_blocks;   /* bytes and blocks in use, headers included */
    size_t free, free_blocks;   /* the same for free blocks */
    size_t largest_free;        /* the largest free block, header included */
};
void heap_stats(struct heap_stats *stats);

#endif
