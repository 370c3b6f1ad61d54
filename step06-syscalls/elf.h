/* elf.h - loading static i386 ELF programs. */
#ifndef ELF_H
#define ELF_H

#include <stddef.h>
#include <stdint.h>

struct elf_image {
    uint32_t entry;             /* where the program starts */
    uint32_t end;               /* the end of its last segment: brk starts here */
    uint32_t phdr, phnum;       /* its program headers in memory, for the auxv */
};

/* Map and fill the program's segments into the user address space.
   Returns 0, or a message that says why the file cannot run. */
const char *elf_load(const uint8_t *file, size_t size, struct elf_image *image);

#endif
