/* tty.h - the keyboard as a program reads it: a line at a time. */
#ifndef TTY_H
#define TTY_H

#include <stdint.h>

/* Copy up to n bytes of the typed line to buf, the Enter as a '\n' at its
   end (a line ended by Ctrl-D has none, and may be empty). When the line is
   used up, wait for the next one, or return 0 if wait is 0. A line left
   unread by one program is not given to the next. */
uint32_t tty_read(char *buf, uint32_t n, int wait);

#endif
