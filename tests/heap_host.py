"""step05's kernel heap (heap.c), tested on the host: tests/host builds it into
an ordinary program with AddressSanitizer and UBSan, which tries each function
at its edges and with misuse, then checks random operations against a model."""

import os
import re
import subprocess

from harness import Failure, make, test
# format_host builds in tests/host too: one lock for both, so builds never overlap.
from format_host import HOST, build_lock, excerpt

PROGRAM = os.path.join(HOST, "build", "heap_test")


def run_heap_test(*args):
    with build_lock:
        make(HOST, "build/heap_test")
    command = [PROGRAM, *args]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=300)
    lines = result.stdout.splitlines()
    if result.returncode != 0 or not lines or not re.fullmatch(r"\d+ passed, 0 failed", lines[-1]):
        shown = "\n".join("  " + line for line in excerpt(result.stdout)) or "  (no output)"
        seed = re.search(r"seed (\d+)", result.stdout)
        replay = " ".join(args + ((seed.group(1),) if seed else ()))
        raise Failure("wrong output", f"heap_test exited with status {result.returncode}; "
                      f"its output:\n{shown}\nReproduce: make -C tests/host heap "
                      f"ARGS=\"{replay}\"")
    return result.stdout


@test("step05", "heap: unit and misuse tests on the host (ASan, UBSan)")
def heap_unit_tests():
    run_heap_test("-u")


@test("step05", "heap: 1,000,000 random operations against a model (ASan, UBSan)")
def heap_model():
    run_heap_test("-m", "1000000")
