/* paging.c - page tables: the kernel's memory mapped one to one, for
 * ring 0 only.
 *
 * A 32-bit virtual address is split 10/10/12: the page directory entry,
 * the page table entry, the offset in the 4 KiB page (Intel SDM 3A, 4.3).
 * The directory and each table are one page of 1024 four-byte entries; an
 * entry holds a page's physical address and, in its low 12 bits, what may
 * be done there. The CPU caches translations in its TLB, so a changed
 * entry must be flushed from it (SDM 3A, 4.10).
 */
#include "kprintf.h"
#include "pages.h"
#include "paging.h"

#define PRESENT   0x001
#define WRITABLE  0x002

#define CR0_WP    0x00010000u   /* ring 0 obeys R/W too */
#define CR0_PG    0x80000000u

static uint32_t directory[1024] __attribute__((aligned(PAGE_SIZE)));

static uint32_t dir_index(uint32_t va) { return va >> 22; }
static uint32_t table_index(uint32_t va) { return (va >> 12) & 1023; }

static void flush_tlb(void)
{
    /* Reloading CR3 drops every cached translation (SDM 3A, 4.10.4.1). */
    __asm__ volatile("mov %0, %%cr3" : : "r"(directory) : "memory");
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
        /* Both levels must allow an access; what is allowed is decided
           page by page, in the table. */
        *pde = (uint32_t)table | PRESENT | WRITABLE;
    }
    uint32_t *table = (uint32_t *)PGROUNDDOWN(*pde);
    return &table[table_index(va)];
}

void paging_init(uint32_t end)
{
    for (uint32_t a = 0; a < PGROUNDUP(end); a += PAGE_SIZE) {
        uint32_t *pte = entry(a, 1);
        if (!pte)
            panic("no page left for the kernel's page tables");
        *pte = a | PRESENT | WRITABLE;      /* virtual a is physical a */
    }
    flush_tlb();                /* CR3: where the directory is */
    uint32_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG | CR0_WP) : "memory");
}
