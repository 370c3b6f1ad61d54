/* fs.h - the read-only file system on the boot disk: a ustar archive. */
#ifndef FS_H
#define FS_H

#include <stdint.h>

#define FS_PATH 256             /* a path's bytes, its final 0 included */

/* A file or a folder, as the archive's header describes it. */
struct fs_node {
    char name[FS_PATH];         /* the path without its first '/': "etc/motd"; / is "" */
    char type;                  /* 'f' a file, 'd' a folder, 'c' the terminal */
    uint32_t mode;              /* the permission bits, as 0644 */
    uint32_t size;              /* in bytes */
    uint32_t sector;            /* where the data starts; also the node's number */
};

extern const struct fs_node fs_terminal;    /* fd 0, 1 and 2: no file on the disk */

/* Find the archive (the boot sector's second partition) and read its headers. */
void fs_init(void);

/* Find path, relative to dir unless it starts with '/' (dir 0: the root).
   Returns 0, or -ENOENT, -ENOTDIR, -ENAMETOOLONG. When only the last name
   is missing, *node is its folder (so open can tell -EROFS from -ENOENT). */
int fs_lookup(const struct fs_node *dir, const char *path, const struct fs_node **node);

/* Copy up to n bytes from offset on; returns how many, or -EISDIR or -EIO. */
int32_t fs_read(const struct fs_node *node, uint32_t offset, void *buf, uint32_t n);

/* The folder's entries one by one: the next after *index (0 to start), or 0. */
const struct fs_node *fs_next(const struct fs_node *dir, uint32_t *index);

/* The last part of a node's name: "motd" for etc/motd. */
const char *fs_basename(const struct fs_node *node);

#endif
