/* process.h - running a user program, one at a time. */
#ifndef PROCESS_H
#define PROCESS_H

#include <stdint.h>
#include "fs.h"
#include "interrupts.h"

#define MAX_ARGS 16             /* argv[0], the name, included */
#define MAX_FILES 16            /* open files per program, fd 0 to 15 */
#define STACK_PAGES 16          /* the stack: 64 KiB below USER_END */

/* Run the program in the file exe with its arguments (argc at most
   MAX_ARGS) until it exits or is killed; trace prints each system call. */
void process_run(const struct fs_node *exe, int argc, char **argv, int trace);

/* An open file: what a file descriptor, its index in files[], names. */
struct file {
    const struct fs_node *node;     /* 0: the descriptor is free */
    int64_t offset;                 /* where the next read starts */
    uint32_t flags;                 /* O_RDONLY or O_WRONLY, O_CLOEXEC (sysfile.h) */
};

/* A signal's action as rt_sigaction takes it (Linux's for i386). */
struct sigaction {
    uint32_t handler, flags, restorer;
    uint64_t mask;
} __attribute__((packed));

/* The running program's state, for the system calls. */
struct process {
    const char *name;
    const struct fs_node *exe;  /* its file, for /proc/self/exe */
    int pid;
    int trace;
    struct sigaction actions[64];   /* kept for rt_sigaction; no signal is sent */
    uint64_t blocked;           /* rt_sigprocmask's blocked signals */
    uint32_t brk_start, brk;    /* the heap: from the end of the data up to brk */
    uint32_t mmap_next;         /* where mmap2 hands out pages next */
    struct file files[MAX_FILES];   /* fd 0, 1, 2: the terminal */
};
extern struct process current;

/* End the running program: it exited with status, or was killed (status < 0). */
_Noreturn void process_exit(int status);

/* Esc was pressed while the program ran: end it. */
_Noreturn void process_stop(void);

/* A CPU exception in ring 3: say why, and end the program. */
_Noreturn void process_fault(struct regs *r);

#endif
