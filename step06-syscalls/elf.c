/* elf.c - load a static i386 ELF executable into user memory.
 *
 * An ELF file starts with a header that says where its program headers
 * are; each PT_LOAD program header asks for a range of memory, filled from
 * the file up to p_filesz and with zeroes after it up to p_memsz (System V
 * ABI, "Program Loading", and its i386 supplement).
 */
#include "elf.h"
#include "pages.h"
#include "paging.h"
#include "string.h"

struct elf_header {
    uint8_t ident[16];          /* 0x7F 'E' 'L' 'F', class, data, version, ... */
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct program_header {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#define ET_EXEC  2
#define EM_386   3
#define PT_LOAD  1
#define PF_W     2

static const char *check_header(const struct elf_header *h, size_t size)
{
    if (size < sizeof *h || memcmp(h->ident, "\177ELF", 4))
        return "not an ELF file";
    if (h->ident[4] != 1 || h->ident[5] != 1)
        return "not a 32-bit little-endian ELF file";
    if (h->type != ET_EXEC || h->machine != EM_386)
        return "not a static i386 executable";
    if (h->phentsize != sizeof(struct program_header) ||
        h->phoff > size || h->phnum > (size - h->phoff) / sizeof(struct program_header))
        return "program headers missing or cut short";
    return 0;
}

/* Map the pages of one segment and copy its bytes in, page by page,
   through each page's physical address. */
static const char *load_segment(const uint8_t *file, size_t size,
                                const struct program_header *ph)
{
    if (ph->offset > size || ph->filesz > size - ph->offset || ph->filesz > ph->memsz)
        return "a segment runs past the end of the file";
    uint32_t end = ph->vaddr + ph->memsz;
    if (ph->vaddr < USER_START || end > USER_END || end < ph->vaddr)
        return "a segment lies outside user memory";
    for (uint32_t page = PGROUNDDOWN(ph->vaddr); page < end; page += PAGE_SIZE) {
        uint8_t *frame = paging_map_user(page, ph->flags & PF_W);
        if (!frame)
            return "out of memory";
        /* The part of [vaddr, vaddr + filesz) that falls in this page. */
        uint32_t from = page > ph->vaddr ? page : ph->vaddr;
        uint32_t to = page + PAGE_SIZE;
        if (to > ph->vaddr + ph->filesz)
            to = ph->vaddr + ph->filesz;
        if (from < to)
            memcpy(frame + (from - page), file + ph->offset + (from - ph->vaddr), to - from);
    }
    return 0;
}

const char *elf_load(const uint8_t *file, size_t size, struct elf_image *image)
{
    const struct elf_header *h = (const struct elf_header *)file;
    const char *error = check_header(h, size);
    if (error)
        return error;
    const struct program_header *ph = (const struct program_header *)(file + h->phoff);
    memset(image, 0, sizeof *image);
    image->entry = h->entry;
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        if ((error = load_segment(file, size, &ph[i])))
            return error;
        if (ph[i].vaddr + ph[i].memsz > image->end)
            image->end = ph[i].vaddr + ph[i].memsz;
        if (ph[i].offset <= h->phoff && h->phoff < ph[i].offset + ph[i].filesz) {
            image->phdr = ph[i].vaddr + (h->phoff - ph[i].offset);
            image->phnum = h->phnum;
        }
    }
    if (!paging_user_mapped(image->entry))
        return "the entry point is not in a loaded segment";
    return 0;
}
