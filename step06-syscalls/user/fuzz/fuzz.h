/* fuzz.h - what the fuzzer's files share. user/fuzz.c runs the calls and
 * prints them; the files in user/fuzz/ make each call's arguments: args.c
 * the kinds of value a hostile program passes, memory.c, files.c and
 * process.c the arguments of each call.
 */
#ifndef FUZZ_H
#define FUZZ_H

#define PAGE 4096u

/* A playground at fixed addresses, mapped the same way on both systems:
 *   DATA    two pages of printable text, read-write
 *   RDONLY  a read-only page (zeros), right after them
 *   HOLE    nothing mapped, right after that
 *   IOV     three read-write pages for iovec arrays and set_thread_area's
 *           struct, which the calls only read (or write back an entry),
 *           then INPUT, what other calls read (a time, a signal action),
 *           and OUTPUT, where they write: nothing prints it, since times
 *           and random bytes differ
 * and an area that the fuzzed mmap2 and munmap calls may change. */
#define DATA     0x30000000u
#define RDONLY   (DATA + 0x2000)
#define HOLE     (DATA + 0x3000)
#define IOV      0x30010000u
#define DESC     (IOV + 0x2000)
#define INPUT    (IOV + 0x2100)
#define OUTPUT   (IOV + 0x2800)
#define OUTPUT_END (IOV + 0x3000)  /* nothing is mapped after it */
#define MAPAREA  0x31000000u    /* 64 pages for mmap2 and munmap to play in */
#define PATHS    (IOV + 0x2040) /* "/" and "/no-such-file", for the file calls */
#define PROTECT  0x30020000u    /* 4 pages for mprotect, mapped all along */


/* What the program keeps that is the same on both systems is in here, so
   that the checksum can cover it (with the code): no call is given a
   pointer into it, and the canary is there only to be checked. Where brk
   ends, which differs, is kept outside. */
struct own {
    unsigned long state;            /* the random generator's */
    unsigned long calls;
    int tls_used[3];                /* set_thread_area's entries 6 to 8 */
    unsigned char canary[4096];
};
extern struct own own;

/* Random numbers (fuzz.c). */
unsigned long random(void);
unsigned long pick(const unsigned long *values, unsigned long n);

/* One of n values, at random. */
#define PICK(...) pick((const unsigned long[]){ __VA_ARGS__ }, \
                       sizeof((const unsigned long[]){ __VA_ARGS__ }) / sizeof(unsigned long))

/* The heap's end, as brk last answered (fuzz.c keeps it), and whether the
   brk call being made asks for an end relative to it (memory.c). */
extern unsigned long brk_now;
extern int brk_relative;

/* Kinds of argument (args.c). */
unsigned long bad_address(void);
unsigned long source(unsigned long n);
unsigned long destination(unsigned long n);
unsigned long no_empty_at_top(unsigned long p, unsigned long n);
int good_range(unsigned long p, unsigned long n);
unsigned long length(void);
unsigned long bad_fd(void);
unsigned long output(unsigned long n);
unsigned long *input(void);

/* Each call's arguments: a maker fills a[0] to a[5] and says how its
   answer is shown. EXACT: the answer is printed. ERROR_OR_NOT: an error
   is printed, but a success only as "ok". */
enum answer { EXACT, ERROR_OR_NOT };
typedef enum answer maker(unsigned long *a);

maker make_read, make_write, make_nothing, make_brk, make_ioctl,       /* memory.c */
      make_readv, make_writev, make_munmap, make_mmap2, make_set_thread_area,
      make_set_tid_address, make_getrandom, make_mprotect;
maker make_open, make_openat, make_close, make_lseek, make_llseek,     /* files.c */
      make_fstat64, make_stat64, make_getdents64, make_readlink, make_fcntl64;
maker make_uname, make_ugetrlimit, make_nanosleep,                     /* process.c */
      make_clock_nanosleep32, make_clock_nanosleep64, make_clock_gettime32,
      make_clock_gettime64, make_gettimeofday, make_rt_sigaction,
      make_rt_sigprocmask, make_prctl, make_nosys;

#endif
