/* console.h - a tiny command line. */
#ifndef CONSOLE_H
#define CONSOLE_H

#define LINE_MAX 201            /* 200 characters and the NUL */
#define CTRL_D   4              /* the key that ends input, as on a terminal */

_Noreturn void console_run(void);

/* Run one command line, as if it had been typed. */
void console_execute(char *line);

/* Read a line from the keyboard, with echo and Backspace, into line (at
   most size - 1 characters and a NUL; the Enter is not kept), and return
   its length. For a program (program is 1), Esc stops it while it waits,
   and Ctrl-D at the start of the line gives -1: the end of the input. */
int console_read_line(char *line, int size, int program);

#endif
