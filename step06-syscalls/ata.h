/* ata.h - the disk, read sector by sector through ATA's I/O ports. */
#ifndef ATA_H
#define ATA_H

#include <stdint.h>

#define SECTOR_SIZE 512

/* Read count sectors (1 to 256) from the primary bus's master disk,
   starting at sector lba, into buf. Returns 0, or -1 if the disk failed. */
int ata_read(uint32_t lba, uint32_t count, void *buf);

#endif
