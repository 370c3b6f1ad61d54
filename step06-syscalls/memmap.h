/* memmap.h - the BIOS memory map, and where the heap goes in it. */
#ifndef MEMMAP_H
#define MEMMAP_H

#include <stddef.h>
#include <stdint.h>

/* One entry of the map, as int 15h E820h writes it (ACPI 6.4, 15.1). */
struct memory_region {
    uint64_t base;
    uint64_t length;
    uint32_t type;              /* 1 usable, 2 reserved, 3 ACPI data, ... */
    uint32_t attributes;        /* ACPI 3.0: bit 0 clear means "ignore me" */
};

void memmap_print(void);

/* The largest usable region above the kernel and below 4 GiB. Returns 0 if
   the BIOS gave no usable memory there. */
int memmap_heap_region(uintptr_t *start, size_t *size);

#endif
