/* errno.h - the error numbers the system calls return, negated (Linux's
   include/uapi/asm-generic/errno-base.h and errno.h). */
#ifndef ERRNO_H
#define ERRNO_H

#define ESRCH   3
#define EBADF   9
#define ENOMEM  12
#define EFAULT  14
#define EINVAL  22
#define ENOTTY  25
#define ENOSYS  38
#define EOPNOTSUPP 95

#endif
