/* hello: the first user program. */
#include "lib.h"

int main(void)
{
    print("hello, world\n");
    return 0;
}
