/* paging.h - the kernel's address space. */
#ifndef PAGING_H
#define PAGING_H

#include <stdint.h>

/* Virtual memory, as this kernel lays it out:
     0x00000000 - 0x07FFFFFF  the kernel: all physical RAM it uses, one to
                              one, ring 0 only
     0x08000000 - 0xFFFFFFFF  nothing: any access faults */
#define KERNEL_END 0x08000000u

/* Map the physical addresses below end one to one, then turn paging on. */
void paging_init(uint32_t end);

#endif
