/* tty.c - the keyboard as a program reads it. As on a terminal in
 * canonical mode, the program sees nothing until Enter: the console's
 * line editor takes the line, with echo and Backspace, and read hands it
 * out, as much as each call asks for. Ctrl-D ends a line too, with what was
 * typed and no '\n'; at the start of a line that is nothing, so the read
 * returns 0, which programs take for the end of their input. The next read
 * waits for a line again.
 */
#include "console.h"
#include "process.h"
#include "tty.h"

static char line[LINE_MAX + 1];     /* the line, its '\n' and a NUL */
static int line_len, line_used;
static int line_pid;                /* the program it was read for */

uint32_t tty_read(char *buf, uint32_t n, int wait)
{
    if (line_pid != current.pid)
        line_len = line_used = 0;   /* the last program's: not for this one */
    if (line_used == line_len) {
        if (!wait)
            return 0;
        line_len = console_read_line(line, sizeof line, 1);  /* 0: Ctrl-D, the end */
        line_used = 0;
        line_pid = current.pid;
    }
    uint32_t i = 0;
    while (i < n && line_used < line_len)
        buf[i++] = line[line_used++];
    return i;
}
