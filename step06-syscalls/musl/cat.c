/* cat.c - print files, or standard input when given none, as cat does:
 * open, read until read returns 0, write what came, close. `trace cat
 * /etc/motd` shows those calls one by one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int cat(int fd)
{
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (write(1, buf, n) != n)
            return -1;
    return n;
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc == 1)
        return cat(0) < 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0 || cat(fd) < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
        if (fd >= 0)
            close(fd);
    }
    return status;
}
