/* process.h - running a user program, one at a time. */
#ifndef PROCESS_H
#define PROCESS_H

#include <stdint.h>
#include "interrupts.h"

/* The programs built into the kernel image from user/ (see the Makefile). */
struct program {
    const char *name;
    const uint8_t *elf;
    uint32_t size;
};
extern const struct program programs[];   /* ends with a NULL name */

const struct program *program_find(const char *name);

#define MAX_ARGS 16             /* argv[0], the name, included */
#define STACK_PAGES 16          /* the stack: 64 KiB below USER_END */

/* Run a program with its arguments (argv[0] is its name, argc at most
   MAX_ARGS) until it exits or is killed; trace prints each system call. */
void process_run(const struct program *p, int argc, char **argv, int trace);

/* A signal's action as rt_sigaction takes it (Linux's for i386). */
struct sigaction {
    uint32_t handler, flags, restorer;
    uint64_t mask;
} __attribute__((packed));

/* The running program's state, for the system calls. */
struct process {
    const char *name;
    int pid;
    int trace;
    struct sigaction actions[64];   /* kept for rt_sigaction; no signal is sent */
    uint64_t blocked;           /* rt_sigprocmask's blocked signals */
    uint32_t brk_start, brk;    /* the heap: from the end of the data up to brk */
    uint32_t mmap_next;         /* where mmap2 hands out pages next */
};
extern struct process current;

/* End the running program: it exited with status, or was killed (status < 0). */
_Noreturn void process_exit(int status);

/* Esc was pressed while the program ran: end it. */
_Noreturn void process_stop(void);

/* A CPU exception in ring 3: say why, and end the program. */
_Noreturn void process_fault(struct regs *r);

#endif
