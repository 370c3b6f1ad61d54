/* ata.c - the boot disk, read with ATA PIO on the primary bus.
 *
 * The oldest way to talk to an IDE disk, and the one every PC emulator
 * has: the kernel writes the sector's number (LBA28: 28 bits) and a
 * command to eight I/O ports, then polls the status port and copies the
 * data out of the data port (ATA/ATAPI-6, 8.23 "READ MULTIPLE" and 9.5
 * "PIO data-in"). No interrupts: the kernel waits for the disk, as it
 * waits for nothing else. READ MULTIPLE hands over BLOCK sectors per wait,
 * not one: an emulator fetches them together, several times faster.
 */
#include "ata.h"
#include "io.h"

#define DATA     0x1F0
#define COUNT    0x1F2
#define LBA_LOW  0x1F3          /* then LBA_MID 0x1F4 and LBA_HIGH 0x1F5 */
#define DRIVE    0x1F6
#define COMMAND  0x1F7          /* written: a command; read: the status */
#define CONTROL  0x3F6          /* written: nIEN; read: the status again */

#define BSY 0x80                /* the disk is busy: the other bits mean nothing */
#define DF  0x20                /* device fault */
#define DRQ 0x08                /* data is ready to be read */
#define ERR 0x01

#define READ_MULTIPLE 0xC4
#define SET_MULTIPLE  0xC6
#define BLOCK 16                /* sectors per DRQ block: QEMU's and Bochs' most */
#define NIEN 0x02               /* no interrupts: this driver polls */
#define LBA_MASTER 0xE0         /* DRIVE: LBA addressing, the master disk */

/* Wait until the disk is not busy; then its status, or -1 on an error. */
static int wait_ready(void)
{
    uint8_t status;
    for (int i = 0; i < 4; i++)
        inb(CONTROL);           /* 400 ns for the status to become valid */
    while ((status = inb(COMMAND)) & BSY)
        ;
    return status & (ERR | DF) ? -1 : status;
}

/* Copy n 32-bit words from the data port: rep insl, one instruction. */
static void read_words(void *buf, uint32_t n)
{
    __asm__ volatile("rep insl" : "+D"(buf), "+c"(n) : "d"(DATA) : "memory");
}

int ata_read(uint32_t lba, uint32_t count, void *buf)
{
    static int multiple;        /* SET MULTIPLE done */
    outb(CONTROL, NIEN);
    if (wait_ready() < 0)
        return -1;
    if (!multiple) {
        outb(DRIVE, LBA_MASTER);
        outb(COUNT, BLOCK);
        outb(COMMAND, SET_MULTIPLE);
        if (wait_ready() < 0)
            return -1;
        multiple = 1;
    }
    outb(DRIVE, LBA_MASTER | (lba >> 24 & 0x0F));  /* and the top 4 bits */
    outb(COUNT, count);                         /* 256 is written as 0 */
    for (int i = 0; i < 3; i++)
        outb(LBA_LOW + i, lba >> 8 * i);
    outb(COMMAND, READ_MULTIPLE);
    for (uint8_t *p = buf; count; ) {
        uint32_t n = count < BLOCK ? count : BLOCK;
        int status = wait_ready();
        if (status < 0 || !(status & DRQ))
            return -1;
        read_words(p, n * SECTOR_SIZE / 4);
        p += n * SECTOR_SIZE;
        count -= n;
    }
    return 0;
}
