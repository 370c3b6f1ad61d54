/* trace.h - system calls shown as strace shows them. */
#ifndef TRACE_H
#define TRACE_H

#include <stdint.h>

struct syscall;

/* One line: name(arguments) = result, for the call the dispatcher found
   for number (NULL if there is none). Before an exit, which does not
   return, early is 1 and the result is shown as '?'. */
void trace_call(const struct syscall *call, uint32_t number, const uint32_t *args,
                int32_t result, int early);

/* The last line, after exit: +++ exited with N +++ */
void trace_exit(uint32_t status);

#endif
