"""The benchmarks (bench/): the allocator benchmark builds, runs a quick trace
of each kind through step05's heap and glibc's malloc, and prints its table;
bench.py, in quick mode, prints and writes its table of every step against the
floor, and its plot. Only the form is checked, never the speed: times on a
shared machine say nothing."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree

import pytest

from harness import TOP, Failure, copy_step, locked, make

pytestmark = pytest.mark.group("bench")

BENCH = os.path.join(TOP, "bench")
PROGRAM = os.path.join(BENCH, "build", "heap_bench")
TRACES = ("small objects", "mixed sizes", "producer/consumer")
OPS = 20000
NUMBER = r"(\d+\.\d+)"
ROW = re.compile(rf"(?P<trace>{'|'.join(TRACES)})\s+(?P<ops>\d+)\s+{NUMBER} M\s+{NUMBER} M"
                 rf"\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}")
TARGET = re.compile(rf"(?P<trace>{'|'.join(TRACES)})\s+ratio {NUMBER} (met|not met),"
                    rf"\s+footprint/live {NUMBER} (met|not met)")


@pytest.mark.title("bench: the allocator benchmark runs (one quick repetition)")
def test_heap_bench_runs():
    with locked(BENCH):     # both checks build bench/build/
        make(BENCH, "all")
    args = ["-n", str(OPS), "-r", "1"]
    result = subprocess.run([PROGRAM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, timeout=120)
    lines = result.stdout.splitlines()

    def fail(why):
        shown = "\n".join("  " + line for line in (lines + result.stderr.splitlines())[-20:])
        raise Failure("wrong output", f"{why}; heap_bench exited with status "
                      f"{result.returncode}, its output:\n{shown or '  (none)'}\n"
                      f"Reproduce: make bench ARGS=\"{' '.join(args)}\"")

    if result.returncode != 0:
        fail("heap_bench failed")
    if not lines or not lines[0].startswith("kernel heap (step05-malloc/heap.c) against glibc"):
        fail("the table has no title")
    rows = {m["trace"]: m for m in map(ROW.fullmatch, lines) if m}
    targets = {m["trace"]: m for m in map(TARGET.fullmatch, lines) if m}
    for trace in TRACES:
        if trace not in rows:
            fail(f"no table row with numbers for '{trace}'")
        if trace not in targets:
            fail(f"no line saying whether '{trace}' meets the targets")
        row = rows[trace]
        ours, glibc, ratio, our_space, glibc_space = map(float, row.groups()[2:])
        if int(row["ops"]) != OPS:
            fail(f"'{trace}' ran {row['ops']} ops, not {OPS}")
        if min(ours, glibc) <= 0:
            fail(f"'{trace}' has a speed of zero")
        # Blocks in use never overlap, so they span at least the bytes they hold.
        if min(our_space, glibc_space) < 1:
            fail(f"'{trace}' has footprint/live below 1: blocks in use overlap")


DRIVER = os.path.join(BENCH, "bench.py")
NUM = r"\d+(?:\.\d+)?"
# One row of bench.py's table: name, QEMU ms, ×floor, goal, Bochs ms, ×floor,
# Bochs Mticks, ×floor, clang s, ×, gcc s, ×, kernel bytes, asm, C, h, user,
# lines; a dash where there is nothing to show (a quick run builds one step).
ROW_FIELDS = ("qemu", "qemu_ratio", "goal", "bochs", "bochs_ratio", "ticks", "ticks_ratio",
              "clang", "clang_ratio", "gcc", "gcc_ratio", "size", "asm", "c", "h", "user", "lines")


def finished_steps():
    return [name for name in sorted(os.listdir(TOP)) if re.match(r"step\d\d-", name)
            and os.path.exists(os.path.join(TOP, name, "Makefile"))]


@pytest.mark.title("bench: a quick run prints the table and writes results.md and results.svg")
def test_bench_quick_run(built):
    committed = os.path.join(BENCH, "results.md")
    before = os.path.getmtime(committed) if os.path.exists(committed) else None
    with locked(BENCH):
        make(BENCH, "all")      # so bench.py's own make has nothing left to do
    for step in finished_steps():
        built(step[:6])         # --prebuilt boots these builds
    with tempfile.TemporaryDirectory(prefix="bench-test-") as out:
        command = [sys.executable, DRIVER, "--quick", "--prebuilt", "--out", out]
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, timeout=150)
        lines = result.stdout.splitlines()

        def fail(why):
            shown = "\n".join("  " + line for line in (lines + result.stderr.splitlines())[-30:])
            raise Failure("wrong output", f"{why}; bench.py exited with status "
                          f"{result.returncode}, its output:\n{shown or '  (none)'}\n"
                          f"Reproduce: python3 bench/bench.py --quick --prebuilt --out /tmp/bench")

        if result.returncode != 0:
            fail("bench.py failed")
        rows = {}
        for line in lines:
            cells = line.split()
            if cells and (cells[0] == "floor" or re.fullmatch(r"step\d\d-[a-z0-9-]+", cells[0])):
                if len(cells) != 1 + len(ROW_FIELDS):
                    fail(f"the row for {cells[0]} has {len(cells)} cells, not {1 + len(ROW_FIELDS)}")
                rows[cells[0]] = dict(zip(ROW_FIELDS, cells[1:]))
        steps = finished_steps()
        if len(steps) != 6:
            fail(f"expected six steps, found {len(steps)}: {steps}")
        for name in ["floor"] + steps:
            if name not in rows:
                fail(f"the table has no row for {name}")
            row = rows[name]
            for field in ("qemu", "qemu_ratio", "bochs", "bochs_ratio", "ticks", "ticks_ratio",
                          "size", "lines"):
                if not re.fullmatch(NUM, row[field]) or float(row[field]) <= 0:
                    fail(f"{name}: '{field}' is {row[field]!r}, not a number above 0")
            for field in ("asm",) if name == "floor" else ("asm", "c", "h"):
                if not row[field].isdigit():    # step01 has no header: 0 is a count
                    fail(f"{name}: '{field}' is {row[field]!r}, not a count of lines")
        floor = rows["floor"]
        if floor["qemu_ratio"] != "1.00" or floor["ticks_ratio"] != "1.000":
            fail("the floor's ratios to itself are not 1")
        for name in steps:
            row = rows[name]
            if row["goal"] not in ("met", "missed"):
                fail(f"{name}: the goal column says {row['goal']!r}, not met or missed")
            # Bochs' tick count is deterministic: a kernel runs after the whole
            # BIOS, so it is always past the floor, which ends right there.
            if float(row["ticks_ratio"]) <= 1:
                fail(f"{name}: ready after {row['ticks_ratio']}× the floor's Bochs ticks")
            counted = sum(int(row[k]) for k in ("asm", "c", "h", "user") if row[k] != "–")
            if int(row["lines"]) != counted:
                fail(f"{name}: lines {row['lines']} is not asm + C + h + user = {counted}")
        first = rows[steps[0]]
        # The bench boots its own build of each step (make all, CC=cc, in a
        # copy): so does this check, for the smallest step.
        folder = copy_step(steps[0])
        try:
            make(folder, "all")
            kernel = os.path.getsize(os.path.join(folder, "build", "kernel.bin"))
        finally:
            shutil.rmtree(os.path.dirname(folder), ignore_errors=True)
        if int(first["size"]) != kernel:
            fail(f"{steps[0]}: kernel bytes {first['size']}, but make all builds {kernel}")
        if rows["floor"]["size"] != "512":
            fail(f"the floor is {rows['floor']['size']} bytes, not one 512-byte sector")
        for field in ("clang", "clang_ratio", "gcc", "gcc_ratio"):
            if not re.fullmatch(NUM, first[field]):
                fail(f"{steps[0]}: no build time in '{field}' ({first[field]!r})")
        for needed in ("QEMU boot goal", "budget", "make test:", "kernel heap (step05-malloc"):
            if not any(needed in line for line in lines):
                fail(f"no line with {needed!r} in the report")

        with open(os.path.join(out, "results.md")) as f:
            md = f.read()
        for name in ["floor"] + steps:
            if not re.search(rf"^\| {re.escape(name)} \| {NUM} \| ", md, re.M):
                fail(f"results.md has no table row with numbers for {name}")
        try:
            svg = xml.etree.ElementTree.parse(os.path.join(out, "results.svg")).getroot()
        except (OSError, xml.etree.ElementTree.ParseError) as error:
            fail(f"results.svg is not XML: {error}")
        if svg.tag != "{http://www.w3.org/2000/svg}svg":
            fail(f"results.svg's root is {svg.tag}, not an svg element")
        labels = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
        missing = [name for name in steps if name not in labels]
        if missing:
            fail(f"results.svg has no label for {', '.join(missing)}")
    after = os.path.getmtime(committed) if os.path.exists(committed) else None
    if after != before:
        fail("the quick run wrote bench/results.md instead of the --out folder")
