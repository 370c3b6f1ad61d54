/* console.c - a prompt, a line editor, and a few commands. */
#include <stdint.h>
#include "console.h"
#include "gdt.h"
#include "heap.h"
#include "interrupts.h"
#include "keyboard.h"
#include "kprintf.h"
#include "selftest.h"
#include "string.h"
#include "timer.h"
#include "vga.h"

#define LINE_MAX 64             /* with the prompt, a line fits in one row */

/* Wait for a key. Checking the buffer and halting must not let a key slip
   in between, or we would sleep with a key waiting: interrupts are off for
   the check, and sti enables them only after the next instruction, hlt. */
static char read_key(void)
{
    for (;;) {
        interrupts_off();
        int c = keyboard_getc();
        if (c >= 0) {
            interrupts_on();
            return c;
        }
        __asm__ volatile("sti; hlt");
    }
}

static void read_line(char *line)
{
    int len = 0;
    for (;;) {
        char c = read_key();
        if (c == '\n') {
            kprintf("\n");
            line[len] = 0;
            return;
        }
        if (c == '\b') {
            if (len > 0) {
                len--;
                kprintf("\b \b");   /* back, blank the character, back again */
            }
        } else if (len < LINE_MAX - 1) {
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

/* Split "a b" at the first space: returns "b", and "a" ends there. */
static char *split_word(char *s)
{
    while (*s && *s != ' ')
        s++;
    if (*s)
        *s++ = 0;
    return s;
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

static void run(char *line)
{
    char *arg = split_word(line);   /* "crash pf" into "crash" and "pf" */

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
        read_line(line);
        run(line);
    }
}
