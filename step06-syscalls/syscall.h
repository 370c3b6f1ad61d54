/* syscall.h - int 0x80, with the Linux i386 system-call convention. */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "interrupts.h"

#define SYSCALL_VECTOR 0x80

/* Run the call whose number is in eax, with arguments in ebx, ecx, edx,
   esi, edi and ebp; the result, or -errno, goes back in eax. */
void syscall_dispatch(struct regs *r);

/* Forget the last program's unread keyboard input. */
void syscall_reset(void);

#endif
