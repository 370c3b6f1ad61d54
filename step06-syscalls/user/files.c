/* files: open's answers on this kernel's disk, which Linux's disks do not
 * have (NOT ON LINUX: /etc/motd is writable there, for root). Each line is
 * a call and its result, 0 or more, or -errno. The files it leaves open are
 * closed when it exits: run it twice, and the first fd is 3 both times.
 */
#include "lib.h"

#define SYS_open  5
#define SYS_close 6
#define SYS_lseek 19

static const struct { const char *path; long flags; } cases[] = {
    { "/etc/motd", 0 },                 /* O_RDONLY: fd 3 */
    { "etc/motd", 0 },                  /* relative to /: fd 4 */
    { "/etc/../etc/./motd", 0 },        /* fd 5 */
    { "/etc", 0 },                      /* a folder may be opened to read it */
    { "/nope", 0 },                     /* ENOENT */
    { "/etc/motd/x", 0 },               /* ENOTDIR */
    { "/etc/motd", 0200000 },           /* O_DIRECTORY: ENOTDIR */
    { "/etc", 1 },                      /* O_WRONLY: EISDIR */
    { "/etc/motd", 1 },                 /* EROFS */
    { "/etc/motd", 2 },                 /* O_RDWR: EROFS */
    { "/etc/new", 0100 | 1 },           /* O_CREAT: EROFS */
    { "/nope/new", 0100 | 1 },          /* its folder is missing: ENOENT */
    { (const char *)0, 0 },             /* EFAULT */
};

int main(void)
{
    for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
        print(cases[i].path ? cases[i].path : "NULL");
        print(" ");
        print_number(cases[i].flags);
        print(" = ");
        print_number(syscall3(SYS_open, (long)cases[i].path, cases[i].flags, 0));
        print("\n");
    }
    print("lseek(3, 0, SEEK_END) = ");
    print_number(syscall3(SYS_lseek, 3, 0, 2));
    print("\nlseek(0, 0, SEEK_SET) = ");
    print_number(syscall3(SYS_lseek, 0, 0, 0));
    print("\nclose(3) = ");
    print_number(syscall3(SYS_close, 3, 0, 0));
    print("\nclose(3) = ");
    print_number(syscall3(SYS_close, 3, 0, 0));
    print("\n");
    return 0;
}
