/* pages.h - physical memory in 4 KiB pages, for page tables and user programs. */
#ifndef PAGES_H
#define PAGES_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096

void pages_init(uintptr_t start, size_t size);
void *page_alloc(void);        /* a zeroed page, or NULL when none is left */
void page_free(void *page);
size_t pages_free(void);       /* how many are left */

#endif
