/* selftest.h - checks the heap runs on itself at boot. */
#ifndef SELFTEST_H
#define SELFTEST_H

/* Panics if the heap fails a check; prints how many passed. */
void heap_selftest(void);

#endif
