/* serial.c - COM1, a 16550 UART, for output a host can capture.
 *
 * QEMU and Bochs connect COM1 to a file or a terminal. The UART must be set
 * up before use: Bochs, like real hardware, sends garbled 5-bit characters
 * to an uninitialised port and drops bytes written while the last one is
 * still being sent. (Register layout: the 16550D data sheet, "Registers".)
 */
#include "serial.h"
#include "io.h"

#define COM1 0x3F8
#define DATA        (COM1 + 0)  /* transmit/receive; divisor low byte when DLAB=1 */
#define INT_ENABLE  (COM1 + 1)  /* interrupt enable; divisor high byte when DLAB=1 */
#define FIFO_CTRL   (COM1 + 2)
#define LINE_CTRL   (COM1 + 3)
#define MODEM_CTRL  (COM1 + 4)
#define LINE_STATUS (COM1 + 5)

#define LINE_8N1    0x03        /* 8 data bits, no parity, 1 stop bit */
#define LINE_DLAB   0x80        /* divisor latch access: DATA/INT_ENABLE hold the divisor */
#define TX_EMPTY    0x20        /* line status: the transmit holding register is empty */

void serial_init(void)
{
    outb(INT_ENABLE, 0x00);     /* we poll; no interrupts */
    outb(LINE_CTRL, LINE_DLAB);
    outb(DATA, 1);              /* divisor 1: 115200 baud (the UART's clock / 16) */
    outb(INT_ENABLE, 0);
    outb(LINE_CTRL, LINE_8N1);  /* also clears DLAB */
    outb(FIFO_CTRL, 0xC7);      /* enable and clear the FIFOs, 14-byte threshold */
    outb(MODEM_CTRL, 0x03);     /* DTR and RTS: tell the other end we are here */
}

void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');      /* terminals want CR LF */
    while (!(inb(LINE_STATUS) & TX_EMPTY))
        ;
    outb(DATA, c);
}

void serial_puts(const char *s)
{
    while (*s)
        serial_putc(*s++);
}
