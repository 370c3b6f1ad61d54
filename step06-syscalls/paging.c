/* paging.c - page tables: the kernel mapped one to one for ring 0 only,
 * and the user program's pages.
 *
 * A 32-bit virtual address is split 10/10/12: the page directory entry,
 * the page table entry, the offset in the 4 KiB page (Intel SDM 3A, 4.3).
 * The kernel's part uses 4 MiB pages, which need no page table (CR4.PSE).
 * An entry's U/S bit decides whether ring 3 may touch the page at all; its
 * R/W bit whether ring 3 may write (SDM 3A, 4.6).
 */
#include "errno.h"
#include "kprintf.h"
#include "pages.h"
#include "paging.h"
#include "string.h"

#define PRESENT   0x001
#define WRITABLE  0x002
#define USER      0x004
#define LARGE     0x080         /* a 4 MiB page, in a directory entry */

#define CR0_WP    0x00010000u   /* ring 0 obeys R/W too */
#define CR0_PG    0x80000000u
#define CR4_PSE   0x00000010u

static uint32_t directory[1024] __attribute__((aligned(PAGE_SIZE)));

static uint32_t dir_index(uint32_t va) { return va >> 22; }
static uint32_t table_index(uint32_t va) { return (va >> 12) & 1023; }

static void flush_tlb(void)
{
    /* Reloading CR3 drops every cached translation (SDM 3A, 4.10.4.1). */
    __asm__ volatile("mov %0, %%cr3" : : "r"(directory) : "memory");
}

void paging_init(void)
{
    for (uint32_t va = 0; va < KERNEL_END; va += 0x400000)
        directory[dir_index(va)] = va | PRESENT | WRITABLE | LARGE;     /* no USER */
    uint32_t cr0, cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE));
    flush_tlb();
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG | CR0_WP) : "memory");
}

/* The page table entry for va, or NULL if va has no page table yet (and
   create is 0, or no page is left for one). */
static uint32_t *entry(uint32_t va, int create)
{
    uint32_t *pde = &directory[dir_index(va)];
    if (!(*pde & PRESENT)) {
        if (!create)
            return NULL;
        uint32_t *table = page_alloc();
        if (!table)
            return NULL;
        /* Write permission is decided page by page, in the table. */
        *pde = (uint32_t)table | PRESENT | WRITABLE | USER;
    }
    uint32_t *table = (uint32_t *)PGROUNDDOWN(*pde);
    return &table[table_index(va)];
}

void *paging_map_user(uint32_t va, int writable)
{
    if (va < USER_START || va >= USER_END)
        panic("paging_map_user(0x%08x): not a user address", va);
    uint32_t *pte = entry(va, 1);
    if (!pte)
        return NULL;
    if (*pte & PRESENT) {       /* two segments share the page */
        *pte |= writable ? WRITABLE : 0;
        return (void *)PGROUNDDOWN(*pte);
    }
    void *page = page_alloc();
    if (!page)
        return NULL;
    *pte = (uint32_t)page | PRESENT | USER | (writable ? WRITABLE : 0);
    return page;
}

void paging_unmap_user(uint32_t va)
{
    uint32_t *pte = entry(va, 0);
    if (pte && (*pte & PRESENT)) {
        page_free((void *)PGROUNDDOWN(*pte));
        *pte = 0;
        __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");  /* forget the old mapping */
    }
}

int paging_user_protect(uint32_t va, int readable, int writable)
{
    uint32_t *pte = entry(va, 0);
    if (!pte || !(*pte & PRESENT))
        return 0;
    /* Without U/S, ring 3 cannot touch the page; the page stays the program's. */
    *pte = (*pte & ~(USER | WRITABLE)) | (readable ? USER : 0) | (writable ? WRITABLE : 0);
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
    return 1;
}

int paging_user_mapped(uint32_t va)
{
    uint32_t *pte = entry(va, 0);
    return pte && (*pte & PRESENT);
}

void paging_clear_user(void)
{
    for (uint32_t d = dir_index(USER_START); d < dir_index(USER_END); d++) {
        if (!(directory[d] & PRESENT))
            continue;
        uint32_t *table = (uint32_t *)PGROUNDDOWN(directory[d]);
        for (int t = 0; t < 1024; t++)
            if (table[t] & PRESENT)
                page_free((void *)PGROUNDDOWN(table[t]));
        page_free(table);
        directory[d] = 0;
    }
    flush_tlb();
}

int paging_user_range_ok(uint32_t va, size_t n, int write)
{
    if (n == 0)
        return 1;               /* nothing will be touched */
    uint32_t last = va + (n - 1);
    if (last < va || va < USER_START || last >= USER_END)
        return 0;               /* wraps past 4 GiB, or leaves user space */
    for (uint32_t page = PGROUNDDOWN(va); ; page += PAGE_SIZE) {
        uint32_t *pte = entry(page, 0);
        uint32_t need = PRESENT | USER | (write ? WRITABLE : 0);
        if (!pte || (*pte & need) != need)
            return 0;
        if (page == PGROUNDDOWN(last))
            return 1;
    }
}

const void *user_in(uint32_t va, size_t n)
{
    static const char nothing;
    if (n == 0)
        return &nothing;        /* nothing will be read: any address does */
    return paging_user_range_ok(va, n, 0) ? (const void *)va : 0;
}

void *user_out(uint32_t va, size_t n)
{
    static char nothing;
    if (n == 0)
        return &nothing;
    return paging_user_range_ok(va, n, 1) ? (void *)va : 0;
}

int copyin(void *dst, uint32_t va, size_t n)
{
    const void *src = user_in(va, n);
    if (!src)
        return -EFAULT;
    memcpy(dst, src, n);
    return 0;
}

int copyout(uint32_t va, const void *src, size_t n)
{
    void *dst = user_out(va, n);
    if (!dst)
        return -EFAULT;
    memcpy(dst, src, n);
    return 0;
}
