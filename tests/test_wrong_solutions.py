"""Wrong answers are caught: each wrong solution in tests/wrong_solutions.py,
put into every copy of its exercise's region, loses points on that exercise's
tests. Each case grades its own copy of the course, on whichever worker is
free; the copies keep the reference's builds, so only the changed files are
compiled again."""

import os

import pytest

import exercises
import variants
from harness import TOP, expect, finished_steps
from wrong_solutions import WRONG

pytestmark = pytest.mark.group("workshop")

CASES = [(eid, name) for eid, wrongs in WRONG.items() for name in wrongs]


def build_reference(built):
    """Every step of the reference built, so the copies start from its builds."""
    for step in finished_steps():
        built(step)


@pytest.mark.slow
@pytest.mark.parametrize("eid,name", CASES)
@pytest.mark.title("wrong solution for {eid} ({name}): the grader takes points off")
def test_wrong_solution_loses_points(built, eid, name):
    build_reference(built)
    root = variants.tree(wrong=(eid, WRONG[eid][name]))
    score, total, failed, out = variants.grade(root, eid)
    expect(total > 0, f"make grade T={eid} graded nothing:\n{out[-2000:]}")
    expect("failure kind: build failed" not in out, f"the wrong solution for {eid} ({name}) "
           f"does not build, so it proves nothing about the tests:\n{out[-2000:]}")
    expect(score < total, f"the wrong solution for {eid} ({name}) scored full marks, "
           f"{score}/{total}: make its tests catch it (tests/wrong_solutions.py lists it)")


@pytest.mark.title("every exercise has at least two wrong solutions to catch")
def test_every_exercise_has_wrong_solutions():
    few = [e[0] for e in exercises.EXERCISES if len(WRONG.get(e[0], {})) < 2]
    expect(not few, f"exercises with fewer than two wrong solutions in "
           f"tests/wrong_solutions.py: {few}")
    unknown = sorted(set(WRONG) - {e[0] for e in exercises.EXERCISES})
    expect(not unknown, f"tests/wrong_solutions.py names no exercise: {unknown}")
    # Each applies to every copy of its region (a cheap check, for every make test:
    # the grading itself runs with make test SLOW=1).
    for path in variants.marked_files():
        with open(path) as f:
            text = f.read()
        for eid in {r[0] for r in exercises.regions(text)}:
            for name, edits in WRONG.get(eid, {}).items():
                variants.edit_region(text, eid, edits, f"{os.path.relpath(path, TOP)} ({name})")
