"""The allocator benchmark (bench/): it builds, runs a quick trace of each kind
through step05's heap and glibc's malloc, and prints its table. Only the form
is checked, never the speed: times on a shared machine say nothing."""

import os
import re
import subprocess

from harness import TOP, Failure, make, test

BENCH = os.path.join(TOP, "bench")
PROGRAM = os.path.join(BENCH, "build", "heap_bench")
TRACES = ("small objects", "mixed sizes", "producer/consumer")
OPS = 20000
NUMBER = r"(\d+\.\d+)"
ROW = re.compile(rf"(?P<trace>{'|'.join(TRACES)})\s+(?P<ops>\d+)\s+{NUMBER} M\s+{NUMBER} M"
                 rf"\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}")
TARGET = re.compile(rf"(?P<trace>{'|'.join(TRACES)})\s+ratio {NUMBER} (met|not met),"
                    rf"\s+footprint/live {NUMBER} (met|not met)")


@test("bench", "bench: the allocator benchmark runs (one quick repetition)")
def bench_runs():
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
