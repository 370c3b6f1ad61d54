"""Copies of the course with the exercises' regions chosen one by one: the
reference solution, the student's stub, or a wrong solution from
tests/wrong_solutions.py. The workshop's checks grade such copies: a wrong
solution must lose points, and one exercise solved alone must earn all of its.

A copy keeps the reference's build/ folders, times kept, so make in the copy
rebuilds only the files whose regions changed."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import exercises
from harness import TOP, Failure

SOURCES = (".c", ".h", ".asm")
SKIP = shutil.ignore_patterns(".git", "out", "__pycache__", ".test-lock", "*.lock")


def edit_region(text, eid, edits, where):
    """text with the solution of eid's region changed by edits, (old, new)
    pairs, each old found exactly once in the solution."""
    lines = text.splitlines(keepends=True)
    for rid, begin, stub, _ in reversed(exercises.regions(text)):
        if rid != eid:
            continue
        solution = "".join(lines[begin + 1:stub])
        for old, new in edits:
            if solution.count(old) != 1:
                raise Failure("error in the test itself",
                              f"{where}: the wrong solution's {old!r} is not once in the "
                              f"{eid} region; the region changed: update "
                              "tests/wrong_solutions.py")
            solution = solution.replace(old, new)
        lines[begin + 1:stub] = [solution]
    return "".join(lines)


def stub_regions(text, keep):
    """text with every region whose exercise is not in keep turned into its stub."""
    lines = text.splitlines(keepends=True)
    for eid, begin, stub, end in reversed(exercises.regions(text)):
        if eid not in keep:
            lines[begin:end + 1] = lines[stub + 1:end]
    return "".join(lines)


def tree(solved=None, wrong=None):
    """A copy of the course in a new temporary folder. solved: the exercises
    that keep their reference solution (None: all of them; the others get
    their stubs). wrong: (eid, edits) put into every copy of eid's region."""
    root = os.path.join(tempfile.mkdtemp(prefix="variant-"), "course")
    shutil.copytree(TOP, root, ignore=SKIP, symlinks=True)
    for folder in sorted(os.listdir(root)):
        if not re.match(r"step\d\d-", folder):
            continue
        for name in sorted(os.listdir(os.path.join(root, folder))):
            path = os.path.join(root, folder, name)
            if not name.endswith(SOURCES) or not os.path.isfile(path):
                continue
            with open(path) as f:
                text = f.read()
            new = text
            if solved is not None:
                new = stub_regions(new, set(solved))
            if wrong:
                new = edit_region(new, wrong[0], wrong[1], f"{folder}/{name}")
            if new != text:
                with open(path, "w") as f:
                    f.write(new)
    return root


def marked_files(root=TOP):
    """The step folders' source files that hold an exercise's region."""
    for folder in sorted(os.listdir(root)):
        if not re.match(r"step\d\d-", folder):
            continue
        for name in sorted(os.listdir(os.path.join(root, folder))):
            path = os.path.join(root, folder, name)
            if name.endswith(SOURCES) and os.path.isfile(path):
                with open(path) as f:
                    if exercises.MARKER.search(f.read()):
                        yield path


def grade(root, eid, timeout=300):
    """The grader's results for eid's tests in root: (score, max, failed
    test names, output)."""
    results = os.path.join(tempfile.mkdtemp(prefix="grade-"), "results.json")
    command = [sys.executable, "-m", "pytest", os.path.join(root, "tests"), "--grade",
               "-p", "no:xdist", "-q", "--tb=no", "--gradescope", results, "-k", eid]
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=timeout, cwd=root, env=dict(os.environ, OS_TEST_ORIGIN=root))
    if not os.path.exists(results):
        raise Failure("wrong output", f"the grader wrote no results:\n{run.stdout[-3000:]}")
    with open(results) as f:
        data = json.load(f)
    failed = [t["name"] for t in data["tests"] if t["status"] != "passed"]
    return data["score"], data["max_score"], failed, run.stdout
