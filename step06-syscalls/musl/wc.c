/* wc.c - count the lines, words and bytes of files, as wc does, with C's
 * stdio: fopen, getc, fclose. Its output has wc's layout for one file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int wc(FILE *f, const char *name)
{
    long lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = getc(f)) != EOF) {
        bytes++;
        lines += c == '\n';
        if (isspace(c))
            in_word = 0;
        else if (!in_word)
            in_word = 1, words++;
    }
    printf(name ? "%ld %ld %ld %s\n" : "%ld %ld %ld\n", lines, words, bytes, name);
    return ferror(f);
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc == 1)
        return wc(stdin, NULL);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f || wc(f, argv[i])) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
        if (f)
            fclose(f);
    }
    return status;
}
