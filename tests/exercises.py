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
and a TODO comment made from the entry below; the grader (tests/grading.py) gives each
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
     [("step01", "cells is red")]),
    ("step01-message", "write msg on row 12 from column 4, white on red",
     ("01-boot", "kmain"),
     [("step01", "message shows")]),
    ("step01-halt", "stop here for good: halt the CPU in a loop, so kmain never returns",
     ("01-boot", "kmain"),
     [("step01", "halted in kmain")]),
    ("step02-scroll", "move every row up by one, blank the last row, stay on the last row",
     ("02-vga", "Scrolling"),
     [("step02", "shows what was printed"), ("step02", "scrolled away"),
      ("step02", "colours: 16 swatches")]),
    ("step02-cursor", "tell the CRT controller where the cursor is: registers 0x0E and 0x0F",
     ("02-vga", "The hardware cursor"),
     [("step02", "hardware cursor"), ("step03", "hardware cursor"),
      ("step06", "Ctrl-D at the start of a line"), ("step06", "trace startup")]),
    ("step02-tab-backspace", "a tab moves to the next multiple of 8; a backspace moves back "
     "one column, never past column 0",
     ("02-vga", "Printing a character"),
     [("step02", "tabs stop"), ("step04", "Backspace")]),
    ("step03-negative", "print a negative number with a minus sign; careful with LONG_MIN",
     ("03-print", "The formatting core"),
     [("step03", "format core: every conversion"), ("step03", "every conversion prints")]),
    ("step03-snprintf", "keep within the buffer: write at most size - 1 characters, "
     "leaving room for the NUL",
     ("03-print", "The formatting core"),
     [("step03", "format core: unit"), ("step03", "format core: 100,000 random"),
      ("step03", "ksnprintf(buf, 8)")]),
    ("step03-panic", "say what went wrong, white on red, on the screen and on serial",
     ("03-print", "kprintf and panic"),
     [("step03", "panic")]),
    ("step04-shift-caps", "Shift picks the shifted table; Caps Lock swaps the case of letters",
     ("04-keyboard", "The keyboard"),
     [("step04", "Shift and Caps Lock"), ("step04", "typed text echoes"),
      ("step06", "user program 'upper'"), ("step06", "a command line holds 200 characters"),
      ("step06", "trace shows a buffer as strace does")]),
    ("step04-ticks", "print the ticks since boot, the seconds they make, and the keys dropped",
     ("04-keyboard", "The timer"),
     [("step04", "timer ticks"), ("step04", "flood")]),
    ("step04-crash-registers", "show the error code and every register, the stack pointer too",
     ("04-keyboard", "The crash screen"),
     [("step04", "the crash screen names")]),
    ("step05-coalesce", "merge the freed block with a free block before it, after it, "
     "and with the top",
     ("05-malloc", "Merging, and the top"),
     [("step05", "heap: 1,000,000 random"), ("step05", "meminfo before and after"),
      ("step05", "merged into the free block before"),
      ("step05", "out of memory"),
      ("step05", "selftest NONCE"), ("step05", "the BIOS memory map is printed")]),
    ("step05-double-free", "a block that is already free: say so, with the caller, and ignore it",
     ("05-malloc", "When the heap is misused"),
     [("step05", "heap: unit"), ("step05", "double free"),
      ("step05", "overrun over the next header")]),
    ("step05-memmap", "pick the largest usable region above the kernel and 1 MiB, "
     "below 4 GiB",
     ("05-malloc", "The heap's region"),
     [("step05", "follow the RAM")]),
    ("step06-brk", "move the end of the program's heap, mapping or unmapping whole pages",
     ("06-syscalls", "The system calls"),
     # Not musl's 'mallocs': where brk fails, musl's malloc takes its memory
     # from mmap2 (and mprotect), and gets the same answers.
     [("step06", "user program 'memory'")]),
    ("step06-write-check", "check the whole buffer is mapped for the user before reading it",
     ("06-syscalls", "Checking pointers"),
     [("step06", "bad pointer"), ("step06", "the fuzzer: random system calls"),
      ("step06", "the fuzzer fails, naming write"), ("step06", "trace badfd and badptr")]),
    ("step06-kill", "an exception in ring 3 ends the program, not the kernel",
     ("06-syscalls", "When a program misbehaves"),
     [("step06", "hostile"), ("step06", "names the address and eip")]),
]

# Exercises whose tests cannot pass until another is done: the grader says
# "do ... first" under their failures, the book lists them after it, and the
# workshop's check solves the need too when it grades the exercise alone.
NEEDS = {
    "step03-snprintf": ["step03-negative"],     # the format core's tests print negatives
    # the heap's unit tests free and merge; an overrun is reported by panic
    "step05-double-free": ["step03-panic", "step05-coalesce"],
    # trace prints errors as -1, with %d, and starts a line where the cursor
    # says; the fuzzer's calls move brk as well as pass write bad pointers
    "step06-write-check": ["step02-cursor", "step03-negative", "step06-brk"],
}


def needs(eid):
    """The exercises eid needs done first, and theirs."""
    found = []
    for need in NEEDS.get(eid, []):
        for n in needs(need) + [need]:
            if n not in found:
                found.append(n)
    return found


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
    """text with every solution replaced by its stub, between a TODO comment
    and an END line. Every copy of a region gets the same lines, so the
    copies of a carried-over file stay identical; the student writes the
    solution in the exercise's own step, and make carry (tools/carry) copies
    it into the later steps' copies."""
    lines = text.splitlines(keepends=True)
    for eid, begin, stub, end in reversed(regions(text)):
        indent = re.match(r"\s*", lines[begin]).group(0)
        task = exercise(eid)[1]
        own = ", ".join(marked_in(eid))
        todo = (f"{indent}/* TODO {eid}: {task}.\n"
                f"{indent}   See {book_hint(eid)}.\n"
                f"{indent}   Write it in {own}, between this comment and the END line\n"
                f"{indent}   (keep both: make carry copies what is between them into the\n"
                f"{indent}   later steps). make grade T={eid} checks it. */\n")
        lines[begin:end + 1] = [todo] + lines[stub + 1:end] + [f"{indent}/* END {eid} */\n"]
    return "".join(lines)


STUDENT_TODO = re.compile(r"/\* TODO (step\d\d-[a-z0-9-]+): ")
STUDENT_END = re.compile(r"/\* END (step\d\d-[a-z0-9-]+) \*/")


def student_regions(text):
    """(id, first line, end line) of each region in a student's file (see
    to_stub): the student's code is lines[first:end], after the TODO comment
    and before the END line."""
    lines = text.splitlines()
    found, open_ = [], {}
    for i, line in enumerate(lines):
        todo, end = STUDENT_TODO.search(line), STUDENT_END.search(line)
        if todo:
            close = i
            while close < len(lines) and "*/" not in lines[close]:
                close += 1
            open_[todo.group(1)] = close + 1
        elif end and end.group(1) in open_:
            found.append((end.group(1), open_.pop(end.group(1)), i))
    return found


def markdown(step):
    """The step's exercises as a Markdown list, for the book."""
    out = []
    for eid, task, _, _ in EXERCISES:
        if eid.startswith(step):
            files = sorted(marked_in(eid))
            where = ", ".join(f"`{f}`" for f in files)
            first = "".join(f" Do {n} first." for n in needs(eid))
            out.append(f"- **{eid}**: {task} ({where}). Check it with `make grade T={eid}`."
                       + first)
    return "\n".join(out)


def is_student_tree(top=None):
    """True where no step's source holds a solution between EXERCISE markers:
    a tree made by tools/workshop (book/build.py tells the editions apart
    the same way)."""
    top = top or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in glob.glob(os.path.join(top, "step*-*", "**", "*"), recursive=True):
        if path.endswith((".c", ".h", ".asm")) and "/build/" not in path:
            with open(path, errors="replace") as f:
                if re.search(r"EXERCISE step\d\d-[a-z0-9-]+ BEGIN", f.read()):
                    return False
    return True


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
