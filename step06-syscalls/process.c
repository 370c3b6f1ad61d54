/* process.c - load a program, build its first stack, run it in ring 3, and
 * clean up when it exits or is killed. One program runs at a time: while it
 * runs, the console waits in process_run.
 */
#include "crash.h"
#include "elf.h"
#include "gdt.h"
#include "heap.h"
#include "keyboard.h"
#include "kprintf.h"
#include "pages.h"
#include "paging.h"
#include "process.h"
#include "string.h"
#include "sysfile.h"
#include "vga.h"

/* Auxiliary vector types (System V i386 ABI, "Process Initialization"). */
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_RANDOM 25

struct process current;

/* Interrupts from ring 3 arrive on this stack, not on the kernel's own:
   the console's frames are still live on that one. */
static uint8_t trap_stack[16384] __attribute__((aligned(16)));

int user_enter(uint32_t eip, uint32_t esp);        /* usermode.asm */
_Noreturn void user_return(int status);

/* glibc's string functions use SSE2 (movd, pxor), which the CPU runs only
   once the system says it saves the SSE registers (CR4.OSFXSR; Intel SDM
   3A, 13.1.3). One program at a time, and a kernel built without them
   (-mgeneral-regs-only): there is nothing to save. CPUID.1:EDX bit 25 says
   whether the CPU has SSE at all. */
static void sse_on(void)
{
    uint32_t a = 1, b, c, d, cr0, cr4;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    if (!(d & 1u << 25))
        return;
    __asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
    cr0 = (cr0 & ~4u) | 2;      /* EM off: no x87 emulation; MP on */
    cr4 |= 3u << 9;             /* OSFXSR and OSXMMEXCPT */
    __asm__ volatile("mov %0, %%cr0; mov %1, %%cr4" : : "r"(cr0), "r"(cr4));
}

/* Push n bytes onto the new program's stack through the kernel's one-to-one
   view of its pages; returns the user address they landed at. */
static uint32_t push(uint32_t *sp, const void *data, uint32_t n, uint8_t **pages)
{
    *sp -= n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t va = *sp + i;
        uint32_t page = (USER_END - va - 1) / PAGE_SIZE;   /* 0 is the top page */
        pages[page][va % PAGE_SIZE] = ((const uint8_t *)data)[i];
    }
    return *sp;
}

/* The stack a program starts with (System V i386 ABI, "Process Stack"):
   argc, the argv pointers, NULL, the envp pointers (none here), NULL, the
   auxiliary vector's pairs, and above them all the strings themselves. */
static uint32_t build_stack(int argc, char **argv, const struct elf_image *image,
                            uint8_t **pages)
{
    uint32_t sp = USER_END, strings[MAX_ARGS];
    uint8_t random[16] = "not very random";     /* AT_RANDOM: a C library seeds from it */
    for (int i = argc - 1; i >= 0; i--)
        strings[i] = push(&sp, argv[i], strlen(argv[i]) + 1, pages);
    uint32_t at_random = push(&sp, random, sizeof random, pages);

    uint32_t aux[] = { AT_PHDR, image->phdr, AT_PHENT, 32, AT_PHNUM, image->phnum,
                       AT_PAGESZ, PAGE_SIZE, AT_ENTRY, image->entry,
                       AT_RANDOM, at_random, AT_NULL, 0 };
    uint32_t v[1 + MAX_ARGS + 2 + sizeof aux / sizeof *aux], n = 0;
    v[n++] = argc;
    for (int i = 0; i < argc; i++)
        v[n++] = strings[i];
    v[n++] = 0;                 /* the end of argv */
    v[n++] = 0;                 /* the end of envp */
    memcpy(&v[n], aux, sizeof aux);
    n += sizeof aux / sizeof *aux;
    sp = (sp - 4 * n) & ~15u;   /* argc's address is 16-byte aligned */
    uint32_t top = sp + 4 * n;
    push(&top, v, 4 * n, pages);
    return sp;
}

/* The whole file into the heap, for elf_load; 0 if it cannot be read. */
static uint8_t *read_file(const struct fs_node *exe)
{
    uint8_t *file = kmalloc(exe->size);
    if (file && fs_read(exe, 0, file, exe->size) != (int32_t)exe->size) {
        kfree(file);
        return 0;
    }
    return file;
}

void process_run(const struct fs_node *exe, int argc, char **argv, int trace)
{
    struct elf_image image;
    uint8_t *stack[STACK_PAGES];
    const char *name = fs_basename(exe);
    uint8_t *file = read_file(exe);
    const char *error = file ? elf_load(file, exe->size, &image) : "cannot read the file";
    kfree(file);
    for (int i = 0; i < STACK_PAGES && !error; i++)
        if (!(stack[i] = paging_map_user(USER_END - (i + 1) * PAGE_SIZE, 1)))
            error = "out of memory for the stack";
    if (error) {
        kprintf("%s: cannot run: %s\n", name, error);
        paging_clear_user();
        return;
    }
    static int last_pid;
    current = (struct process){ .name = name, .exe = exe, .pid = ++last_pid, .trace = trace,
        .files = { { &fs_terminal, 0, O_RDONLY }, { &fs_terminal, 0, O_WRONLY },
                   { &fs_terminal, 0, O_WRONLY } } };
    current.brk_start = current.brk = PGROUNDUP(image.end);
    current.mmap_next = MMAP_START;
    for (int entry = TLS_FIRST; entry <= TLS_LAST; entry++)
        gdt_clear_tls(entry);   /* no thread data from the last program */
    uint32_t sp = build_stack(argc, argv, &image, stack);

    tss_set_kernel_stack((uint32_t)trap_stack + sizeof trap_stack);
    sse_on();
    keyboard_escape();          /* an Esc from before is not for this program */
    int status = user_enter(image.entry, sp);
    __asm__ volatile("sti");    /* we came back through an interrupt gate */

    if (vga_cursor() % VGA_COLS)
        kprintf("\n");          /* the status goes on a line of its own */
    if (status >= 0)
        kprintf("%s: exited with status %d\n", name, status);
    memset(current.files, 0, sizeof current.files);     /* close what it left open */
    paging_clear_user();
}

_Noreturn void process_exit(int status)
{
    user_return(status);
}

_Noreturn void process_stop(void)
{
    if (vga_cursor() % VGA_COLS)
        kprintf("\n");
    kprintf("%s: stopped (Esc pressed)\n", current.name);
    user_return(-1);
}

_Noreturn void process_fault(struct regs *r)
{
    uint32_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    if (vga_cursor() % VGA_COLS)
        kprintf("\n");
    kprintf("%s: killed (%s", current.name, exception_name(r->vector));
    if (r->vector == VECTOR_PAGE_FAULT)
        kprintf(" at 0x%08x", cr2);
    kprintf(", eip 0x%08x)\n", r->eip);
    user_return(-1);
}
