/* pages.c - a free list of 4 KiB physical pages.
 *
 * Paging maps memory a page at a time, so page tables, and whatever they
 * map, take whole, aligned pages. Each free page holds a pointer to the
 * next one, so the list costs no memory of its own. The kernel reaches
 * every page at its physical address, because paging.c maps the kernel's
 * part of memory one to one.
 */
#include "kprintf.h"
#include "pages.h"
#include "string.h"

struct free_page {
    struct free_page *next;
};

static struct free_page *free_list;
static size_t free_count;
static uintptr_t first, end;    /* the pages handed to us, for page_free's check */

void pages_init(uintptr_t start, size_t size)
{
    first = PGROUNDUP(start);
    end = PGROUNDDOWN(start + size);
    for (uintptr_t p = end; p > first; p -= PAGE_SIZE)
        page_free((void *)(p - PAGE_SIZE));     /* so the lowest comes out first */
}

void *page_alloc(void)
{
    struct free_page *page = free_list;
    if (!page)
        return NULL;
    free_list = page->next;
    free_count--;
    memset(page, 0, PAGE_SIZE);     /* no stale entries, and no one's old data */
    return page;
}

void page_free(void *page)
{
    uintptr_t p = (uintptr_t)page;
    if (p % PAGE_SIZE || p < first || p >= end)
        panic("page_free(%p): not a page from pages_init's range", page);
    struct free_page *f = page;
    f->next = free_list;
    free_list = f;
    free_count++;
}

size_t pages_free(void)
{
    return free_count;
}
