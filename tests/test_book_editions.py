"""The two editions of the book: in a student tree (tools/workshop), make book
gives the student's edition, which teaches each exercise without its
solution; the reference edition, the teacher's, prints the solutions. The
same check that passes the student's edition must fail the reference one."""

import glob
import html
import os
import re
import subprocess
import tempfile

import pytest

import exercises
from harness import TOP, expect

# One worker runs this module's checks: they share one student tree and its book.
pytestmark = [pytest.mark.group("book"), pytest.mark.xdist_group("editions")]

SOURCES = (".c", ".h", ".asm")
LABELS = ("What to do.", "The facts you need.", "The invariant to keep.",
          "What the tests check.")
MIN_WORDS = 120            # a section that teaches, not a sentence


def code_of(line):
    """A stripped line without its comments."""
    return re.sub(r"/\*.*?(\*/|$)|//.*$", "", line).strip()


def source_lines(root):
    """Every stripped line of every step's source files under root, with
    and without its comments."""
    found = set()
    for path in glob.glob(os.path.join(root, "step*-*", "**", "*"), recursive=True):
        if path.endswith(SOURCES) and "/build/" not in path:
            with open(path) as f:
                for line in f:
                    found.update((line.strip(), code_of(line.strip())))
    return found


def solution_lines(student_root):
    """{eid: lines} of the reference's solutions that tell something: each
    line of a solved region, and its code without its comment, when it is
    more than a brace or a keyword and not in the student tree's own source
    (which the student's book may list)."""
    theirs = source_lines(student_root)
    found = {}
    for path in glob.glob(os.path.join(TOP, "step*-*", "**", "*"), recursive=True):
        if not path.endswith(SOURCES) or "/build/" in path:
            continue
        with open(path) as f:
            text = f.read()
        lines = text.splitlines()
        for eid, begin, stub, _ in exercises.regions(text):
            for line in lines[begin + 1:stub]:
                for text in (line.strip(), code_of(line.strip())):
                    if len(re.sub(r"\W", "", text)) >= 6 and text not in theirs:
                        found.setdefault(eid, set()).add(text)
    return found


def page_text(path):
    with open(path) as f:
        page = f.read()
    return page, html.unescape(re.sub(r"<[^>]+>", "", page))


def flat(text):
    return " ".join(text.split())


# An expression in the prose: inline code with an operator in it.
EXPRESSION = re.compile(r"[-=+*/&|~<>?\[]")


def leaks(folder, solutions, theirs_text):
    """[(page, eid, what)] for each solution line that the pages in folder
    show (in a listing or anywhere else), and each expression in inline code
    that is a piece of a solution's code and not of the student's source."""
    found = []
    for path in sorted(glob.glob(os.path.join(folder, "*.html"))):
        page, text = page_text(path)
        lines = {line.strip() for line in text.splitlines()}
        spans = {flat(html.unescape(re.sub(r"<[^>]+>", "", s)))
                 for s in re.findall(r"<code>(.*?)</code>", page, re.S)}
        spans = {s for s in spans if len(s) >= 6 and EXPRESSION.search(s)
                 and s not in theirs_text}
        for eid, solution in sorted(solutions.items()):
            for line in sorted(solution):
                if line in lines:
                    found.append((os.path.basename(path), eid, line))
                else:
                    found += [(os.path.basename(path), eid, f"`{s}` from: {line}")
                              for s in spans if s in flat(code_of(line))]
    return found


def section(page, heading):
    """The HTML of a page from the heading's tag to the next heading of the
    same or a higher level."""
    want = flat(heading.replace("'", "\u2019"))
    for m in re.finditer(r"<h([1-6])[^>]*>(.*?)</h\1>", page, re.S):
        title = flat(html.unescape(re.sub(r"<[^>]+>", "", m.group(2))))
        if title.replace("'", "\u2019") == want:
            level = int(m.group(1))
            end = re.compile(rf"<h[1-{level}][\s>]").search(page, m.end())
            return page[m.start():end.start() if end else len(page)]
    return None


def untaught(folder):
    """[(eid, why)] for each exercise whose section lacks its student text."""
    missing = []
    for eid, _, (chapter, heading), _ in exercises.EXERCISES:
        path = os.path.join(folder, chapter + ".html")
        if not os.path.exists(path):
            missing.append((eid, f"there is no page {chapter}.html"))
            continue
        page, _ = page_text(path)
        part = section(page, heading)
        if part is None:
            missing.append((eid, f"{chapter}.html has no section {heading!r}"))
            continue
        div = re.search(rf'<div class="student" data-exercise="{re.escape(eid)}">(.*?)</div>\s*'
                        r'(?=<(?:h\d|div|p|pre|ul|ol|figure|nav)|$)', part, re.S)
        if not div:
            missing.append((eid, f"section {heading!r} of {chapter}.html has no student text"))
            continue
        text = flat(html.unescape(re.sub(r"<[^>]+>", " ", div.group(1))))
        lacking = [label for label in LABELS if label not in text]
        if lacking or len(text.split()) < MIN_WORDS:
            missing.append((eid, f"its student text in {chapter}.html has "
                                 f"{len(text.split())} words and lacks {lacking}"))
    return missing


@pytest.fixture(scope="module")
def student_book():
    """A student tree and its book (the website only, without the live
    machines: the quick way), as make book would build it there."""
    tmp = tempfile.mkdtemp(prefix="editions-")
    root = os.path.join(tmp, "course")
    run = subprocess.run([os.path.join(TOP, "tools", "workshop"), root], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    expect(run.returncode == 0, f"tools/workshop failed:\n{run.stdout}")
    out = os.path.join(tmp, "book")
    command = ["python3", os.path.join(root, "book", "build.py"), "--out", out,
               "--html-only", "--no-machines"]
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         cwd=root)
    expect(run.returncode == 0 and "the student's edition" in run.stdout,
           f"the student's book did not build as the student's edition:\n{run.stdout[-3000:]}")
    return root, os.path.join(out, "html")


def theirs_text(root):
    return flat("\n".join(sorted(source_lines(root))))


@pytest.mark.title("the student's book, built in a student tree, shows no line of any "
                   "solution and teaches every exercise in its section")
def test_student_edition(student_book):
    root, folder = student_book
    solutions = solution_lines(root)
    found = leaks(folder, solutions, theirs_text(root))
    expect(not found, f"the student's book shows {len(found)} pieces of solutions:\n"
           + "\n".join(f"  {page}: {eid}: {what}" for page, eid, what in found[:30]))
    missing = untaught(folder)
    expect(not missing, "exercise sections without their teaching text in the student's "
           "book (a ::: {.student exercise=...} div, book/README.md):\n"
           + "\n".join(f"  {eid}: {why}" for eid, why in missing))


@pytest.mark.title("the same check fails the reference edition: it shows the solutions, "
                   "and no student text")
def test_reference_edition_fails_the_check(student_book, book):
    if exercises.is_student_tree():
        pytest.skip("a student tree has no reference edition: it holds no solutions")
    root, _ = student_book
    folder = os.path.join(book, "html")
    found = leaks(folder, solution_lines(root), theirs_text(root))
    shown = {eid for _, eid, _ in found}
    # Each listed solution: the exercises whose function the chapters list.
    listed = {"step01-paint", "step01-message", "step02-scroll",
              "step02-cursor", "step02-tab-backspace", "step03-panic", "step04-shift-caps",
              "step04-crash-registers", "step05-coalesce", "step05-double-free",
              "step05-memmap", "step06-brk", "step06-write-check", "step06-kill"}
    expect(listed <= shown, "the check found no solution in the reference book for "
           f"{sorted(listed - shown)}: it cannot fail")
    missing = {eid for eid, _ in untaught(folder)}
    expect(missing == {e[0] for e in exercises.EXERCISES},
           f"the reference book has student text for {sorted({e[0] for e in exercises.EXERCISES} - missing)}")


def run_edition_filter(markdown, edition):
    return subprocess.run(["pandoc", "--lua-filter", os.path.join(TOP, "book", "filters",
                                                                  "edition.lua"), "-t", "html"],
                          input=markdown, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=dict(os.environ, BOOK_EDITION=edition))


@pytest.mark.title("edition.lua keeps one edition's divs, and stops at student text that "
                   "leaves out what to do, the facts, the invariant or the tests")
def test_edition_filter():
    good = ("::: solution\nSOLUTION\n:::\n\n::: {.student exercise=\"step02-scroll\"}\n"
            + " ".join(f"**{label}** x." for label in LABELS) + "\n:::\n")
    student, reference = run_edition_filter(good, "student"), run_edition_filter(good, "reference")
    expect(student.returncode == 0 and "What to do." in student.stdout
           and "SOLUTION" not in student.stdout, f"student edition:\n{student.stdout}{student.stderr}")
    expect(reference.returncode == 0 and "SOLUTION" in reference.stdout
           and "What to do." not in reference.stdout,
           f"reference edition:\n{reference.stdout}{reference.stderr}")
    bad = good.replace("**The invariant to keep.**", "")
    result = run_edition_filter(bad, "reference")
    expect(result.returncode != 0 and "step02-scroll" in result.stderr
           and "The invariant to keep." in result.stderr,
           f"student text without its invariant was accepted:\n{result.stderr}")


@pytest.mark.title("in the student's edition a listing of an exercise's region shows its stub, "
                   "even built from the reference")
def test_listing_shows_stub():
    source = '```{.c include="step02-vga/vga.c" function="scroll"}\n```\n'
    shown = {}
    for edition in ("student", "reference"):
        result = subprocess.run(["pandoc", "--lua-filter", os.path.join(TOP, "book", "filters",
                                                                         "include.lua"),
                                 "-t", "plain"], input=source, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True,
                                env=dict(os.environ, BOOK_ROOT=TOP, BOOK_EDITION=edition))
        expect(result.returncode == 0, f"pandoc failed:\n{result.stdout}")
        shown[edition] = result.stdout
    if exercises.is_student_tree():
        pytest.skip("a student tree has only the stubs")
    expect("VGA_ROWS - 1" not in shown["student"] and "row = 0;" in shown["student"],
           f"the student's edition lists scroll as:\n{shown['student']}")
    expect("VGA_ROWS - 1" in shown["reference"] and "row = 0;" not in shown["reference"],
           f"the reference edition lists scroll as:\n{shown['reference']}")
