/* memmap.c - the memory map the boot sector got from the BIOS.
 *
 * Only the BIOS knows which physical addresses are RAM: below 1 MiB there
 * are the video memory and the ROMs, and near the top of the first 4 GiB
 * the PCI devices and the firmware. The boot sector asked with int 15h,
 * E820h (ACPI 6.4, 15.1 "INT 15H, E820H - Query System Address Map") while
 * the CPU was still in real mode, and left the answer at 0x1000.
 */
#include "kprintf.h"
#include "memmap.h"

#define MAP_END     ((const uint16_t *)0x1000)  /* see boot.asm */
#define MAP_ENTRIES ((const struct memory_region *)0x1004)
#define ONE_MIB     0x100000u

extern char __bss_end[];        /* the end of the kernel, from linker.ld */

static int region_count(void)
{
    return (*MAP_END - 0x1004) / sizeof(struct memory_region);
}

static int usable(const struct memory_region *r)
{
    return r->type == 1 && (r->attributes & 1);
}

static const char *type_name(uint32_t type)
{
    switch (type) {
    case 1: return "usable";
    case 2: return "reserved";
    case 3: return "ACPI data";
    case 4: return "ACPI NVS";
    case 5: return "unusable";
    default: return "other";
    }
}

/* Sizes in the unit that makes them short: 639 KiB, 126 MiB. */
static void print_size(uint64_t bytes)
{
    if (bytes >= 10 * (uint64_t)ONE_MIB)
        kprintf("%u MiB", (unsigned)(bytes >> 20));
    else
        kprintf("%u KiB", (unsigned)(bytes >> 10));
}

/* The same form as Linux's boot log, "BIOS-e820: [mem 0x...-0x...] usable",
   so the two can be compared. Addresses have 64 bits even on a 32-bit CPU. */
void memmap_print(void)
{
    const struct memory_region *r = MAP_ENTRIES;
    int n = region_count();
    if (n == 0)
        kprintf("BIOS-e820: the BIOS gave no memory map\n");
    for (int i = 0; i < n; i++, r++) {
        uint64_t last = r->base + r->length - 1;
        kprintf("BIOS-e820: [mem 0x%08x%08x-0x%08x%08x] %-9s ",
                (unsigned)(r->base >> 32), (unsigned)r->base,
                (unsigned)(last >> 32), (unsigned)last,
                usable(r) || r->type != 1 ? type_name(r->type) : "ignored");
        print_size(r->length);
        kprintf("\n");
    }
}

int memmap_heap_region(uintptr_t *start, size_t *size)
{
    /* EXERCISE step05-memmap BEGIN */
    uint64_t kernel_end = (uintptr_t)__bss_end;
    uint64_t best_start = 0, best_size = 0;
    const struct memory_region *r = MAP_ENTRIES;
    for (int i = region_count(); i > 0; i--, r++) {
        if (!usable(r))
            continue;
        uint64_t from = r->base, to = r->base + r->length;
        if (from < kernel_end)
            from = kernel_end;          /* never the kernel itself */
        if (from < ONE_MIB)
            from = ONE_MIB;             /* below 1 MiB, the little left is the BIOS's */
        if (to > 0x100000000ull)
            to = 0x100000000ull;        /* a 32-bit pointer reaches no further */
        if (to > from && to - from > best_size) {
            best_start = from;
            best_size = to - from;
        }
    }
    *start = best_start;
    *size = best_size;
    return best_size != 0;
    /* EXERCISE step05-memmap STUB
    *start = ONE_MIB;
    *size = 15 * ONE_MIB;
    return 1;
       EXERCISE step05-memmap END */
}
