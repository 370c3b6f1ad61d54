/* files: open's answers on this kernel's disk, which Linux's disks do not
 * have (NOT ON LINUX: /etc/motd is writable there, for root). Each line is
 * a call and its result, 0 or more, or -errno. The files it leaves open are
 * closed when it exits: run it twice, and the first fd is 3 both times.
 * Then /etc's entries, one getdents64 call for each.
 */
#include "lib.h"

#define SYS_open  5
#define SYS_close 6
#define SYS_lseek 19
#define SYS_stat64 195
#define SYS_fstat64 197
#define SYS_getdents64 220
#define O_DIRECTORY 0200000

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

/* st_ino of a struct stat64 (96 bytes, st_ino last), from stat64 or fstat64. */
static unsigned long long inode(long call, long path_or_fd)
{
    unsigned long long st[12];
    syscall3(call, path_or_fd, (long)st, 0);
    return st[11];
}

/* The folder's entries into a buffer that holds one (a struct linux_dirent64:
   inode, next offset, size, type, name), so that each call must go on
   after the entry the last one gave: ".", "..", then the folder's own. */
static void list(const char *path)
{
    long fd = syscall3(SYS_open, (long)path, O_DIRECTORY, 0);
    unsigned long long dirent[3], folder = inode(SYS_fstat64, fd);
    unsigned long long parent = inode(SYS_stat64, (long)"/");
    long long last = 0;
    long n;
    print("getdents64 on ");
    print(path);
    print(", 8 bytes = ");
    print_number(syscall3(SYS_getdents64, fd, (long)dirent, 8));    /* no entry fits */
    print("\n");
    while ((n = syscall3(SYS_getdents64, fd, (long)dirent, sizeof dirent)) > 0) {
        const char *name = (const char *)dirent + 19;
        unsigned char type = ((unsigned char *)dirent)[18];
        print(name);
        print(type == 4 ? " folder" : type == 8 ? " file" : " other");     /* DT_DIR, DT_REG */
        if (!strcmp(name, "."))
            print(dirent[0] == folder ? ", its inode" : ", NOT its inode");
        if (!strcmp(name, ".."))
            print(dirent[0] == parent ? ", /'s inode" : ", NOT /'s inode");
        print((long long)dirent[1] > last ? "\n" : ", next offset NOT after the last\n");
        last = dirent[1];
    }
    print("getdents64 at the end = ");
    print_number(n);
    print("\n");
}

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
    list("/etc");
    return 0;
}
