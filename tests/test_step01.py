"""step01-boot: the screen is red, the message is there, the CPU is in
protected mode, and the kernel sits halted instead of resetting.

The three checks only look, so they share one boot."""

import time

import pytest

from harness import COLOURS, expect, symbolize

pytestmark = pytest.mark.group("step01")

RED, WHITE = 4, 15
MESSAGE = "Hello from kmain"


def check_red(machine):
    screen = machine.screen()
    wrong = [i for i, attr in enumerate(screen.attrs) if attr >> 4 != RED]
    if wrong:
        row, col = divmod(wrong[0], 80)
        expect(False, f"{len(wrong)} of 2000 cells do not have a red background; the first "
               f"is row {row}, column {col}: {COLOURS[screen.bg(row, col)]}", machine)


def check_message(machine):
    screen = machine.screen()
    at = screen.find(MESSAGE)
    expect(at, f"the message {MESSAGE!r} is not on the screen", machine)
    expect(at == (12, 4), f"the message is at row {at[0]}, column {at[1]}, not at row 12, "
           "column 4", machine)
    cells = range(4, 4 + len(MESSAGE))
    wrong = [c for c in cells if (screen.fg(12, c), screen.bg(12, c)) != (WHITE, RED)]
    expect(not wrong, f"the message is not white on red: column {wrong[0] if wrong else 0} "
           f"is {COLOURS[screen.fg(12, wrong[0])] if wrong else ''} on "
           f"{COLOURS[screen.bg(12, wrong[0])] if wrong else ''}", machine)


def check_red_screen(machine):
    check_red(machine)
    check_message(machine)


# Each check looks at one exercise's work only (step01-paint, step01-message,
# step01-halt), so each passes with the other two still stubs.
@pytest.mark.title("every one of the 2,000 cells is red")
def test_red_screen(shared_machine):
    check_red(shared_machine)


@pytest.mark.title("the message shows at row 12, column 4, white on red")
def test_message(shared_machine):
    check_message(shared_machine)


@pytest.mark.title("the CPU runs in 32-bit protected mode (CR0.PE, CS = 0x08)")
def test_protected_mode(shared_machine):
    machine = shared_machine
    regs = machine.registers()
    expect(regs["CR0"] & 1, f"CR0 is {regs['CR0']:#x}: the PE bit is clear", machine)
    expect(regs["CS"] == 0x08, f"CS is {regs['CS']:#x}, not the kernel code segment 0x08",
           machine)


@pytest.mark.title("still alive: halted in kmain, not reset (looked at after 3 s, or once "
                   "nothing can wake the CPU)")
def test_halted_not_reset(shared_machine):
    machine = shared_machine
    # Halted with interrupts off (step01 never turns them on), the CPU stays
    # as it is: only an NMI could wake it, and nothing sends one. What it
    # shows then, it shows at 3 s.
    while time.monotonic() - machine.ready_at < 3 and machine.halted() != (True, False):
        time.sleep(0.05)
    machine.check_running()
    regs = machine.registers()
    expect(regs["HLT"] == 1, "the CPU is not halted: it should sit in hlt", machine)
    where = symbolize(machine.elf, regs["EIP"])
    expect(where.startswith("(in kmain+"), f"the CPU is halted at {regs['EIP']:#x} "
           f"{where or '(outside the kernel)'}, not in kmain's own loop", machine)
