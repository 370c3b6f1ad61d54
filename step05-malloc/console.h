/* console.h - a tiny command line. */
#ifndef CONSOLE_H
#define CONSOLE_H

_Noreturn void console_run(void);

#endif
