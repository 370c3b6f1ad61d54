/* console.c - a prompt, a line editor, and a few commands. */
#include <stdint.h>
#include "console.h"
#include "gdt.h"
#include "interrupts.h"
#include "keyboard.h"
#include "kprintf.h"
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

/* Three ways to make the CPU raise an exception on purpose. */
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
    } else {
        kprintf("crash: unknown kind '%s'; try div, ud or gp\n", how);
    }
}

static unsigned atou(const char *s)
{
    unsigned n = 0;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    return n;
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
    uint32_t until = uptime() + atou(arg) * TIMER_HZ;
    while (uptime() < until)
        __asm__ volatile("hlt");        /* keys typed now wait in the buffer */
}

static void clear(char *arg)
{
    (void)arg;
    vga_clear();
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
    { "crash [how]", "raise an exception: div (default), ud, gp", crash },
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
    char *arg = line;
    while (*arg && *arg != ' ')
        arg++;
    if (*arg)
        *arg++ = 0;             /* split "crash gp" into "crash" and "gp" */

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
