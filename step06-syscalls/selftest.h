/* selftest.h - checks the heap runs on itself at boot. */
#ifndef SELFTEST_H
#define SELFTEST_H

/* Check the heap, and print how many checks passed, or which failed.
   tag, if not NULL, is printed in the result line: the console's selftest
   command passes the word typed after it. */
void heap_selftest(const char *tag);

#endif
