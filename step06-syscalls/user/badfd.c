/* badfd: read and write on file descriptors that are not open (or not
 * open that way); each call must give -EBADF (9). */
#include "lib.h"

static void show(const char *what, long result)
{
    print(what);
    print_number(result);
    print("\n");
}

int main(void)
{
    char buf[4] = "abc";
    show("write(0, ...) = ", write(0, buf, 3));     /* stdin is for reading */
    show("write(7, ...) = ", write(7, buf, 3));
    show("write(-1, ...) = ", write(-1, buf, 3));
    show("read(1, ...) = ", read(1, buf, 3));       /* stdout is for writing */
    show("read(99, ...) = ", read(99, buf, 3));
    show("write(1, NULL, 0) = ", write(1, 0, 0));   /* nothing to write: no fault */
    return 0;
}
