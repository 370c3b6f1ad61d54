"""Each exercise stands alone: in a student tree where only that exercise is
solved (its reference solution in every copy of its region, every other
exercise left as its stub, but for those it needs first), the exercise's
tests give full marks. Each case
grades its own copy of the course, on whichever worker is free; the copies
keep the reference's builds, so only the changed files are compiled again."""

import pytest

import exercises
import grading
import variants
from harness import expect, finished_steps

pytestmark = pytest.mark.group("workshop")


@pytest.mark.slow
@pytest.mark.parametrize("eid", [e[0] for e in exercises.EXERCISES])
@pytest.mark.title("{eid} solved alone, every other exercise a stub: full marks on its tests")
def test_exercise_alone_full_marks(built, eid):
    for step in finished_steps():
        built(step)
    # What it needs first (tests/exercises.py NEEDS) is solved too.
    root = variants.tree(solved=[eid] + exercises.needs(eid))
    score, total, failed, out = variants.grade(root, eid)
    expect(total > 0, f"make grade T={eid} graded nothing:\n{out[-2000:]}")
    expect(score == total, f"{eid} solved alone scored {score}/{total}: its tests depend on "
           "another exercise's solution:\n  " + "\n  ".join(failed) + "\n" + out[-3000:])


@pytest.mark.title("an exercise needs only exercises listed before it, and the grader says "
                   "to do them first")
def test_needs_come_first():
    order = [e[0] for e in exercises.EXERCISES]
    for eid in exercises.NEEDS:
        for need in exercises.needs(eid):
            expect(need in order and order.index(need) < order.index(eid),
                   f"{eid} needs {need}, which tests/exercises.py lists after it")
        props = {"kind": "wrong output", "exercises": eid}
        text = "\n".join(grading.Grader.feedback(props, "failed"))
        for need in exercises.needs(eid):
            expect(f"do {need} first" in text, f"the grader does not say 'do {need} first' "
                   f"under a failure of {eid}:\n{text}")
        expect(all(f"Do {n} first." in exercises.markdown(eid[:6])
                   for n in exercises.needs(eid)),
               f"the book's list of {eid[:6]}'s exercises does not say what {eid} needs first")
