/* pages.c - physical memory in 4 KiB pages.
 *
 * Paging maps memory a page at a time, so page tables, and whatever they
 * map, take whole, aligned pages. Pages come from two places: a free list
 * of the pages given back, where each free page holds a pointer to the
 * next one, so the list costs no memory of its own; and, when the list is
 * empty, the part of memory never handed out yet, from its lowest page up.
 * Nothing is written to a page before it is handed out: putting all of
 * memory on the list at boot would write to every page, and under an
 * emulator the first write to a page makes the host find memory for it,
 * which for 128 MiB takes longer than the rest of the boot. The kernel
 * reaches every page at its physical address, because paging.c maps the
 * kernel's part of memory one to one.
 */
#include "kprintf.h"
#include "pages.h"
#include "string.h"

struct free_page {
    struct free_page *next;
};

static struct free_page *free_list;     /* pages given back */
static size_t free_count;
static uintptr_t first, fresh, end;     /* fresh to end: never handed out */

void pages_init(uintptr_t start, size_t size)
{
    first = fresh = PGROUNDUP(start);
    end = PGROUNDDOWN(start + size);
}

void *page_alloc(void)
{
    struct free_page *page = free_list;
    if (page) {
        free_list = page->next;
        free_count--;
    } else if (fresh < end) {
        page = (struct free_page *)fresh;
        fresh += PAGE_SIZE;
    } else {
        return NULL;
    }
    memset(page, 0, PAGE_SIZE);     /* no stale entries, and no one's old data */
    return page;
}

void page_free(void *page)
{
    uintptr_t p = (uintptr_t)page;
    if (p % PAGE_SIZE || p < first || p >= fresh)
        panic("page_free(%p): not a page that page_alloc handed out", page);
    struct free_page *f = page;
    f->next = free_list;
    free_list = f;
    free_count++;
}

size_t pages_free(void)
{
    return free_count + (end - fresh) / PAGE_SIZE;
}
