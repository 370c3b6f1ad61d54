/* format_test.c - step03's formatting core, tested on the host.

   First fixed cases, each with the output C's printf gives. Then random
   formats, each printed by both ksnprintf and the host's snprintf: the two
   must agree on every byte of the buffer and on the returned length.

   usage: format_test [-u | -r | -c] [N [SEED]]
     -u  only the fixed cases      -r  only the random formats
     -c  only the conversions, fixed and random, each in a roomy buffer:
         none of the cases about small buffers (step03-snprintf's)
     N   how many random formats (100000)
     SEED  where the random numbers start, to replay a failure (default: the time) */

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../step03-print/format.h"

static int passed, failed;

static void pass_or_fail(int ok)
{
    if (ok)
        passed++;
    else
        failed++;
}

/* Format into a roomy buffer; the text and the returned length must be want. */
static void check(const char *want, const char *fmt, ...)
{
    char got[8192];
    va_list args;
    int n, ok;

    va_start(args, fmt);
    n = kvsnprintf(got, sizeof got, fmt, args);
    va_end(args);
    ok = strcmp(got, want) == 0 && n == (int)strlen(want);
    pass_or_fail(ok);
    if (!ok)
        printf("FAIL: format \"%s\" gave \"%s\" (returned %d), expected \"%s\" (%d)\n",
               fmt, got, n, want, (int)strlen(want));
}

/* A boolean check with a message for when it fails. */
static void expect(int ok, const char *what)
{
    pass_or_fail(ok);
    if (!ok)
        printf("FAIL: %s\n", what);
}

#if ULONG_MAX > 0xffffffffUL
#define LONG_MIN_TEXT "-9223372036854775808"
#define LONG_MAX_TEXT "9223372036854775807"
#define ULONG_MAX_TEXT "18446744073709551615"
#define ULONG_MAX_HEX "ffffffffffffffff"
#else
#define LONG_MIN_TEXT "-2147483648"
#define LONG_MAX_TEXT "2147483647"
#define ULONG_MAX_TEXT "4294967295"
#define ULONG_MAX_HEX "ffffffff"
#endif

static void conversions(void)
{
    check("", "");
    check("plain text, no conversions", "plain text, no conversions");
    check("A", "%c", 'A');
    check("[    A]", "[%5c]", 'A');
    check("[A    ]", "[%-5c]", 'A');
    check("hi", "%s", "hi");
    check("", "%s", "");
    check("[   hi]", "[%5s]", "hi");
    check("[hi   ]", "[%-5s]", "hi");
    check("[toolong]", "[%3s]", "toolong");
    check("(null)", "%s", (char *)NULL);
    check("[  (null)]", "[%8s]", (char *)NULL);
    check("[(null)  ]", "[%-8s]", (char *)NULL);
    check("0 42 -42 -7", "%d %d %d %i", 0, 42, -42, -7);
    check("2147483647 -2147483648", "%d %i", INT_MAX, INT_MIN);
    check("0 4294967295", "%u %u", 0u, UINT_MAX);
    check("0 ff FF deadbeef ffffffff", "%x %x %X %x %x", 0u, 255u, 255u, 0xdeadbeefu, UINT_MAX);
    check("(nil)", "%p", (void *)NULL);
    check("0x1234", "%p", (void *)0x1234);
    check("0x" ULONG_MAX_HEX, "%p", (void *)UINTPTR_MAX);
    check("[    0x1234]", "[%10p]", (void *)0x1234);
    check("[0x1234    ]", "[%-10p]", (void *)0x1234);
    check("[     (nil)]", "[%10p]", (void *)NULL);
    check("%", "%%");
    check("100% sure", "100%% sure");
    check("7%", "%d%%", 7);
    check("a 1 b c 2", "%c %d %s %c %x", 'a', 1, "b", 'c', 2u);
}

static void flags_and_widths(void)
{
    check("[   42]", "[%5d]", 42);
    check("[42   ]", "[%-5d]", 42);
    check("[00042]", "[%05d]", 42);
    check("[-0042]", "[%05d]", -42);
    check("[  -42]", "[%5d]", -42);
    check("[-42  ]", "[%-05d]", -42);
    check("[-42  ]", "[%0-5d]", -42);
    check("[00000]", "[%05u]", 0u);
    check("[0000beef]", "[%08x]", 0xbeefu);
    check("[0000BEEF]", "[%08X]", 0xbeefu);
    check("12345", "%2d", 12345);
    check("-2147483648", "%5d", INT_MIN);
    check("[-000000000002147483648]", "[%022d]", INT_MIN);
    check("[0]", "[%0d]", 0);
    check("[                   1]", "[%20d]", 1);
}

static void long_modifier(void)
{
    check(LONG_MIN_TEXT " " LONG_MAX_TEXT, "%ld %li", LONG_MIN, LONG_MAX);
    check("-1 0", "%ld %li", -1L, 0L);
    check(ULONG_MAX_TEXT " " ULONG_MAX_HEX, "%lu %lx", ULONG_MAX, ULONG_MAX);
    check("ABCDEF", "%lX", 0xabcdefUL);
    check("[-00000000000000000000000000042]", "[%030ld]", -42L);
    check("[42        ]", "[%-10lu]", 42UL);
}

static void unknown_conversions(void)
{
    check("%q", "%q");
    check("%5q", "%5q");
    check("%lq", "%lq");
    check("%-08lq", "%-08lq");
    check("a%qb7", "a%qb%d", 7);   /* %q takes no argument: 7 goes to %d */
    check("%ls %lc %lp", "%ls %lc %lp");
    check("%lld", "%lld");
    check("50%", "50%");
    check("%", "%");
    check("%5", "%5");
    check("%-", "%-");
    check("x%l", "x%l");
}

static int count_calls;

static void count_out(char c, void *context)
{
    (void)c;
    (void)context;
    count_calls++;
}

static int kformat_with(const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = kformat(count_out, NULL, fmt, args);
    va_end(args);
    return n;
}

static void other_edges(void)
{
    char buf[8];
    int n;

    memset(buf, 'X', sizeof buf);
    n = ksnprintf(buf, sizeof buf, "a%cb", 0);   /* a NUL is a character too */
    expect(n == 3 && memcmp(buf, "a\0b\0", 4) == 0, "\"a%cb\" with 0 gives a, NUL, b and 3");

    n = kformat_with("[%5d|%s]", 42, "abc");
    expect(n == 11 && count_calls == 11, "kformat returns how many characters it handed out");

    /* A silly width must not overflow: it is capped (see format.c). */
    n = ksnprintf(NULL, 0, "%99999999999999999999d", 1);
    expect(n > 0 && n <= 100000, "a width of 99999999999999999999 is capped, not overflowed");
}

/* ksnprintf into exactly size bytes, with a guard byte after them. */
static void check_size(size_t size)
{
    const char *full = "hello 42, world";
    size_t len = strlen(full);
    size_t kept = size == 0 ? 0 : (size - 1 < len ? size - 1 : len);
    unsigned char *buf = malloc(size + 1);
    char what[100];
    int n;

    memset(buf, 0xA5, size + 1);
    n = ksnprintf((char *)buf, size, "hello %d, %s", 42, "world");
    snprintf(what, sizeof what, "buffer of %zu bytes: returns %zu", size, len);
    expect(n == (int)len, what);
    snprintf(what, sizeof what, "buffer of %zu bytes: holds the first %zu characters", size, kept);
    expect(size == 0 || (memcmp(buf, full, kept) == 0 && buf[kept] == '\0'), what);
    snprintf(what, sizeof what, "buffer of %zu bytes: nothing written after it", size);
    expect(buf[size] == 0xA5 && (size != 0 || buf[0] == 0xA5), what);
    free(buf);
}

static void truncation(void)
{
    size_t len = strlen("hello 42, world");
    size_t sizes[] = { 0, 1, 2, len - 1, len, len + 1, len + 2, 100 };

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_size(sizes[i]);
    expect(ksnprintf(NULL, 0, "hello %d, %s", 42, "world") == (int)len,
           "ksnprintf(NULL, 0, ...) returns the full length");
}

/* The random formats. Arguments are passed in one of two fixed orders of
   types, and a format's conversions take them in that order: printf cannot
   be called with a list of types chosen at run time. */

enum type { INT, UINT, LONG, ULONG, STR, PTR };

static const char *type_names[] = { "int", "unsigned", "long", "unsigned long", "string",
                                    "pointer" };

#define SLOTS 10

static const enum type orders[2][SLOTS] = {
    { INT, ULONG, STR, LONG, PTR, UINT, STR, INT, LONG, ULONG },
    { PTR, LONG, UINT, STR, ULONG, INT, ULONG, PTR, STR, UINT },
};

struct arg {
    int i;
    unsigned u;
    long l;
    unsigned long ul;
    const char *s;
    void *p;
    char text[24];   /* what s points to, unless it is NULL */
};

typedef int (*printer)(char *buf, size_t size, const char *fmt, ...);

static int print_with(printer f, char *buf, size_t size, const char *fmt, int order,
                      const struct arg *a)
{
    if (order == 0)
        return f(buf, size, fmt, a[0].i, a[1].ul, a[2].s, a[3].l, a[4].p, a[5].u, a[6].s,
                 a[7].i, a[8].l, a[9].ul);
    return f(buf, size, fmt, a[0].p, a[1].l, a[2].u, a[3].s, a[4].ul, a[5].i, a[6].ul,
             a[7].p, a[8].s, a[9].u);
}

static uint64_t random_state;
static int roomy;       /* -c: every random format gets a roomy buffer */

/* A 64-bit linear congruential generator; its high bits are good enough. */
static uint32_t random32(void)
{
    random_state = random_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(random_state >> 32);
}

static unsigned long random_long(void)
{
    uint64_t high = random32();
    return (unsigned long)(high << 32 | random32());
}

static unsigned below(unsigned n)
{
    return random32() % n;
}

static const char *TEXT_CHARS = " !\"#$&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~";

static void random_text(char *p, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = TEXT_CHARS[below((unsigned)strlen(TEXT_CHARS))];
    p[n] = '\0';
}

static int null_strings;   /* does the host print (null) for a NULL %s, as we do? */

/* Values where mistakes hide, picked half of the time. */
static const int int_edges[] = { INT_MIN, INT_MAX, 0, -1, 1 };
static const unsigned uint_edges[] = { 0, UINT_MAX, 1, 0x80000000u, 255 };
static const long long_edges[] = { LONG_MIN, LONG_MAX, 0, -1, 1 };
static const unsigned long ulong_edges[] = { 0, ULONG_MAX, 1, LONG_MAX, 16 };

/* Fill every field: the slot's type decides which one is passed. */
static void random_arg(struct arg *a)
{
    unsigned long r = random_long();
    int edge = below(2) == 0;
    unsigned pick = below(5);

    if (below(4) == 0)
        r %= 1000;   /* small numbers too, shorter than the width */
    a->i = edge ? int_edges[pick] : (int)r;
    a->u = edge ? uint_edges[pick] : (unsigned)r;
    a->l = edge ? long_edges[pick] : (long)r;
    a->ul = edge ? ulong_edges[pick] : r;
    a->p = edge && pick == 0 ? NULL : (void *)(uintptr_t)(edge && pick == 1 ? ULONG_MAX : r);
    random_text(a->text, (int)below(sizeof a->text));
    a->s = null_strings && below(10) == 0 ? NULL : a->text;
}

/* Append one conversion for an argument of this type to fmt. */
static void random_conversion(char *fmt, enum type type)
{
    static const char *letters[] = { "dic", "uxX", "di", "uxX", "s", "p" };
    const char *choices = letters[type];
    char conv = choices[below((unsigned)strlen(choices))];
    int numeric = conv != 'c' && conv != 's' && conv != 'p';   /* '0' is undefined for these */
    char *p = fmt + strlen(fmt);

    *p++ = '%';
    for (unsigned n = below(3); n > 0; n--)
        *p++ = numeric && below(2) ? '0' : '-';
    if (below(2))
        p += sprintf(p, "%u", numeric ? below(21) : 1 + below(20));
    if (type == LONG || type == ULONG)
        *p++ = 'l';
    *p++ = conv;
    *p = '\0';
}

/* Build a random format for the given order; returns how many arguments it takes. */
static int random_format(char *fmt, int order)
{
    int used = 0;

    fmt[0] = '\0';
    for (unsigned pieces = 1 + below(8); pieces > 0; pieces--) {
        unsigned kind = below(10);
        if (kind < 5 && used < SLOTS)
            random_conversion(fmt, orders[order][used++]);
        else if (kind == 5)
            strcat(fmt, "%%");
        else
            random_text(fmt + strlen(fmt), 1 + (int)below(6));
    }
    return used;
}

/* Print n bytes in quotes, so that NULs and other control characters show. */
static void print_quoted(const char *p, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 32 && c < 127 && c != '"' && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    putchar('"');
}

/* What one printer returned and what it put in a buffer of size bytes. */
static void show(const char *label, int ret, const char *buf, size_t size)
{
    size_t n = size == 0 ? 0 : ((size_t)ret < size - 1 ? (size_t)ret : size - 1);

    printf("  %s returned %d, wrote ", label, ret);
    print_quoted(buf, n);
    putchar('\n');
}

static void show_args(int order, const struct arg *a, int used)
{
    for (int i = 0; i < used; i++) {
        enum type type = orders[order][i];

        printf("  argument %d (%s): ", i + 1, type_names[type]);
        if (type == INT)
            printf("%d", a[i].i);
        else if (type == UINT)
            printf("%u", a[i].u);
        else if (type == LONG)
            printf("%ld", a[i].l);
        else if (type == ULONG)
            printf("%lu", a[i].ul);
        else if (type == PTR)
            printf("%#lx", (unsigned long)(uintptr_t)a[i].p);
        else if (a[i].s)
            print_quoted(a[i].s, strlen(a[i].s));
        else
            printf("NULL");
        putchar('\n');
    }
}

/* One random format: 1 if ksnprintf and snprintf agree. */
static int random_case(long index, long count, unsigned long long seed)
{
    char fmt[256], mine[1024], host[1024];
    struct arg args[SLOTS];
    int order = (int)below(2);
    int used = random_format(fmt, order);
    size_t size = below(2) || roomy ? sizeof mine : below(64);
    int to_null = size == 0 && below(2);
    int n_mine, n_host;

    for (int i = 0; i < SLOTS; i++)
        random_arg(&args[i]);
    memset(mine, 0xA5, sizeof mine);
    memset(host, 0xA5, sizeof host);
    n_mine = print_with(ksnprintf, to_null ? NULL : mine, size, fmt, order, args);
    n_host = print_with(snprintf, to_null ? NULL : host, size, fmt, order, args);
    if (n_mine == n_host && memcmp(mine, host, sizeof mine) == 0)
        return 1;
    printf("MISMATCH in random format %ld of %ld, seed %llu\n", index + 1, count, seed);
    printf("  format: ");
    print_quoted(fmt, strlen(fmt));
    printf(", buffer of %zu bytes%s\n", size, to_null ? " (NULL)" : "");
    show_args(order, args, used);
    show("ksnprintf", n_mine, mine, size);
    show("snprintf ", n_host, host, size);
    printf("  replay: format_test -r %ld %llu\n", count, seed);
    return 0;
}

static void random_formats(long count, unsigned long long seed)
{
    char buf[16];
    const char *volatile none = NULL;   /* volatile: gcc would warn about a plain NULL */
    long i, differed = 0;

    snprintf(buf, sizeof buf, "[%7s]", none);
    null_strings = strcmp(buf, "[ (null)]") == 0;
    printf("random formats: seed %llu; NULL for %%s %s\n", seed,
           null_strings ? "included (the host prints (null) too)" : "left out (the host differs)");
    random_state = seed;
    for (i = 0; i < count && differed < 10; i++) {
        int ok = random_case(i, count, seed);
        pass_or_fail(ok);
        differed += !ok;
    }
    printf("random formats: %ld compared with the host's snprintf, %ld differed%s\n", i,
           differed, i < count ? " (stopped after 10)" : "");
}

int main(int argc, char **argv)
{
    int units = 1, randoms = 1;
    long count = 100000;
    unsigned long long seed = (unsigned long long)time(NULL) ^ (unsigned long long)clock();
    int i = 1;

    if (i < argc && strcmp(argv[i], "-u") == 0) {
        randoms = 0;
        i++;
    } else if (i < argc && strcmp(argv[i], "-r") == 0) {
        units = 0;
        i++;
    } else if (i < argc && strcmp(argv[i], "-c") == 0) {
        roomy = 1;
        i++;
    }
    if (i < argc)
        count = strtol(argv[i++], NULL, 10);
    if (i < argc)
        seed = strtoull(argv[i++], NULL, 10);
    if (units) {
        conversions();
        flags_and_widths();
        long_modifier();
        unknown_conversions();
        if (!roomy) {
            other_edges();
            truncation();
        }
    }
    if (randoms)
        random_formats(count, seed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
