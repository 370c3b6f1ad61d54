"""The workshop: exercise markers, the student tree tools/workshop writes,
and the autograder (make grade: tests/grading.py) on the reference, the
student tree and a spoofing kernel. The checks that grade whole trees run
on one worker, one after the other, each grader with both cores."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

import exercises
import grading
import harness.linux
from harness import TOP, Failure, expect, finished_steps, step_dir

pytestmark = [pytest.mark.group("workshop"), pytest.mark.xdist_group("workshop")]

SOURCES = (".c", ".h", ".asm")


def marked_files(root):
    for folder in sorted(os.listdir(root)):
        if re.match(r"step\d\d-", folder):
            for base, _, names in os.walk(os.path.join(root, folder)):
                if "build" in base.split(os.sep):
                    continue
                for name in names:
                    if name.endswith(SOURCES):
                        yield os.path.join(base, name)


@pytest.mark.title("exercise markers: each region is in tests/exercises.py, and each exercise "
                   "has a region, tests, and a book section")
def test_markers(request):
    found = {}
    for path in marked_files(TOP):
        with open(path) as f:
            text = f.read()
        ids = [m.group(1) for m in exercises.MARKER.finditer(text)]
        whole = [r[0] for r in exercises.regions(text)]
        expect(len(ids) == 3 * len(whole), f"{os.path.relpath(path, TOP)}: a marker without its "
               f"BEGIN, STUB or END: {ids}")
        for eid in whole:
            found.setdefault(eid, []).append(os.path.relpath(path, TOP))
    listed = [e[0] for e in exercises.EXERCISES]
    expect(sorted(found) == sorted(listed), f"marked in the code: {sorted(found)}; listed in "
           f"tests/exercises.py: {sorted(listed)}")
    names = {(g, n) for g, n, _ in request.session.checks}
    for eid, task, (chapter, section), tests in exercises.EXERCISES:
        step = eid[:6]
        expect(any(p.startswith(step) for p in found[eid]),
               f"{eid} has no region in its own step, {step}")
        for group, text in tests:
            expect(any(g == group and text in n for g, n in names),
                   f"{eid}: no {group} test has {text!r} in its name")
        with open(os.path.join(TOP, "book", "chapters", chapter + ".md")) as f:
            headings = re.findall(r"^#+ (.*)$", f.read(), re.M)
        expect(section in headings, f"{eid}: chapter {chapter} has no section {section!r}")
    per_step = {}
    for e in exercises.EXERCISES:
        per_step[e[0][:6]] = per_step.get(e[0][:6], 0) + 1
    expect(all(n >= 3 for n in per_step.values()) and len(per_step) == 6,
           f"exercises per step: {per_step}; each step needs at least 3")


@pytest.mark.title("GitHub Classroom's autograding.json gives each step its points")
def test_classroom_json(request):
    path = os.path.join(TOP, ".github", "classroom", "autograding.json")
    expected = grading.classroom(request.session.checks)
    with open(path) as f:
        actual = f.read()
    expect(actual == expected, "the points in .github/classroom/autograding.json are out of "
           "date: run  pytest tests -p no:xdist --classroom .github/classroom/autograding.json")


def grade(root, *args, timeout=900):
    """Run root's grader; returns its Gradescope results and its output."""
    results = os.path.join(tempfile.mkdtemp(prefix="grade-"), "results.json")
    command = [sys.executable, "-m", "pytest", os.path.join(root, "tests"), "--grade",
               "-n", "2", "-q", "--tb=no", "--gradescope", results, *args]
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=timeout, cwd=root, env=dict(os.environ, OS_TEST_ORIGIN=root))
    if not os.path.exists(results):
        raise Failure("wrong output", f"the grader wrote no results:\n{run.stdout[-3000:]}")
    with open(results) as f:
        return json.load(f), run


def split(results):
    """(exercise tests, core tests), each a list of Gradescope test entries."""
    ex, core = [], []
    for t in results["tests"]:
        group, name = t["name"].split(": ", 1)
        (ex if exercises.exercises_of(group, name) else core).append(t)
    return ex, core


# The reference's full marks on every check are this run's own results (the
# run prints the score make grade would give on them): here the grader's
# reports are checked on one step's exercise checks, graded again.
@pytest.mark.title("the grader on the reference: full marks on step02's exercise tests, a "
                   "'Score: n/n' line, JUnit and Gradescope reports")
def test_reference_full_marks():
    junit = os.path.join(tempfile.mkdtemp(prefix="junit-"), "junit.xml")
    results, run = grade(TOP, "--step", "02", "--exercises-only", "--junitxml", junit)
    expect(run.returncode == 0 and results["score"] == results["max_score"] > 0,
           f"the reference scored {results['score']}/{results['max_score']}:\n"
           + "\n".join(run.stdout.splitlines()[-40:]))
    expect(re.search(r"^Score: (\d+)/\1$", run.stdout, re.M), "no 'Score: n/n' line")
    with open(junit) as f:
        xml = f.read()
    expect(xml.count("<testcase") == len(results["tests"]) and "<failure" not in xml,
           "the JUnit report does not list every test as passed")


def student_tree(builds=False):
    """A student tree from tools/workshop; builds: with the reference's
    build/ folders copied in, times kept, so make rebuilds only what the
    stubs changed, and with the Linux answers the reference's checks kept
    (harness/linux.py: each is named by a hash of what it depends on)."""
    out = os.path.join(tempfile.mkdtemp(prefix="workshop-"), "course")
    run = subprocess.run([os.path.join(TOP, "tools", "workshop"), out], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    expect(run.returncode == 0, f"tools/workshop failed:\n{run.stdout}")
    for path in marked_files(out):
        with open(path) as f:
            expect("EXERCISE" not in f.read(), f"{path} still holds a solution")
    for step in finished_steps() if builds else ():
        folder = os.path.basename(step_dir(step))
        shutil.copytree(os.path.join(TOP, folder, "build"), os.path.join(out, folder, "build"),
                        ignore=shutil.ignore_patterns(".test-lock"))
    if builds and os.path.isdir(harness.linux.KEPT):
        shutil.copytree(harness.linux.KEPT, os.path.join(out, "tests", "build", "linux"),
                        ignore=shutil.ignore_patterns("*.json.*"))     # one being written
    return out


# Checks of the build and the loader, which read no code a stub replaces
# (there are no exercises in boot.asm, the linker script or the Makefiles):
# in the student tree, the step's own build and its boots stand for them.
NOT_IN_STUDENT_TREE = ("test_image", "test_big_kernel_loads_whole", "test_too_big_kernel_refused",
                       "test_stands_alone", "test_gdb_stops_at_kmain", "test_step_rule")


def grade_student_tree(request, root, *args):
    left_out = [i for i in request.session.all_items if i.originalname in NOT_IN_STUDENT_TREE]
    depends = [t for i in left_out for _, t in i.user_properties if _ == "exercises" and t]
    expect(not depends, f"a check left out of the student tree depends on an exercise: {depends}")
    results, run = grade(root, "-k", " and ".join(f"not {n}" for n in NOT_IN_STUDENT_TREE)
                         + "".join(f" and ({a})" for a in args))
    ex, core = split(results)
    ex_passed = [t["name"] for t in ex if t["status"] == "passed"]
    expect(not ex_passed, "exercise tests passed with the stubs in place (they cannot fail, "
           "or are listed under the wrong exercise):\n  " + "\n  ".join(ex_passed))
    listed = {e[0] for e in exercises.EXERCISES}
    graded = {eid for t in ex for g, n in [t["name"].split(": ", 1)]
              for eid in exercises.exercises_of(g, n)}
    expect(graded == listed, f"exercises with no test graded in the student tree: "
           f"{sorted(listed - graded)}")
    core_failed = [t["name"] for t in core if t["status"] != "passed"]
    expect(not core_failed, "core tests failed in the student tree (a stub breaks them: list "
           "them under their exercise in tests/exercises.py):\n  " + "\n  ".join(core_failed))
    expect(results["score"] == sum(t["max_score"] for t in core) and run.returncode != 0,
           f"the student tree scored {results['score']}, not the core points")
    boots = [t for t in core if "boots under Bochs" in t["name"]]
    expect(len(boots) == 6, "not every step booted under Bochs in the student tree")
    return core


@pytest.mark.title("a student tree builds and boots every step, and fails every exercise test "
                   "(SLOW=1: and passes every core test)")
def test_student_tree_fails_exercises(request, built):
    for step in finished_steps():
        built(step)
    root = student_tree(builds=True)
    # What a stub can change: the exercises' own tests. With them, a smoke
    # test of each step: its build (the grader's, where warnings are errors)
    # and its boot under Bochs. SLOW=1 grades the whole tree.
    words = " or ".join(e[0] for e in exercises.EXERCISES)
    grade_student_tree(request, root, f"{words} or boots_under_bochs")


@pytest.mark.slow
@pytest.mark.title("a student tree scores exactly the core tests' points, with every core "
                   "test passing and every exercise test failing")
def test_student_tree_scores_core(request):
    grade_student_tree(request, student_tree())


# Kernels that claim success without doing the work, made from the reference:
# step01 prints PASS where it should paint the screen and write its message,
# and step05's selftest prints a passing self-test's line without checking.
SPOOF = {
    "step01-boot/kmain.c": (
        "    for (int i = 0; i < COLS * ROWS; i++)\n        VGA_TEXT[i] = WHITE_ON_RED << 8 | ' ';\n",
        "    debug_print(\"PASS: the screen is red\\n\");\n"),
    "step05-malloc/console.c": (
        "    heap_selftest(arg[0] ? arg : 0);",
        '    kprintf("PASS\\nheap self-test: 28 checks passed\\n");'),
}


@pytest.mark.title("spoofing kernels, which print PASS or a passing self-test's line instead "
                   "of doing the work, earn nothing for it")
def test_spoofing_kernel():
    root = os.path.join(tempfile.mkdtemp(prefix="spoof-"), "course")
    shutil.copytree(TOP, root, ignore=shutil.ignore_patterns(".git", "build", "out",
                                                             "__pycache__"))
    for rel, (old, new) in SPOOF.items():
        path = os.path.join(root, rel)
        with open(path) as f:
            text = f.read()
        expect(old in text, f"{rel}: the code to spoof is gone: {old.strip()}")
        with open(path, "w") as f:
            f.write(text.replace(old, new))
    for args in (["--step", "01", "-k", "step01-paint"], ["--step", "05", "-k", "selftest"]):
        results, run = grade(root, *args)
        expect(results["max_score"] > 0, f"grade {' '.join(args)} graded nothing:\n"
               + run.stdout[-2000:])
        expect(results["score"] == 0, f"a spoofing kernel scored {results['score']}/"
               f"{results['max_score']} with grade {' '.join(args)}:\n"
               + "\n".join(t["name"] for t in results["tests"] if t["status"] == "passed"))
