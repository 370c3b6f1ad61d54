/* pages.h - physical memory handed out in whole 4 KiB pages. */
#ifndef PAGES_H
#define PAGES_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096

/* An address rounded up or down to a page boundary, as xv6 has them. */
#define PGROUNDUP(a)   (((a) + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(uint32_t)(PAGE_SIZE - 1))

void pages_init(uintptr_t start, size_t size);
void *page_alloc(void);        /* a zeroed page, or NULL when none is left */
void page_free(void *page);
size_t pages_free(void);       /* how many are left */

#endif
