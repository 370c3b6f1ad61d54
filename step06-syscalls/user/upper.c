/* upper: read a line and write it back in capitals. */
#include "lib.h"

int main(void)
{
    char line[80];
    print("type a line: ");
    long n = read(0, line, sizeof line);
    if (n < 0)
        return 1;
    for (long i = 0; i < n; i++)
        if (line[i] >= 'a' && line[i] <= 'z')
            line[i] -= 'a' - 'A';
    write(1, line, n);
    return 0;
}
