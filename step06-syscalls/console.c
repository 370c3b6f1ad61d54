/* console.c - a prompt, a line editor, and a few commands. */
#include <stdint.h>
#include "console.h"
#include "errno.h"
#include "fs.h"
#include "gdt.h"
#include "heap.h"
#include "interrupts.h"
#include "keyboard.h"
#include "kprintf.h"
#include "process.h"
#include "selftest.h"
#include "serial.h"
#include "string.h"
#include "timer.h"
#include "vga.h"


/* Wait for a key. Checking the buffer and halting must not let a key slip
   in between, or we would sleep with a key waiting: interrupts are off for
   the check, and sti enables them only after the next instruction, hlt.
   Esc, which the keyboard's interrupt notes, stops a program that waits. */
static char read_key(int program)
{
    for (;;) {
        interrupts_off();
        if (program && keyboard_escape())
            process_stop();
        int c = keyboard_getc();
        if (c >= 0) {
            interrupts_on();
            return c;
        }
        __asm__ volatile("sti; hlt");
    }
}

int console_read_line(char *line, int size, int program)
{
    int len = 0;
    for (;;) {
        char c = read_key(program);
        if (c == CTRL_D && program) {   /* the line so far, as Linux's n_tty: */
            line[len] = 0;              /* no '\n', and nothing echoed */
            return len;
        }
        if (c == '\n') {
            kprintf("\n");
            if (program)
                line[len++] = '\n';
            line[len] = 0;
            return len;
        }
        if (c == '\b') {
            if (len > 0) {
                len--;
                vga_erase();
                serial_puts("\b \b");  /* a terminal on COM1: back, blank, back again */
            }
        } else if (len < size - 1 - program && (c >= ' ' || c == '\t')) {  /* no Ctrl keys */
            if (c == '\t')
                c = ' ';
            line[len++] = c;
            kprintf("%c", c);
        }                       /* a full line takes no more characters */
    }
}

/* Four ways to make the CPU raise an exception on purpose. */
static void crash(char *how)
{
    if (!strcmp(how, "") || !strcmp(how, "div")) {
        /* Both operands unknown to the compiler: it turns 1 / x into a
           comparison, since the quotient can only be 1, -1 or 0. */
        volatile int one = 1, zero = 0;
        kprintf("%d\n", one / zero);
    } else if (!strcmp(how, "ud")) {
        __asm__ volatile("ud2");            /* an instruction defined to be invalid */
    } else if (!strcmp(how, "gp")) {
        __asm__ volatile("mov %0, %%ds" : : "r"(GDT_END));  /* past the end of the GDT */
    } else if (!strcmp(how, "pf")) {
        /* Paging is on (paging.c), and nothing is mapped at 3 GiB. */
        kprintf("%d\n", *(volatile int *)0xC0001000);
    } else {
        kprintf("crash: unknown kind '%s'; try div, ud, gp or pf\n", how);
    }
}

/* A number in decimal, or in hex after 0x. Returns 0 if s is not one. */
static int parse_number(const char *s, uint32_t *n)
{
    int base = 10, digits = 0;
    if (s[0] == '0' && s[1] == 'x') {
        base = 16;
        s += 2;
    }
    for (*n = 0; *s; s++, digits++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0'
              : base == 16 && *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
        if (d < 0)
            return 0;
        *n = *n * base + d;
    }
    return digits > 0;
}

/* Cut the first word off s, as a shell does: it ends at a space outside
   double quotes, and the quotes are taken out, so "a b"c is the one word
   a bc. Returns the rest of the line, from its next word. */
static char *split_word(char *s)
{
    char *word = s;
    int quoted = 0;
    for (; *s && (quoted || *s != ' '); s++) {
        if (*s == '"')
            quoted = !quoted;
        else
            *word++ = *s;
    }
    char *rest = *s ? s + 1 : s;
    *word = 0;
    while (*rest == ' ')
        rest++;
    return rest;
}

/* ls [FOLDER]: a folder's files with their sizes, and its folders. */
static void list(char *arg)
{
    const struct fs_node *dir, *node;
    uint32_t index = 0;
    int error = fs_lookup(0, arg[0] ? arg : "/", &dir);
    if (!error && dir->type != 'd')
        error = -ENOTDIR;
    if (error)
        kprintf("ls: %s: %s\n", arg, error == -ENOTDIR ? "not a folder" : "not found");
    while (!error && (node = fs_next(dir, &index)))
        if (node->type == 'd')
            kprintf("%s/\n", fs_basename(node));
        else
            kprintf("%-12s %u bytes\n", fs_basename(node), node->size);
}

/* The program a command names: a name with a '/' is a path, any other a
   file in /bin. 0 if there is no such file. */
static const struct fs_node *program_find(const char *name)
{
    char path[FS_PATH] = "/bin/";
    const struct fs_node *node;
    int slash = 0;
    for (int i = 0; name[i]; i++)
        slash |= name[i] == '/';
    if (!name[0] || strlen(name) + sizeof "/bin/" > FS_PATH)
        return 0;
    memcpy(slash ? path : path + 5, name, strlen(name) + 1);
    return !fs_lookup(0, path, &node) && node->type == 'f' ? node : 0;
}

/* Run a program: argv[0] is the name it was called by, the rest are the
   words of args. */
static void start_program(const struct fs_node *exe, char *name, char *args, int trace)
{
    char *argv[MAX_ARGS];
    int argc = 0;
    argv[argc++] = name;
    for (;;) {
        while (*args == ' ')
            args++;
        if (!*args || argc == MAX_ARGS)
            break;
        argv[argc++] = args;
        args = split_word(args);
    }
    process_run(exe, argc, argv, trace);
}

static void trace_command(char *arg)
{
    char *rest = split_word(arg);
    const struct fs_node *exe = program_find(arg);
    if (exe)
        start_program(exe, arg, rest, 1);
    else
        kprintf("trace: no program '%s'; ls /bin lists them\n", arg);
}

static void meminfo(char *arg)
{
    (void)arg;
    struct heap_stats s;
    heap_stats(&s);
    kprintf("heap      %u bytes\n", s.size);
    kprintf("in use    %u bytes in %u block%s\n", s.used, s.used_blocks,
            s.used_blocks == 1 ? "" : "s");
    kprintf("free      %u bytes in %u block%s, the largest %u\n", s.free, s.free_blocks,
            s.free_blocks == 1 ? "" : "s", s.largest_free);
}

/* Allocate 64 KiB blocks until kmalloc says no, chained through their
   first bytes; then free them all. */
static void out_of_memory(char *arg)
{
    (void)arg;
    void *chain = 0;
    unsigned blocks = 0;
    for (;;) {
        void **block = kmalloc(65536);
        if (!block)
            break;
        *block = chain;
        chain = block;
        blocks++;
    }
    kprintf("kmalloc(65536) returned NULL after %u blocks (%u KiB); freeing them\n",
            blocks, blocks * 64);
    while (chain) {
        void *next = *(void **)chain;
        kfree(chain);
        chain = next;
    }
}

/* alloc N: kmalloc(N), and the pointer it gave. */
static void alloc_command(char *arg)
{
    uint32_t n;
    if (!parse_number(arg, &n)) {
        kprintf("alloc: expected a size, such as alloc 100\n");
        return;
    }
    void *p = kmalloc(n);
    if (p)
        kprintf("kmalloc(%u) = %p\n", n, p);
    else
        kprintf("kmalloc(%u) = NULL: out of memory\n", n);
}

/* free ADDR: kfree(ADDR), whatever ADDR is: the heap must cope. */
static void free_command(char *arg)
{
    uint32_t a;
    if (!parse_number(arg, &a)) {
        kprintf("free: expected an address, such as free 0x100010\n");
        return;
    }
    kfree((void *)a);
    kprintf("kfree(%p) returned\n", (void *)a);
}

/* fill ADDR N: write N bytes at ADDR, to overrun a block on purpose. */
static void fill_command(char *arg)
{
    char *count = split_word(arg);
    uint32_t a, n;
    if (!parse_number(arg, &a) || !parse_number(count, &n)) {
        kprintf("fill: expected an address and a count, such as fill 0x100010 120\n");
        return;
    }
    memset((void *)a, 0xAA, n);     /* 0xAA is no header field's value */
    kprintf("wrote %u bytes of 0xaa at %p\n", n, (void *)a);
}

static void ticks(char *arg)
{
    (void)arg;
    /* EXERCISE step04-ticks BEGIN */
    uint32_t t = uptime();
    kprintf("ticks: %u (%u.%02u s); keys dropped: %u\n",
            t, t / TIMER_HZ, t % TIMER_HZ * 100 / TIMER_HZ, keyboard_dropped());
    /* EXERCISE step04-ticks STUB
    kprintf("ticks: not written yet\n");
       EXERCISE step04-ticks END */
}

static void sleep(char *arg)
{
    uint32_t seconds = 0;
    parse_number(arg, &seconds);    /* "sleep" alone, or a non-number: 0 */
    uint32_t until = uptime() + seconds * TIMER_HZ;
    while (uptime() < until)
        __asm__ volatile("hlt");        /* keys typed now wait in the buffer */
}

static void clear(char *arg)
{
    (void)arg;
    vga_clear();
}

static void selftest(char *arg)
{
    heap_selftest(arg[0] ? arg : 0);
}

static void help(char *arg);

#define STRING(x) #x
#define NUMBER(x) STRING(x)             /* a macro's value as a string */

/* The commands: each row is how help shows the command (its name, then
   what it takes), the line help gives it, and the function that runs it
   with the rest of the line. help prints these rows, so the list and the
   commands cannot drift apart. */
static const struct command {
    const char *usage;
    const char *help;
    void (*run)(char *arg);
} commands[] = {
    { "help", "this list", help },
    { "ticks", "timer ticks since boot (" NUMBER(TIMER_HZ) " a second)", ticks },
    { "sleep N", "wait N seconds; keys typed meanwhile wait in the buffer", sleep },
    { "clear", "clear the screen", clear },
    { "crash [how]", "raise an exception: div (default), ud, gp, pf", crash },
    { "meminfo", "the heap: size, bytes in use, free blocks", meminfo },
    { "alloc N", "kmalloc(N), and print the pointer", alloc_command },
    { "free ADDR", "kfree(ADDR): try it twice, or on a wrong address", free_command },
    { "fill ADDR N", "write N bytes at ADDR: try it past a block's end", fill_command },
    { "oom", "kmalloc 64 KiB blocks until there is no memory left", out_of_memory },
    { "selftest", "check the heap again, as at boot", selftest },
    { "ls [FOLDER]", "the files in / or FOLDER; type a program's name to run it", list },
    { "trace NAME", "run a program and show its system calls, as strace does", trace_command },
};

static void help(char *arg)
{
    (void)arg;
    for (unsigned i = 0; i < sizeof commands / sizeof *commands; i++)
        kprintf("%-12s %s\n", commands[i].usage, commands[i].help);
}

/* Is word the command's name, the first word of its usage? */
static int named(const char *usage, const char *word)
{
    while (*word && *usage == *word)
        usage++, word++;
    return !*word && (*usage == ' ' || !*usage);
}

/* A name is looked up as a program first (in /bin, or a path), then as
   a command: a program named like a command is not hidden by it. */
void console_execute(char *line)
{
    char *arg = split_word(line);   /* "crash pf" into "crash" and "pf" */
    const struct fs_node *exe = program_find(line);
    if (exe) {
        start_program(exe, line, arg, 0);
        return;
    }
    for (unsigned i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (named(commands[i].usage, line)) {
            commands[i].run(arg);
            return;
        }
    }
    if (line[0])
        kprintf("unknown command '%s': type help for the list\n", line);
}

_Noreturn void console_run(void)
{
    char line[LINE_MAX];
    for (;;) {
        kprintf("> ");
        console_read_line(line, LINE_MAX, 0);
        console_execute(line);
    }
}
