"""step03-print: kprintf on the screen and COM1, the conversions it supports,
and panic."""

import os
import re

import pytest

from harness import (Bochs, Failure, Qemu, copy_step, expect, expect_same_lines, make,
                     make_command,
                     model_screen, step_dir)

pytestmark = pytest.mark.group("step03")

REPORT = re.compile(r"^step03: (cursor row (\d+) column (\d+)|ready)\r?\n", re.M)
EXPECTED = {
    "%d of INT_MIN": "-2147483648",
    "%u of UINT_MAX": "4294967295",
    "%x and %X": "c0ffee C0FFEE",
    "%08x": "0000beef",
    "%-8s and %8s": "|left    |   right|",
    "%ld and %lu": "-2147483648 4294967295",
    "%c": "OS!",
    "%%": "100%",
    "%s of NULL": "(null)",
    "unknown %q": "%q is printed as it is",
    "ksnprintf(buf, 8)": '"hello, ", returned 12',
}
CURSOR = re.compile(r"^step03: cursor row .*\n", re.M)
SMALL = "ksnprintf(buf, 8)"
PANIC_KMAIN = """#include "kprintf.h"
#include "serial.h"
#include "vga.h"

void kmain(void)
{
    serial_init();
    vga_set_colour(VGA_WHITE, VGA_BLUE);
    vga_clear();
    kprintf("about to panic\\n");
    panic("the disk is on fire (error %d)", 42);
}
"""


def serial_text(machine):
    """COM1 as the screen would show it: CR LF as sent, report lines removed."""
    return REPORT.sub("", machine.serial())


@pytest.mark.title("COM1 carries exactly the text on the screen")
def test_serial_equals_screen(shared_machine):
    machine = shared_machine
    expected, _ = model_screen(serial_text(machine))
    expect_same_lines(expected, machine.screen().lines(),
                      "the screen differs from what COM1 carried", machine)


@pytest.mark.title("every conversion prints as C's printf would")
def test_conversions(shared_machine):
    machine = shared_machine
    screen = machine.screen()
    for label, value in EXPECTED.items():
        if label == SMALL:
            continue            # step03-snprintf's, below
        at = screen.find(label)
        expect(at, f"the line for {label!r} is missing", machine)
        line = screen.line(at[0])
        expect(line[18:] == value, f"{label}: expected {value!r} at column 18, got "
               f"{line[18:]!r}", machine)
    kmain = int(re.search(r"%p of kmain\s+0x([0-9a-f]+)", screen.text()).group(1), 16)
    elf = os.path.join(step_dir("step03"), "build", "kernel.elf")
    import subprocess
    nm = subprocess.run(["nm", elf], stdout=subprocess.PIPE, text=True).stdout
    actual = int(re.search(r"^([0-9a-f]+) T kmain$", nm, re.M).group(1), 16)
    expect(kmain == actual, f"%p printed {kmain:#x}, but kmain is at {actual:#x}", machine)


@pytest.mark.title("ksnprintf(buf, 8) keeps 7 characters and the NUL, and returns the full length")
def test_small_buffer(shared_machine):
    machine = shared_machine
    screen = machine.screen()
    at = screen.find(SMALL)
    expect(at, f"the line for {SMALL!r} is missing", machine)
    line = screen.line(at[0])
    expect(line[18:] == EXPECTED[SMALL], f"{SMALL}: expected {EXPECTED[SMALL]!r} at column 18, "
           f"got {line[18:]!r}", machine)


@pytest.mark.title("the hardware cursor sits where the text ends")
def test_cursor(shared_machine):
    machine = shared_machine
    match = REPORT.search(machine.serial())
    expect(match and match.group(2), "no cursor report on serial", machine)
    _, (row, col) = model_screen(serial_text(machine))
    reported = int(match.group(2)), int(match.group(3))
    expect(reported == (row, col), f"the CRT controller's cursor is at {reported}, "
           f"the text ends at {(row, col)}", machine)


@pytest.fixture(scope="module")
def panicking(built):
    """step03 with a kmain that panics on purpose, built once for the module."""
    built("step03")
    folder = copy_step("step03", {"kmain.c": PANIC_KMAIN}, build=True)
    make(folder, "all")
    return folder


@pytest.mark.title("panic: a red KERNEL PANIC on screen and serial, then the CPU stops for good")
def test_panic(panicking):
    folder = panicking
    with Qemu(os.path.join(folder, "build", "os.img")) as machine:
        machine.wait_for("The kernel has stopped.", panic_ok=True)
        expect("KERNEL PANIC: the disk is on fire (error 42)" in machine.serial(),
               "the panic message is not on serial", machine)
        screen = machine.screen()
        at = screen.find("KERNEL PANIC: the disk is on fire (error 42)")
        expect(at, "the panic message is not on the screen", machine)
        expect(screen.bg(*at) == 4, "the panic message is not red", machine)
        regs = machine.registers()
        expect(regs["HLT"] == 1 and not regs["EFL"] & 0x200,
               "after a panic the CPU should be halted with interrupts off", machine)


@pytest.mark.title("the harness names a panic as a kernel panic")
def test_panic_is_named(panicking):
    folder = panicking
    with Qemu(os.path.join(folder, "build", "os.img")) as machine:
        try:
            machine.wait_for("step03: ready", timeout=5)
        except Failure as failure:
            expect(failure.kind == "kernel panic", f"named {failure.kind!r}:\n{failure}")
            return
    raise Failure("wrong output", "the panicking kernel was not caught")


@pytest.mark.title("Bochs (a strict UART) gets the same serial output as QEMU")
def test_bochs_serial(shared_machine):
    image = os.path.join(step_dir("step03"), "build", "os.img")
    # The cursor report is the CRT controller's, which each BIOS leaves
    # elsewhere until step02-cursor moves it: test_cursor checks it.
    expected = CURSOR.sub("", shared_machine.serial())
    with Bochs(image, reproduce=make_command(step_dir("step03"), "bochs")) as machine:
        machine.wait_for("step03: ready", timeout=60, source="serial")
        got = CURSOR.sub("", machine.serial())
        at = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b),
                  min(len(expected), len(got)))
        expect(got == expected, f"Bochs' COM1 output differs from QEMU's from byte {at} on:\n"
               f"QEMU:  {expected[max(0, at - 60):at + 240]!r}\n"
               f"Bochs: {got[max(0, at - 60):at + 240]!r}", machine)
