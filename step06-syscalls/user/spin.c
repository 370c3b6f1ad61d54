/* spin: a program that never ends, until Esc stops it.
 *
 * NOT ON LINUX: it would run for ever there (Ctrl-C stops it).
 */
#include "lib.h"

int main(void)
{
    print("spinning; press Esc to stop me\n");
    for (volatile unsigned long i = 0; ; i++)
        ;
}
