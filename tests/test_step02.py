"""step02-vga: the VGA driver's colours, scrolling, tabs, backspace and
hardware cursor, checked by reading the text buffer.

kmain prints its demonstration once and waits: the checks only look at the
screen and port 0xE9, so they share one boot."""

import re

import pytest

from harness import COLOURS, expect, expect_same_lines, model_screen

pytestmark = pytest.mark.group("step02")

BLUE, YELLOW = 1, 14
REPORT = re.compile(r"(.*)\nstep02: cursor row (\d+) column (\d+)\nstep02: ready\n", re.S)


def printed(machine):
    """What kmain printed (mirrored to port 0xE9), and the cursor it reported."""
    match = REPORT.search(machine.debugcon())
    expect(match, "port 0xE9 does not end with the cursor report and the ready line", machine)
    return match.group(1), (int(match.group(2)), int(match.group(3)))


@pytest.mark.title("the screen shows what was printed (\\n \\r, wrapping, scrolling)")
def test_screen_matches_model(shared_machine):
    machine = shared_machine
    text, _ = printed(machine)
    expected, _ = model_screen(text)
    # The rows that tabs and backspaces shape are step02-tab-backspace's to
    # check (test_tabs_and_backspace): here they show what the others show.
    plain, _ = model_screen(text.replace("\t", "\x01").replace("\b", "\x01"))
    actual = machine.screen().lines()
    actual = [a if e == p else e for a, e, p in zip(actual, expected, plain)]
    expect_same_lines(expected, actual, "the screen differs from what was printed", machine)


@pytest.mark.title("after more than 25 lines the first ones scrolled away, the last is at the bottom")
def test_scrolling(shared_machine):
    machine = shared_machine
    screen = machine.screen()
    for n in (1, 2, 3):
        expect(not screen.find(f"line {n:02} of 20"), f"line {n:02} should have scrolled away",
               machine)
    expect(screen.find("line 04 of 20") == (0, 11), "line 04 should now be the top row",
           machine)
    expect(screen.line(24).startswith("step02: a VGA text driver"),
           "the last line printed is not on the bottom row", machine)


@pytest.mark.title("colours: 16 swatches, a blue screen, a yellow last line, blank rows in the current colours")
def test_colours(shared_machine):
    machine = shared_machine
    screen = machine.screen()
    top, _ = screen.find(" black ")
    for c in range(16):
        row, col = top + c // 8, (c % 8) * 10
        cells = {screen.bg(row, col + i) for i in range(10)}
        expect(cells == {c}, f"swatch {c} ({COLOURS[c]}) at row {row}, column {col} has "
               f"backgrounds {sorted(COLOURS[b] for b in cells)}", machine)
    for row in range(25):
        if row in (top, top + 1):
            continue
        wrong = [col for col in range(80) if screen.bg(row, col) != BLUE]
        expect(not wrong, f"row {row} is not all blue: column {wrong[0] if wrong else 0} "
               f"is {COLOURS[screen.bg(row, wrong[0])] if wrong else ''}", machine)
    expect(screen.fg(24, 0) == YELLOW, "the last line is not yellow", machine)


@pytest.mark.title("tabs stop at multiples of 8; backspace overwrites and stops at column 0")
def test_tabs_and_backspace(shared_machine):
    machine = shared_machine
    screen = machine.screen()
    row, _ = screen.find("Tabs:")
    # The second of two tabs starts at a stop (56): it moves on to the next.
    for text, col in (("to column 8", 8), ("column 24", 24), ("column 40", 40),
                      ("column 64", 64)):
        expect(screen.line(row).find(text) == col, f"{text!r} is not at column {col}: "
               f"{screen.line(row)!r}", machine)
    expect(screen.find("Backspace: 12xy"), "'1234' then two backspaces and 'xy' "
           "should read '12xy'", machine)
    expect(screen.find("Backspace at column 0 stays")[1] == 0,
           "backspace at column 0 moved the text", machine)


@pytest.mark.title("the hardware cursor (CRT controller) sits right after the last character")
def test_cursor(shared_machine):
    machine = shared_machine
    text, (row, col) = printed(machine)
    # Right after the last line printed, wherever it is on the screen: where
    # scrolling puts it is step02-scroll's to check, not the cursor's.
    last = text.split("\n")[-1]
    at = machine.screen().find(last)
    expect(at, f"the last line printed, {last!r}, is not on the screen", machine)
    end = (at[0], at[1] + len(last))
    expect((row, col) == end, f"the CRT controller's cursor is at row {row}, column {col}; "
           f"the text ends at row {end[0]}, column {end[1]}", machine)
