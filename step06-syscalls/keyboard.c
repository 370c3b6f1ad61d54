/* keyboard.c - the PS/2 keyboard on IRQ 1, scancode set 1, US layout.
 *
 * Each key press sends its "make" code to port 0x60, and its release the
 * same code with bit 7 set. Keys added after the original PC keyboard
 * (arrows, right Ctrl...) send 0xE0 first, Pause sends 0xE1 and five bytes.
 * The interrupt handler turns codes into characters and puts them in a ring
 * buffer; the main loop takes them out.
 */
#include <stdbool.h>
#include "keyboard.h"
#include "interrupts.h"
#include "io.h"

#define DATA   0x60
#define STATUS 0x64
#define STATUS_INPUT_FULL 0x02  /* the controller has not taken our last byte yet */
#define RELEASED 0x80

#define LEFT_SHIFT  0x2A
#define RIGHT_SHIFT 0x36
#define CAPS_LOCK   0x3A
#define ESCAPE      0x01
#define CONTROL     0x1D        /* the left one; the right one is E0 1D */
#define SET_LEDS    0xED        /* keyboard command: the next byte sets the LEDs */
#define LED_CAPS    0x04

/* What each make code types, without and with Shift. 0 means nothing
   (Esc, Ctrl, Shift, Alt). Codes from 0x3A on (Caps Lock, F1...) type nothing. */
static const char plain[0x3A] =
    "\0\0" "1234567890-=\b\t" "qwertyuiop[]\n\0" "asdfghjkl;'`\0\\" "zxcvbnm,./\0*\0 ";
static const char shifted[0x3A] =
    "\0\0" "!@#$%^&*()_+\b\t" "QWERTYUIOP{}\n\0" "ASDFGHJKL:\"~\0|" "ZXCVBNM<>?\0*\0 ";

/* The ring buffer: the handler writes at head, the main loop reads at
   tail. Both only grow; their difference is the number of characters
   waiting, and a power-of-two size makes the wrap-around exact. */
#define BUFFER_SIZE 64
static char buffer[BUFFER_SIZE];
static volatile unsigned head, tail, dropped;

static bool shift_left, shift_right, caps_lock, control;
static int skip;                /* bytes still to ignore after 0xE0 or 0xE1 */
static volatile bool escape;    /* Esc was pressed: stop the running program */

static void put(char c)
{
    if (head - tail == BUFFER_SIZE) {
        dropped++;              /* full: lose the key rather than overwrite */
        return;
    }
    buffer[head % BUFFER_SIZE] = c;
    head++;
}

int keyboard_getc(void)
{
    if (tail == head)
        return -1;
    char c = buffer[tail % BUFFER_SIZE];
    tail++;
    return c;
}

unsigned keyboard_dropped(void)
{
    return dropped;
}

static void send(uint8_t byte)
{
    for (int i = 0; i < 100000 && (inb(STATUS) & STATUS_INPUT_FULL); i++)
        ;
    outb(DATA, byte);
}

/* The keyboard answers each byte with 0xFA (acknowledge), which arrives
   here like a scancode: as a release code that types nothing. */
static void set_caps_led(void)
{
    send(SET_LEDS);
    send(caps_lock ? LED_CAPS : 0);
}

static char translate(uint8_t code)
{
    /* EXERCISE step04-shift-caps BEGIN */
    bool shift = shift_left || shift_right;
    char c = shift ? shifted[code] : plain[code];
    if (caps_lock && c >= 'a' && c <= 'z')
        c -= 'a' - 'A';
    else if (caps_lock && c >= 'A' && c <= 'Z')
        c += 'a' - 'A';         /* Shift with Caps Lock gives lower case */
    /* EXERCISE step04-shift-caps STUB
    char c = plain[code];
    (void)shifted;
       EXERCISE step04-shift-caps END */
    return c;
}

static void interrupt(struct regs *r)
{
    (void)r;
    uint8_t code = inb(DATA);
    if (skip > 0) {
        skip--;                 /* the second byte of an extended key: ignore it */
        return;
    }
    if (code == 0xE0 || code == 0xE1) {
        skip = code == 0xE0 ? 1 : 2;    /* Pause is E1 1D 45 E1 9D C5 */
        return;
    }
    bool released = code & RELEASED;
    code &= ~RELEASED;
    if (code == LEFT_SHIFT)
        shift_left = !released;
    else if (code == RIGHT_SHIFT)
        shift_right = !released;
    else if (code == CONTROL)
        control = !released;
    else if (code == ESCAPE && !released)
        escape = true;
    else if (code == CAPS_LOCK && !released) {
        caps_lock = !caps_lock;
        set_caps_led();
    } else if (!released && code < sizeof plain && plain[code]) {
        char c = translate(code);
        if (control && (c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            c &= 0x1F;          /* Ctrl-A is 1, ... Ctrl-D 4, as ASCII has them */
        put(c);
    }
}

bool keyboard_escape(void)
{
    bool pressed = escape;
    escape = false;
    return pressed;
}

void keyboard_init(void)
{
    while (inb(STATUS) & 0x01)  /* drop whatever the BIOS left unread */
        inb(DATA);
    irq_register(1, interrupt);
}
