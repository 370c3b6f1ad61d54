/* files.c - the arguments of the file calls: open, openat, close, lseek,
 * _llseek, fstat64, stat64, getdents64, readlink, fcntl64. */
#include "fuzz.h"

/* --- Files: only what both file systems agree on. "/" is a folder on
   both, /no-such-file is on neither, and a name made of the playground's
   letters is in no working folder. Nothing is created (no O_CREAT), and a
   call that would fill a good buffer with a stat or a link is not drawn:
   the two systems' files differ, and the playground must stay the same. */
static unsigned long path(void)
{
    return PICK(PATHS, PATHS + 16, RDONLY - 6, RDONLY, HOLE - 8, bad_address());
}

static unsigned long open_flags(void)
{
    return PICK(0, 1, 2, 01000, 0200000, 0200001, 0200, 0400000, 04000, 02000000,
                0100000, 01001);        /* not 3, which Linux reads its own way */
}

enum answer make_open(unsigned long *a)
{
    a[0] = path();
    a[1] = open_flags();
    return ERROR_OR_NOT;                /* the fd: Linux's may be another */
}

/* openat(dirfd, path, flags): a pipe or a bad fd as the folder too. */
enum answer make_openat(unsigned long *a)
{
    a[0] = PICK(-100, 0, 1, bad_fd());
    a[1] = path();
    a[2] = open_flags();
    return ERROR_OR_NOT;
}

enum answer make_close(unsigned long *a)
{
    a[0] = bad_fd();                    /* 0 to 2 would end the run's output */
    return EXACT;
}

/* lseek and _llseek: fd 0 to 2 only with a whence that is none, which
   is refused first: run by hand, they may be files that can seek (a huge
   offset on a file that stderr goes to would make it huge). */
static unsigned long whence(unsigned long fd)
{
    return fd <= 2 ? PICK(5, 0xffffffff) : PICK(0, 1, 2, 3, 4, 5, 0xffffffff);
}

enum answer make_lseek(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    a[1] = length();
    a[2] = whence(a[0]);
    return EXACT;
}

enum answer make_llseek(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    a[1] = length();
    a[2] = length();
    a[3] = PICK(DATA, bad_address());
    a[4] = whence(a[0]);
    return EXACT;
}

/* fstat64(fd, buf): a good fd only with a buffer it cannot fill. */
enum answer make_fstat64(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    do
        a[1] = destination(96);
    while (a[0] <= 2 && good_range(a[1], 96));
    return EXACT;
}

/* stat64(path, buf): for "/" a buffer it cannot fill. */
enum answer make_stat64(unsigned long *a)
{
    a[0] = path();
    do
        a[1] = destination(96);
    while (a[0] == PATHS && good_range(a[1], 96));
    return EXACT;
}

/* getdents64(fd, buf, size): no fd here is a folder; qemu-i386 checks the
   buffer first, Linux the fd: the buffer is good. */
enum answer make_getdents64(unsigned long *a)
{
    a[0] = PICK(0, 1, 2, bad_fd());
    a[1] = DATA + random() % 64;
    a[2] = 1 + random() % 200;         /* 0: qemu-i386 says -ENOMEM */
    return EXACT;
}

/* readlink(path, buf, size): "/" is no link (-EINVAL); a size of 1 to 200
   and a good buffer, which qemu-i386 checks before the size. */
enum answer make_readlink(unsigned long *a)
{
    a[0] = path();
    a[1] = DATA + random() % 64;
    a[2] = 1 + random() % 200;
    return EXACT;
}

/* fcntl64(fd, command, arg): F_GETFD, F_SETFD, F_GETFL (whose flags a
   64-bit host adds to), and a command that is none, on a good fd only:
   qemu-i386 checks the command first, Linux the fd. */
enum answer make_fcntl64(unsigned long *a)
{
    a[1] = PICK(1, 2, 3, 99);
    a[0] = a[1] == 99 ? PICK(0, 1, 2) : PICK(0, 1, 2, bad_fd());
    a[2] = PICK(0, 1);
    return a[1] == 3 ? ERROR_OR_NOT : EXACT;
}
