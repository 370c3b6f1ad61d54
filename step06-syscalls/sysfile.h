/* sysfile.h - the system calls on files and file descriptors. */
#ifndef SYSFILE_H
#define SYSFILE_H

#include <stdint.h>
#include "process.h"

/* open's flags (Linux's include/uapi/asm-generic/fcntl.h), in octal. */
#define O_RDONLY    0
#define O_WRONLY    1
#define O_ACCMODE   3
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_DIRECTORY 0200000
#define O_CLOEXEC   02000000

/* Linux's i386 struct stat64 (arch/x86/include/uapi/asm/stat.h), 96 bytes. */
struct stat64 {
    uint64_t dev;
    uint32_t pad, ino32, mode, nlink, uid, gid;
    uint64_t rdev;
    uint32_t pad2;
    int64_t size;
    uint32_t blksize;
    uint64_t blocks;
    uint32_t times[6];          /* access, change, modification: seconds, ns */
    uint64_t ino;
} __attribute__((packed));
_Static_assert(sizeof(struct stat64) == 96, "Linux's struct stat64");

#define S_IFMT  0170000         /* st_mode's type bits: */
#define S_IFREG 0100000         /* a file, */
#define S_IFDIR 0040000         /* a folder, */
#define S_IFCHR 0020000         /* a terminal (a character device) */

/* The open file behind fd, or 0 if fd names none. */
struct file *file_get(uint32_t fd);

/* read on a file of the disk: n bytes at most into buf, from its offset. */
int32_t file_read(struct file *f, char *buf, uint32_t n);

/* The calls, for syscall.c's table; each takes the six argument registers. */
int32_t sys_open(const uint32_t *a), sys_openat(const uint32_t *a), sys_close(const uint32_t *a),
        sys_lseek(const uint32_t *a), sys_llseek(const uint32_t *a), sys_stat64(const uint32_t *a),
        sys_fstat64(const uint32_t *a), sys_fstatat64(const uint32_t *a),
        sys_getdents64(const uint32_t *a), sys_readlink(const uint32_t *a),
        sys_statx(const uint32_t *a), sys_fcntl(const uint32_t *a);

#endif
