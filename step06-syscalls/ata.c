/* ata.c - the boot disk, read with ATA PIO on the primary bus.
 *
 * The oldest way to talk to an IDE disk, and the one every PC emulator
 * has: the kernel writes the sector's number (LBA28: 28 bits) and a
 * command to eight I/O ports, then polls the status port and copies each
 * sector out of the data port, 256 16-bit words at a time (ATA/ATAPI-6,
 * sections 8.27 "READ SECTORS" and 9.5 "PIO data-in"). No interrupts: the
 * kernel waits for the disk, as it waits for nothing else.
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
#define DRQ 0x08                /* a sector is ready to be read */
#define ERR 0x01

#define READ_SECTORS 0x20
#define NIEN 0x02               /* no interrupts: this driver polls */

/* Wait until the disk is not busy; then its status, or -1 on an error. */
static int wait_ready(void)
{
    uint8_t status;
    while ((status = inb(COMMAND)) & BSY)
        ;
    return status & (ERR | DF) ? -1 : status;
}

/* Copy n 16-bit words from the data port: rep insw, one instruction. */
static void read_words(uint16_t *words, uint32_t n)
{
    __asm__ volatile("rep insw" : "+D"(words), "+c"(n) : "d"(DATA) : "memory");
}

int ata_read(uint32_t lba, uint32_t count, void *buf)
{
    outb(CONTROL, NIEN);
    if (wait_ready() < 0)
        return -1;
    outb(DRIVE, 0xE0 | (lba >> 24 & 0x0F));    /* master, LBA, the top 4 bits */
    outb(COUNT, count);                         /* 256 is written as 0 */
    for (int i = 0; i < 3; i++)
        outb(LBA_LOW + i, lba >> 8 * i);
    outb(COMMAND, READ_SECTORS);
    for (uint16_t *words = buf; count--; words += SECTOR_SIZE / 2) {
        for (int i = 0; i < 4; i++)
            inb(CONTROL);       /* 400 ns for the status to become valid */
        int status = wait_ready();
        if (status < 0 || !(status & DRQ))
            return -1;
        read_words(words, SECTOR_SIZE / 2);
    }
    return 0;
}
