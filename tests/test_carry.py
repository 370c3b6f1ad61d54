"""A student writes each solution once: in a student tree (tools/workshop),
the solution goes in the exercise's own step, and make carry (tools/carry)
copies it into the later steps' copies, so they build with it and the
step-to-step rule still holds."""

import os
import subprocess
import sys
import tempfile

import pytest

import exercises
from harness import TOP, expect

pytestmark = pytest.mark.group("workshop")


def run(root, *command):
    return subprocess.run(list(command), cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def student_tree():
    root = os.path.join(tempfile.mkdtemp(prefix="carry-"), "course")
    made = run(TOP, os.path.join(TOP, "tools", "workshop"), root)
    expect(made.returncode == 0, f"tools/workshop failed:\n{made.stdout}")
    return root


def solve(root, eid):
    """Write the reference solution of eid into its own step only, as a student would."""
    for rel in exercises.marked_in(eid):
        with open(os.path.join(TOP, rel)) as f:
            ref = f.read()
        _, begin, stub, _ = [r for r in exercises.regions(ref) if r[0] == eid][0]
        with open(os.path.join(root, rel)) as f:
            lines = f.read().splitlines(keepends=True)
        _, first, end = [r for r in exercises.student_regions("".join(lines)) if r[0] == eid][0]
        lines[first:end] = ref.splitlines(keepends=True)[begin + 1:stub]
        with open(os.path.join(root, rel), "w") as f:
            f.write("".join(lines))


def region_text(path, eid):
    """The lines of eid's region in a student's file."""
    with open(path) as f:
        lines = f.read().splitlines(keepends=True)
    _, first, end = [r for r in exercises.student_regions("".join(lines)) if r[0] == eid][0]
    return "".join(lines[first:end])


def copies_of(root, rel):
    name = os.path.basename(rel)
    return [os.path.join(root, d, name) for d in sorted(os.listdir(root))
            if d[:6] > rel[:6] and os.path.exists(os.path.join(root, d, name))]


@pytest.mark.title("make carry copies a student's solution into every later step; the "
                   "step-to-step rule holds; a lost TODO line is named")
def test_carry_on_student_tree():
    root = student_tree()
    solve(root, "step02-scroll")
    solve(root, "step03-negative")
    carried = run(root, "make", "--no-print-directory", "carry")
    expect(carried.returncode == 0, f"make carry failed:\n{carried.stdout}")
    for eid in ("step02-scroll", "step03-negative"):
        for rel in exercises.marked_in(eid):
            own = region_text(os.path.join(root, rel), eid)
            later = copies_of(root, rel)
            expect(later, f"{rel} has no later copies to carry to")
            for path in later:
                # A later step's copy may differ outside the region (step06's
                # vga.c has more): the region is what carry copies.
                expect(region_text(path, eid) == own, f"make carry did not copy {eid} from "
                       f"{rel} into {os.path.relpath(path, root)}")
    again = run(root, "make", "--no-print-directory", "carry")
    expect(again.returncode == 0 and not again.stdout.strip(),
           f"a second make carry changed something:\n{again.stdout}")
    rule = run(root, sys.executable, "-m", "pytest", "tests", "-p", "no:xdist", "-q",
               "-k", "step_rule")
    expect(rule.returncode == 0, f"the step-to-step rule fails in the student tree after "
           f"make carry:\n{rule.stdout[-2000:]}")
    own = os.path.join(root, "step02-vga", "vga.c")
    with open(own) as f:
        text = f.read()
    with open(own, "w") as f:
        f.write(text.replace("/* END step02-scroll */", ""))
    lost = run(root, "make", "--no-print-directory", "carry")
    expect(lost.returncode != 0 and "step02-scroll" in lost.stdout and "put both back"
           in lost.stdout, f"make carry did not name the lost END line:\n{lost.stdout}")


@pytest.mark.slow
@pytest.mark.title("a student tree with step02-cursor solved in step02 only: make grade "
                   "carries it and gives its tests full marks")
def test_grade_carries():
    root = student_tree()
    solve(root, "step02-cursor")
    graded = run(root, "make", "--no-print-directory", "grade", "T=step02-cursor")
    expect(graded.returncode == 0 and "carry: step02-cursor" in graded.stdout,
           f"make grade T=step02-cursor did not carry and give full marks:\n"
           f"{graded.stdout[-3000:]}")
