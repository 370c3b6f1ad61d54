"""The book's screenshots against the kernels: `make screenshots` (tools/
screenshots) writes each PNG with its screen's text beside it, and a new
run must show the same text. Numbers are compared as numbers, not digit
for digit: ticks, heap sizes, addresses and program sizes change with the
compiler and the moment; words, lines and their order do not."""

import os
import re
import subprocess
import tempfile

import pytest

import exercises
from harness import TOP, expect, expect_same_lines

pytestmark = pytest.mark.group("book")

IMAGES = os.path.join(TOP, "book", "images")
LIST = os.path.join(TOP, "book", "screenshots.txt")


def listed():
    """(step, image, keys) for each line of book/screenshots.txt."""
    with open(LIST) as f:
        rows = [line.rstrip("\n").split(None, 2) for line in f
                if line.strip() and not line.startswith("#")]
    return [(row[0], row[1], row[2] if len(row) > 2 else "") for row in rows]


def stable(text):
    """The text with each number (hex or decimal) as '#'."""
    text = re.sub(r"0x[0-9a-fA-F]+", "0x#", text)
    return [re.sub(r"\d+", "#", line).rstrip() for line in text.rstrip("\n").splitlines()]


@pytest.mark.parametrize("image", [row[1] for row in listed()])
@pytest.mark.title("{image}: make screenshots makes it again with the text of the committed "
                   "one (book/images/*.txt)")
def test_screenshots_match(image):
    if exercises.is_student_tree():
        pytest.skip("a student tree: the screenshots show the reference's kernels")
    step, _, keys = next(row for row in listed() if row[1] == image)
    out = tempfile.mkdtemp(prefix="screenshots-")
    # One line of the list, as tools/screenshots runs it for make screenshots.
    run = subprocess.run([os.path.join(TOP, "tools", "screenshot"), step,
                          os.path.join(out, image), keys],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    expect(run.returncode == 0, f"tools/screenshot failed:\n{run.stdout[-3000:]}")
    name = os.path.splitext(image)[0] + ".txt"
    committed = os.path.join(IMAGES, name)
    expect(os.path.exists(committed), f"book/images/{name} is missing: run make screenshots "
           "and commit the images with their text")
    with open(committed) as f, open(os.path.join(out, name)) as g:
        want, got = f.read(), g.read()
    expect_same_lines(stable(want), stable(got),
                      f"book/images/{image} shows other text than the kernel does now "
                      "(numbers aside): run make screenshots and commit the images")


@pytest.mark.title("chapter 5's misuse messages give the caller's address its screenshot shows")
def test_chapter5_caller_matches_screenshot():
    with open(os.path.join(IMAGES, "step05-malloc.txt")) as f:
        shown = set(re.findall(r"[Cc]alled from (0x[0-9a-f]+)", f.read()))
    with open(os.path.join(TOP, "book", "chapters", "05-malloc.md")) as f:
        written = set(re.findall(r"[Cc]alled from (0x[0-9a-f]+)", f.read()))
    expect(len(shown) == 1 and written == shown,
           f"chapter 5 says 'Called from' {sorted(written)}, its screenshot (book/images/"
           f"step05-malloc.txt) {sorted(shown)}: they must agree (chapter 5 says the "
           "addresses are the screenshot's)")
