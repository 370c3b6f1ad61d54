/* syscall.h - int 0x80, with the Linux i386 system-call convention. */
#ifndef SYSCALL_H
#define SYSCALL_H

#include <stdint.h>
#include "interrupts.h"

#define SYSCALL_VECTOR 0x80

/* mmap2's prot and flags (Linux's include/uapi/asm-generic/mman-common.h). */
#define PROT_WRITE    0x2
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_TYPE      0x03          /* shared or private: one of them */
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x100

/* One entry of the table: the call's name and code, and how trace shows
   its arguments (args, a letter each) and its result (see trace.c). */
struct syscall {
    const char *name;
    int32_t (*run)(const uint32_t *args);
    const char *args;
    char result;
};

/* The calls in sysproc.c and systime.c; a: the arguments, as in the table. */
typedef int32_t syscall_fn(const uint32_t *a);
syscall_fn sys_uname, sys_getuid, sys_ugetrlimit, sys_getrandom, sys_mprotect,
    sys_set_robust_list, sys_rt_sigaction, sys_rt_sigprocmask, sys_prctl, sys_nanosleep,
    sys_clock_nanosleep, sys_clock_nanosleep_time64, sys_clock_gettime, sys_clock_gettime64,
    sys_gettimeofday;

/* Run the call whose number is in eax, with arguments in ebx, ecx, edx,
   esi, edi and ebp; the result, or -errno, goes back in eax. */
void syscall_dispatch(struct regs *r);

#endif
