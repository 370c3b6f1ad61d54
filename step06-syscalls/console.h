/* console.h - a tiny command line. */
#ifndef CONSOLE_H
#define CONSOLE_H

#define LINE_MAX 64             /* with the prompt, a line fits in one row */

_Noreturn void console_run(void);

/* Run one command line, as if it had been typed. */
void console_execute(char *line);

/* Read a line from the keyboard, with echo and Backspace, into line (at
   most size - 1 characters and a NUL; the Enter is not kept). */
void console_read_line(char *line, int size);

#endif
