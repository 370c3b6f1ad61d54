"""The book's generated text against the code: "What changed" lists, made
by book/filters/include.lua from tools/stepdiff."""

import os
import re
import subprocess

import pytest

from harness import TOP, expect

pytestmark = pytest.mark.group("book")

FILTER = os.path.join(TOP, "book", "filters", "include.lua")


def changed_list(step, tz):
    """The "What changed" list of a step, as pandoc renders it, as text."""
    source = f'```{{stepdiff="{step}" summary="yes"}}\n```\n'
    result = subprocess.run(["pandoc", "--from=markdown", "--to=plain", "--lua-filter", FILTER],
                            input=source, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=dict(os.environ, BOOK_ROOT=TOP, TZ=tz))
    expect(result.returncode == 0, f"pandoc failed on stepdiff {step}:\n{result.stdout}")
    return re.findall(r"^-\s+(\S+): (new|changed)", result.stdout, re.M)


@pytest.mark.title("What changed: each file once, new or changed as it really is, in any time zone")
def test_what_changed_lists():
    for step in ("02", "03", "04", "05", "06"):
        items = changed_list(step, "America/New_York")
        names = [name for name, _ in items]
        twice = sorted({n for n in names if names.count(n) > 1})
        expect(not twice, f"step{step}'s 'What changed' lists {', '.join(twice)} twice")
        expect(items == changed_list(step, "UTC"),
               f"step{step}'s 'What changed' depends on the time zone")
        diff = subprocess.run([os.path.join(TOP, "tools", "stepdiff"), step],
                              stdout=subprocess.PIPE, text=True).stdout
        previous = re.search(r"^diff -ruN \S+ \S+ (step\d\d-\w+)/", diff, re.M).group(1)
        for name, kind in items:
            existed = os.path.exists(os.path.join(TOP, previous, name))
            expect(existed == (kind == "changed"),
                   f"step{step}'s 'What changed' calls {name} {kind}, but {previous} "
                   f"{'has' if existed else 'has no'} {name}")
