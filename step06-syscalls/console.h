/* console.h - a tiny command line. */
#ifndef CONSOLE_H
#define CONSOLE_H

#define LINE_MAX 201            /* 200 characters and the NUL */
#define CTRL_D   4              /* the key that ends input, as on a terminal */

_Noreturn void console_run(void);

/* Run one command line, as if it had been typed. */
void console_execute(char *line);

/* Read a line from the keyboard, with echo and Backspace, into line (at
   most size - 1 characters and a NUL), and return its length. For the
   console (program is 0) the Enter is not kept. For a program (program is
   1) the line is what a terminal gives: Enter ends it with a '\n', Ctrl-D
   ends it where it is, with none (so at the start of a line, it is empty:
   the end of the input), and Esc stops the program while it waits. */
int console_read_line(char *line, int size, int program);

#endif
