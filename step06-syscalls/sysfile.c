/* sysfile.c - the system calls on files: open, close, lseek, stat,
 * getdents64, readlink (read is in syscall.c, for the terminal and files).
 *
 * A file descriptor is an index into the running program's files[]
 * (process.h): 0, 1 and 2 are the terminal, open takes the lowest free
 * one, close frees it, and when the program ends they are all freed. The
 * file system is read-only, so open refuses to write with -EROFS, as Linux
 * does on a read-only mount. A program has one working folder: /.
 */
#include "errno.h"
#include "fs.h"
#include "paging.h"
#include "string.h"
#include "sysfile.h"

#define AT_FDCWD      -100      /* openat's "from the working folder" */
#define AT_EMPTY_PATH 0x1000    /* fstatat64 with "" names dirfd itself */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_MAX 4              /* SEEK_DATA 3 and SEEK_HOLE 4: not here */
#define F_GETFD    1            /* fcntl's commands (include/uapi/asm-generic/fcntl.h) */
#define F_SETFD    2
#define F_GETFL    3
#define FD_CLOEXEC 1            /* F_GETFD and F_SETFD's one flag */
#define DT_DIR 4                /* getdents64's d_type: a folder, */
#define DT_REG 8                /* a file */

struct file *file_get(uint32_t fd)
{
    return fd < MAX_FILES && current.files[fd].node ? &current.files[fd] : 0;
}

int32_t file_read(struct file *f, char *buf, uint32_t n)
{
    if (f->offset >= f->node->size && f->node->type == 'f')
        return 0;
    int32_t got = fs_read(f->node, f->offset, buf, n);
    if (got > 0)
        f->offset += got;
    return got;
}

/* A path from the program, into path: -EFAULT if a byte of it is not the
   program's, -ENAMETOOLONG if it does not end within FS_PATH bytes. */
static int32_t user_path(uint32_t va, char *path)
{
    for (int i = 0; i < FS_PATH; i++) {
        const char *c = user_in(va + i, 1);
        if (!c)
            return -EFAULT;
        if (!(path[i] = *c))
            return 0;
    }
    return -ENAMETOOLONG;
}

/* Look up the program's path, relative to the folder open at dirfd (or
   to /, for AT_FDCWD). *path receives it, for fstatat64's "". */
static int32_t lookup_at(int32_t dirfd, uint32_t va, const struct fs_node **node,
                         char *path)
{
    int32_t error = user_path(va, path);
    if (error || path[0] == '/' || !path[0] || dirfd == AT_FDCWD)
        return error ? error : fs_lookup(0, path, node);
    struct file *dir = file_get(dirfd);
    if (!dir)
        return -EBADF;
    if (dir->node->type != 'd')
        return -ENOTDIR;
    return fs_lookup(dir->node, path, node);
}

/* The checks in Linux's order (fs/namei.c, do_open and may_open). */
static int32_t open_at(int32_t dirfd, uint32_t va, uint32_t flags)
{
    const struct fs_node *node = 0;
    char path[FS_PATH];
    int32_t error = lookup_at(dirfd, va, &node, path);
    int writes = (flags & O_ACCMODE) != O_RDONLY || flags & O_TRUNC;
    if (error == -ENOENT && node && flags & O_CREAT)
        return -EROFS;          /* its folder exists: creating it is writing */
    if (error)
        return error;
    if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
        return -EEXIST;
    if (node->type == 'd' && (writes || flags & O_CREAT))
        return -EISDIR;
    if (node->type != 'd' && flags & O_DIRECTORY)
        return -ENOTDIR;
    if (writes)
        return -EROFS;
    for (int fd = 0; fd < MAX_FILES; fd++) {
        if (!current.files[fd].node) {
            current.files[fd] = (struct file){ node, 0, O_RDONLY | (flags & O_CLOEXEC) };
            return fd;
        }
    }
    return -EMFILE;
}

/* open(path, flags, mode) and openat(dirfd, path, flags, mode); mode only
   matters when a file is created, which never happens here. */
int32_t sys_open(const uint32_t *a)
{
    uint32_t path_va = a[0], flags = a[1];
    return open_at(AT_FDCWD, path_va, flags);
}

int32_t sys_openat(const uint32_t *a)
{
    int32_t dirfd = a[0];
    uint32_t path_va = a[1], flags = a[2];
    return open_at(dirfd, path_va, flags);
}

int32_t sys_close(const uint32_t *a)
{
    uint32_t fd = a[0];
    struct file *f = file_get(fd);
    if (!f)
        return -EBADF;
    f->node = 0;
    return 0;
}

/* Move f's offset; the terminal cannot seek (-ESPIPE), as on Linux. */
static int32_t seek(uint32_t fd, int64_t offset, uint32_t whence, int64_t *result)
{
    struct file *f = file_get(fd);
    if (!f)
        return -EBADF;
    if (whence > SEEK_MAX)
        return -EINVAL;
    if (f->node->type == 'c')
        return -ESPIPE;
    if (whence > SEEK_END)
        return -EINVAL;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->offset : f->node->size;
    if (base + offset < 0)
        return -EINVAL;
    *result = f->offset = base + offset;
    return 0;
}

/* lseek(fd, offset, whence): a 32-bit answer, or -EOVERFLOW past 2 GiB. */
int32_t sys_lseek(const uint32_t *a)
{
    uint32_t fd = a[0], whence = a[2];
    int32_t offset = a[1];
    int64_t result;
    int32_t error = seek(fd, offset, whence, &result);
    return error ? error : result > 0x7FFFFFFF ? -EOVERFLOW : (int32_t)result;
}

/* _llseek(fd, high, low, result, whence): 64 bits, the answer in *result. */
int32_t sys_llseek(const uint32_t *a)
{
    uint32_t fd = a[0], high = a[1], low = a[2], result_va = a[3], whence = a[4];
    int64_t result;
    int32_t error = seek(fd, (int64_t)((uint64_t)high << 32 | low), whence, &result);
    return error ? error : copyout(result_va, &result, sizeof result);
}

static int32_t stat_out(const struct fs_node *node, uint32_t va)
{
    uint32_t kind = node->type == 'd' ? S_IFDIR : node->type == 'c' ? S_IFCHR : S_IFREG;
    struct stat64 st = { .dev = 1, .ino32 = node->sector, .mode = kind | node->mode,
                         .nlink = 1, .size = node->size, .blksize = 4096,
                         .blocks = (node->size + 511) / 512, .ino = node->sector };
    return copyout(va, &st, sizeof st);
}

static int32_t fstat(uint32_t fd, uint32_t buf_va)
{
    struct file *f = file_get(fd);
    return f ? stat_out(f->node, buf_va) : -EBADF;
}

/* With AT_EMPTY_PATH in flags, the path "" is dirfd itself. */
static int32_t fstatat(int32_t dirfd, uint32_t path_va, uint32_t buf_va, uint32_t flags)
{
    const struct fs_node *node;
    char path[FS_PATH];
    int32_t error = lookup_at(dirfd, path_va, &node, path);
    if (error == -ENOENT && !path[0] && flags & AT_EMPTY_PATH)
        return fstat(dirfd, buf_va);
    return error ? error : stat_out(node, buf_va);
}

/* stat64(path, buf) and lstat64, the same here: there are no links. */
int32_t sys_stat64(const uint32_t *a)
{
    uint32_t path_va = a[0], buf_va = a[1];
    return fstatat(AT_FDCWD, path_va, buf_va, 0);
}

/* fstat64(fd, buf) */
int32_t sys_fstat64(const uint32_t *a)
{
    uint32_t fd = a[0], buf_va = a[1];
    return fstat(fd, buf_va);
}

/* fstatat64(dirfd, path, buf, flags) */
int32_t sys_fstatat64(const uint32_t *a)
{
    int32_t dirfd = a[0];
    uint32_t path_va = a[1], buf_va = a[2], flags = a[3];
    return fstatat(dirfd, path_va, buf_va, flags);
}

/* The entry at position pos of the folder dir, as getdents64 lists them:
   "." (pos 0) and ".." (1), as on Linux, then the nodes in it, node i at
   2 + i (fs_next's index). *next is the position after it; 0 at the end. */
static const struct fs_node *dir_entry(const struct fs_node *dir, int64_t pos,
                                       const char **name, uint32_t *next)
{
    const struct fs_node *node = dir;
    if (pos < 2) {
        *name = pos == 0 ? "." : "..";
        if (pos == 1)
            fs_lookup(dir, "..", &node);        /* /'s parent is itself */
        *next = pos + 1;
        return node;
    }
    if (pos >= 0x7FFFFFFF)
        return 0;                               /* past the end, where lseek may put it */
    uint32_t index = pos - 2;
    if (!(node = fs_next(dir, &index)))
        return 0;
    *name = fs_basename(node);
    *next = index + 2;
    return node;
}

/* getdents64(fd, buf, size): the folder's entries from the file's offset,
   as many as fit, each a struct linux_dirent64 (include/linux/dirent.h)
   padded to 8 bytes. Its d_off is the position after it, where the next
   call goes on. */
int32_t sys_getdents64(const uint32_t *a)
{
    uint32_t fd = a[0], va = a[1], size = a[2], used = 0, next;
    struct file *f = file_get(fd);
    char *buf = user_out(va, size);
    const struct fs_node *node;
    const char *name;
    if (!f)
        return -EBADF;
    if (f->node->type != 'd')
        return -ENOTDIR;
    if (!buf)
        return -EFAULT;
    for (; (node = dir_entry(f->node, f->offset, &name, &next)); f->offset = next) {
        uint32_t len = strlen(name), entry = (19 + len + 1 + 7) & ~7u;
        struct { uint64_t ino; int64_t next; uint16_t size; uint8_t type; }
            __attribute__((packed)) head = { node->sector, next, entry,
                                             node->type == 'd' ? DT_DIR : DT_REG };
        if (used + entry > size)
            return used ? (int32_t)used : -EINVAL;
        memset(buf + used, 0, entry);
        memcpy(buf + used, &head, sizeof head);
        memcpy(buf + used + sizeof head, name, len);
        used += entry;
    }
    return used;
}

/* readlink(path, buf, size): only /proc/self/exe is a link, to the
   running program's file; any other file is none (-EINVAL). */
int32_t sys_readlink(const uint32_t *a)
{
    uint32_t path_va = a[0], va = a[1], size = a[2];
    char path[FS_PATH], target[FS_PATH + 1] = "/";
    const struct fs_node *node;
    int32_t error = (int32_t)size <= 0 ? -EINVAL : user_path(path_va, path);
    if (error)
        return error;
    if (strcmp(path, "/proc/self/exe"))
        return (error = fs_lookup(0, path, &node)) ? error : -EINVAL;
    memcpy(target + 1, current.exe->name, strlen(current.exe->name) + 1);
    uint32_t n = strlen(target) < size ? strlen(target) : size;
    return copyout(va, target, n) ? -EFAULT : (int32_t)n;
}

/* fcntl(fd, command, arg) and fcntl64: a program may ask an fd's flags
   (F_GETFL), and set or ask its close-on-exec flag (F_SETFD, F_GETFD),
   kept but meaningless with no exec. Anything else: -EINVAL. */
int32_t sys_fcntl(const uint32_t *a)
{
    uint32_t fd = a[0], command = a[1], arg = a[2];
    struct file *f = file_get(fd);
    if (!f)
        return -EBADF;
    switch (command) {
    case F_GETFD:
        return f->flags & O_CLOEXEC ? FD_CLOEXEC : 0;
    case F_SETFD:
        f->flags = (f->flags & ~O_CLOEXEC) | (arg & FD_CLOEXEC ? O_CLOEXEC : 0);
        return 0;
    case F_GETFL:
        return f->flags & ~O_CLOEXEC;
    default:
        return -EINVAL;
    }
}

/* statx: newer than this kernel. C libraries then fall back to fstatat64. */
int32_t sys_statx(const uint32_t *a)
{
    (void)a;
    return -ENOSYS;
}
