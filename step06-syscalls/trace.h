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

/* The string at the user address va as strace shows it: in double quotes,
   with C's escapes, at most max bytes and then ... if there are more. n
   bytes, or (cstring) up to a NUL; NULL, or the address in hex, if it
   cannot all be read. For write's buffer: trace_string(va, n, 32, 0);
   for a path, the table's letter s: trace_string(va, 4096, 4096, 1). */
void trace_string(uint32_t va, uint32_t n, uint32_t max, int cstring);

/* The last line, after exit: +++ exited with N +++ */
void trace_exit(uint32_t status);

#endif
