/* keyboard.h - the PS/2 keyboard. */
#ifndef KEYBOARD_H
#define KEYBOARD_H

#include <stdbool.h>

void keyboard_init(void);
int keyboard_getc(void);        /* the next typed character, or -1 if none */
unsigned keyboard_dropped(void);    /* keys lost because the buffer was full */

/* Was Esc pressed since the last call? */
bool keyboard_escape(void);

#endif
