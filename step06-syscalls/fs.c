/* fs.c - the file system: a ustar archive after the kernel on the boot disk.
 *
 * ustar (POSIX.1-1988, "tar"): each file is a 512-byte header, in ASCII,
 * followed by its bytes in whole sectors; two zero sectors end it. Any
 * machine has `tar` to build one, and a header is read with no more than
 * an octal-number parser. It has no index: at boot the kernel walks the
 * headers once and keeps a table of the nodes, where a lookup is a string
 * comparison; data is read from the disk when a program asks for it.
 */
#include "ata.h"
#include "errno.h"
#include "fs.h"
#include "kprintf.h"
#include "string.h"

#define MAX_NODES 256
#define PARTITION_2 0x1CE       /* the boot sector's second partition entry */

struct ustar {                  /* POSIX.1 "ustar Interchange Format" */
    char name[100], mode[8], uid[8], gid[8], size[12], mtime[12], checksum[8];
    char type, link[100], magic[6], version[2], uname[32], gname[32];
    char major[8], minor[8], prefix[155], pad[12];
};

const struct fs_node fs_terminal = { .name = "dev/tty", .type = 'c', .mode = 0620 };
static struct fs_node nodes[MAX_NODES];    /* nodes[0] is / */
static uint32_t node_count;

static uint32_t octal(const char *s, int n)
{
    uint32_t v = 0;
    for (; n-- && *s >= '0' && *s <= '7'; s++)
        v = v * 8 + *s - '0';
    return v;
}

/* Append at most n bytes of s (it may lack its 0) to name. */
static void append(char *name, const char *s, int n)
{
    int len = strlen(name);
    while (n-- && *s && len < FS_PATH - 1)
        name[len++] = *s++;
    name[len] = 0;
}

/* A header into a node: "./etc/motd" or "etc/" becomes "etc/motd" or "etc".
   Links and devices are left out. */
static void add(const struct ustar *h, uint32_t sector)
{
    struct fs_node *node = &nodes[node_count];
    char full[FS_PATH] = "", *name = full;
    append(full, h->prefix, sizeof h->prefix);
    if (full[0])
        append(full, "/", 1);
    append(full, h->name, sizeof h->name);
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    int len = strlen(name);
    while (len && name[len - 1] == '/')
        name[--len] = 0;
    if (!len || (h->type != '0' && h->type != 0 && h->type != '5'))
        return;                 /* the root, or no file nor folder */
    memcpy(node->name, name, len + 1);
    node->type = h->type == '5' ? 'd' : 'f';
    node->mode = octal(h->mode, sizeof h->mode) & 07777;
    node->size = octal(h->size, sizeof h->size);
    node->sector = sector;
    node_count++;
}

void fs_init(void)
{
    static struct ustar h;      /* one sector */
    uint32_t lba, end;
    nodes[0] = (struct fs_node){ .type = 'd', .mode = 0755 };
    node_count = 1;
    if (ata_read(0, 1, &h)) {
        kprintf("disk: cannot read the boot disk: no files\n");
        return;
    }
    memcpy(&lba, (char *)&h + PARTITION_2 + 8, 4);     /* first sector, then how many */
    memcpy(&end, (char *)&h + PARTITION_2 + 12, 4);
    end += lba;
    nodes[0].sector = lba;
    while (lba < end && node_count < MAX_NODES && !ata_read(lba, 1, &h) &&
           !memcmp(h.magic, "ustar", 5)) {
        add(&h, lba + 1);
        lba += 1 + (octal(h.size, sizeof h.size) + SECTOR_SIZE - 1) / SECTOR_SIZE;
    }
    kprintf("disk: %u files and folders in /\n", node_count - 1);
}

static const struct fs_node *find(const char *name)
{
    for (uint32_t i = 0; i < node_count; i++)
        if (!strcmp(nodes[i].name, name))
            return &nodes[i];
    return 0;
}

/* Linux's path walk, shortened: a name followed by '/' must be a folder;
   "." stays, ".." goes up (never above /), and "a//b" is "a/b". */
int fs_lookup(const struct fs_node *dir, const char *path, const struct fs_node **node)
{
    char name[FS_PATH] = "";
    if (!path[0])
        return -ENOENT;
    *node = path[0] == '/' || !dir ? nodes : dir;
    append(name, (*node)->name, FS_PATH);
    int len;
    for (const char *part = path; ; part += len + 1) {
        len = 0;
        while (part[len] && part[len] != '/')
            len++;
        if (len == 2 && !memcmp(part, "..", 2)) {
            char *slash = name + strlen(name);
            while (slash > name && *slash != '/')
                slash--;
            *slash = 0;
        } else if (len && !(len == 1 && part[0] == '.')) {
            if (strlen(name) + len + 2 > FS_PATH)
                return -ENAMETOOLONG;
            if (name[0])
                append(name, "/", 1);
            append(name, part, len);
        }
        if (!part[len])
            break;
        if (!(*node = find(name)))
            return -ENOENT;
        if ((*node)->type != 'd')
            return -ENOTDIR;
    }
    const struct fs_node *found = find(name);
    if (!found)
        return -ENOENT;
    *node = found;
    return 0;
}

int32_t fs_read(const struct fs_node *node, uint32_t offset, void *buf, uint32_t n)
{
    static uint8_t sector[SECTOR_SIZE];
    uint8_t *out = buf;
    if (node->type == 'd')
        return -EISDIR;
    if (offset >= node->size)
        return 0;
    if (n > node->size - offset)
        n = node->size - offset;
    for (uint32_t done = 0, chunk; done < n; done += chunk, offset += chunk) {
        uint32_t lba = node->sector + offset / SECTOR_SIZE, skip = offset % SECTOR_SIZE;
        chunk = n - done;
        if (!skip && chunk >= SECTOR_SIZE) {    /* whole sectors: straight to buf */
            uint32_t count = chunk / SECTOR_SIZE > 256 ? 256 : chunk / SECTOR_SIZE;
            chunk = count * SECTOR_SIZE;
            if (ata_read(lba, count, out + done))
                return -EIO;
        } else {                                /* part of one: through sector */
            chunk = chunk < SECTOR_SIZE - skip ? chunk : SECTOR_SIZE - skip;
            if (ata_read(lba, 1, sector))
                return -EIO;
            memcpy(out + done, sector + skip, chunk);
        }
    }
    return n;
}

const struct fs_node *fs_next(const struct fs_node *dir, uint32_t *index)
{
    int len = strlen(dir->name);
    while (++*index < node_count) {
        const char *name = nodes[*index].name;
        if (len && (memcmp(name, dir->name, len) || name[len] != '/'))
            continue;           /* not in this folder */
        if (fs_basename(&nodes[*index]) == name + len + (len > 0))
            return &nodes[*index];      /* in it, not in a folder below */
    }
    return 0;
}

const char *fs_basename(const struct fs_node *node)
{
    const char *last = node->name;
    for (const char *c = node->name; *c; c++)
        if (*c == '/')
            last = c + 1;
    return last;
}
