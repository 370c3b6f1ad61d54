/* paging.h - the kernel's address space and the user program's pages. */
#ifndef PAGING_H
#define PAGING_H

#include <stddef.h>
#include <stdint.h>

/* Virtual memory, as this kernel lays it out:
     0x00000000 - 0x07FFFFFF  the kernel: all physical RAM it uses, one to
                              one, ring 0 only
     0x08000000 - 0xBFFFFFFF  the user program (code at 0x08048000, brk's
                              heap after it, mmap2's pages from 0x40000000,
                              the stack below 0xC0000000, as on Linux)
     0xC0000000 - 0xFFFFFFFF  nothing: any access faults */
#define KERNEL_END 0x08000000u
#define USER_START 0x08000000u
#define USER_END   0xC0000000u
#define MMAP_START 0x40000000u

void paging_init(void);

/* Map a fresh zeroed page at the user address va. Returns the page's
   physical address, through which the kernel can fill it, or 0 when
   memory has run out. */
void *paging_map_user(uint32_t va, int writable);

/* Unmap the user page at va, if there is one, and free it. */
void paging_unmap_user(uint32_t va);

/* Change what ring 3 may do with the mapped user page at va (mprotect):
   writable implies readable on x86. Returns 0 if no page is mapped there. */
int paging_user_protect(uint32_t va, int readable, int writable);

/* Is va mapped for the user program? */
int paging_user_mapped(uint32_t va);

/* Unmap and free every user page, and the page tables that held them. */
void paging_clear_user(void);

/* May the user program read (or write) the n bytes at va? Checks the
   range's bounds and every page's entry, so the kernel never faults on a
   user pointer. */
int paging_user_range_ok(uint32_t va, size_t n, int write);

/* The one door to the program's memory: the kernel reads or writes what a
   program's pointer names only through these, and each checks the whole
   range first (paging_user_range_ok). user_in and user_out give the n
   bytes at va as a kernel pointer, or NULL if they are not all the
   program's (to write, for user_out); copyin and copyout copy them, and
   return 0, or -EFAULT for a bad range. */
const void *user_in(uint32_t va, size_t n);
void *user_out(uint32_t va, size_t n);
int copyin(void *dst, uint32_t va, size_t n);
int copyout(uint32_t va, const void *src, size_t n);

#endif
