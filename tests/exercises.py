"""The workshop exercises: one entry per marked region in the reference code.

In the source, an exercise's solution sits between two markers, and the stub
a student starts from sits in a comment after it:

    /* EXERCISE step02-scroll BEGIN */
    ... the solution ...
    /* EXERCISE step02-scroll STUB
    ... the stub, which builds but does not do the job ...
       EXERCISE step02-scroll END */

A carried-over file holds the same markers in every step that has it, so
the copies stay identical. tools/workshop turns each region into its stub
and a TODO comment made from the entry below; tests/grade.py gives each
exercise's tests their points and, on a failure, the hint.

tests: (group, text) pairs: every test of that group whose name contains
text depends on the exercise. A test listed under no exercise is a core
test: it must pass in a student's tree from the start.
"""

import glob
import os
import re
import sys

# Points for a test that checks an exercise, and for any other test.
EXERCISE_POINTS = 3
CORE_POINTS = 1

EXERCISES = [
    # id, task for the student, the book's section (chapter file, heading), tests
    ("step01-paint", "fill all 80x25 cells with a space, white on red (attribute 0x4F)",
     ("01-boot", "kmain"),
     [("step01", "cells is red"), ("step01", "halted in kmain")]),
    ("step01-message", "write msg on row 12 from column 4, white on red",
     ("01-boot", "kmain"),
     [("step01", "message shows"), ("step01", "halted in kmain")]),
    ("step01-halt", "stop here for good: halt the CPU in a loop, so kmain never returns",
     ("01-boot", "kmain"),
     [("step01", "halted in kmain")]),
    ("step02-scroll", "move every row up by one, blank the last row, stay on the last row",
     ("02-vga", "Scrolling"),
     [("step02", "shows what was printed"), ("step02", "scrolled away"),
      ("step02", "colours: 16 swatches")]),
    ("step02-cursor", "tell the CRT controller where the cursor is: registers 0x0E and 0x0F",
     ("02-vga", "The hardware cursor"),
     [("step02", "hardware cursor"), ("step03", "hardware cursor")]),
    ("step02-tab-backspace", "a tab moves to the next multiple of 8; a backspace moves back "
     "one column, never past column 0",
     ("02-vga", "Printing a character"),
     [("step02", "tabs stop"), ("step02", "shows what was printed"),
      ("step04", "Backspace")]),
    ("step03-negative", "print a negative number with a minus sign; careful with LONG_MIN",
     ("03-print", "The formatting core"),
     [("step03", "format core"), ("step03", "every conversion")]),
    ("step03-snprintf", "keep within the buffer: write at most size - 1 characters, "
     "leaving room for the NUL",
     ("03-print", "The formatting core"),
     [("step03", "format core"), ("step03", "every conversion"),
      ("step03", "Bochs (a strict UART)")]),
    ("step03-panic", "say what went wrong, white on red, on the screen and on serial",
     ("03-print", "kprintf and panic"),
     [("step03", "panic"), ("step05", "overrun over the next header")]),
    ("step04-shift-caps", "Shift picks the shifted table; Caps Lock swaps the case of letters",
     ("04-keyboard", "The keyboard"),
     [("step04", "Shift and Caps Lock"), ("step04", "typed text echoes"),
      ("step06", "user program 'upper'")]),
    ("step04-ticks", "print the ticks since boot, the seconds they make, and the keys dropped",
     ("04-keyboard", "The timer"),
     [("step04", "timer ticks"), ("step04", "flood")]),
    ("step04-crash-registers", "show the error code, every register, and CR2 for a page fault",
     ("04-keyboard", "The crash screen"),
     [("step04", "the crash screen names")]),
    ("step05-coalesce", "merge the freed block with a free block before it, after it, "
     "and with the top",
     ("05-malloc", "Merging, and the top"),
     [("step05", "heap: "), ("step05", "meminfo before and after"), ("step05", "out of memory"),
      ("step05", "selftest NONCE"), ("step05", "the BIOS memory map is printed")]),
    ("step05-double-free", "a block that is already free: say so, with the caller, and ignore it",
     ("05-malloc", "When the heap is misused"),
     [("step05", "heap: unit"), ("step05", "double free")]),
    ("step05-memmap", "pick the largest usable region above the kernel and 1 MiB, "
     "below 4 GiB",
     ("05-malloc", "The heap's region"),
     [("step05", "follows the RAM")]),
    ("step06-write-check", "check the whole buffer is mapped for the user before reading it",
     ("06-syscalls", "Checking pointers"),
     [("step06", "bad pointer"), ("step06", "the fuzzer: random system calls"),
      ("step06", "the fuzzer fails, naming write"), ("step06", "trace badfd and badptr")]),
    ("step06-brk", "move the end of the program's heap, mapping or unmapping whole pages",
     ("06-syscalls", "The system calls"),
     [("step06", "user program 'memory'"), ("step06", "musl program 'mallocs'"),
      ("step06", "the fuzzer: random system calls")]),
    ("step06-kill", "an exception in ring 3 ends the program, not the kernel",
     ("06-syscalls", "When a program misbehaves"),
     [("step06", "hostile"), ("step06", "names the address and eip")]),
]

MARKER = re.compile(r"EXERCISE (step\d\d-[a-z0-9-]+) (BEGIN|STUB|END)")


def exercise(eid):
    for entry in EXERCISES:
        if entry[0] == eid:
            return entry
    raise KeyError(f"no exercise {eid!r} in tests/exercises.py")


def exercises_of(group, name):
    """The exercises a test depends on."""
    return [e[0] for e in EXERCISES if any(g == group and text in name for g, text in e[3])]


def points(group, name):
    return EXERCISE_POINTS if exercises_of(group, name) else CORE_POINTS


def book_hint(eid):
    chapter, section = exercise(eid)[2]
    number = int(chapter[:2])
    return f'the book, chapter {number}, "{section}" (book/chapters/{chapter}.md)'


def regions(text):
    """(id, begin line, stub line, end line) for each marked region in text."""
    found, open_ = [], {}
    for i, line in enumerate(text.splitlines()):
        m = MARKER.search(line)
        if not m:
            continue
        eid, kind = m.groups()
        if kind == "BEGIN":
            open_[eid] = [i, None]
        elif kind == "STUB" and eid in open_:
            open_[eid][1] = i
        elif kind == "END" and eid in open_ and open_[eid][1] is not None:
            begin, stub = open_.pop(eid)
            found.append((eid, begin, stub, i))
    return found


def to_stub(text):
    """text with every solution replaced by its stub and a TODO comment."""
    lines = text.splitlines(keepends=True)
    for eid, begin, stub, end in reversed(regions(text)):
        indent = re.match(r"\s*", lines[begin]).group(0)
        task = exercise(eid)[1]
        todo = (f"{indent}/* TODO {eid}: {task}.\n"
                f"{indent}   See {book_hint(eid)}.\n"
                f"{indent}   make grade T={eid} checks it. */\n")
        lines[begin:end + 1] = [todo] + lines[stub + 1:end]
    return "".join(lines)


def markdown(step):
    """The step's exercises as a Markdown list, for the book."""
    out = []
    for eid, task, _, _ in EXERCISES:
        if eid.startswith(step):
            files = sorted(marked_in(eid))
            where = ", ".join(f"`{f}`" for f in files)
            out.append(f"- **{eid}**: {task} ({where}). Check it with `make grade T={eid}`.")
    return "\n".join(out)


def marked_in(eid):
    """The files of the exercise's own step that hold its region."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in sorted(glob.glob(os.path.join(top, eid[:6] + "-*", "**", "*"), recursive=True)):
        if path.endswith((".c", ".h", ".asm")) and "/build/" not in path:
            with open(path) as f:
                if f"EXERCISE {eid} BEGIN" in f.read():
                    yield os.path.relpath(path, top)


if __name__ == "__main__":
    text = markdown(sys.argv[1] if len(sys.argv) > 1 else "")
    if not text:
        sys.exit(f"exercises.py: no exercises for {sys.argv[1:]}")
    print(text)
