/* errno.h - the error numbers the system calls return, negated (Linux's
   include/uapi/asm-generic/errno-base.h and errno.h). */
#ifndef ERRNO_H
#define ERRNO_H

#define ENOENT  2
#define ESRCH   3
#define EIO     5
#define EBADF   9
#define ENOMEM  12
#define EFAULT  14
#define EEXIST  17
#define ENOTDIR 20
#define EISDIR  21
#define EINVAL  22
#define EMFILE  24
#define ENOTTY  25
#define ESPIPE  29
#define EROFS   30
#define ENAMETOOLONG 36
#define ENOSYS  38
#define EOVERFLOW 75
#define EOPNOTSUPP 95

#endif
