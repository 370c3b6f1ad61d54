"""step03's formatting core (format.c), tested on the host: tests/host builds it
into an ordinary program with AddressSanitizer and UBSan, which checks fixed
cases and compares random formats with the host's snprintf."""

import os
import re
import subprocess

import pytest

from harness import TOP, Failure, locked, make

pytestmark = pytest.mark.group("step03")

HOST = os.path.join(TOP, "tests", "host")
SANITIZER = re.compile(r"Sanitizer|runtime error:")



def excerpt(output):
    """The part of the program's output that says what went wrong: a sanitizer's
    report, the first mismatch, or the failed checks; then the last line."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if SANITIZER.search(line):
            return lines[i:i + 12]
        if line.startswith("MISMATCH"):
            end = i + 1
            while end < len(lines) and lines[end].startswith("  "):
                end += 1
            return lines[i:end] + ["..."] + lines[-2:]
    failed = [line for line in lines if line.startswith("FAIL")]
    return failed[:12] + lines[-1:] if failed else lines[-15:]


def run_host_test(name, reproduce, *args):
    """Build and run tests/host/build/NAME with args; a 'wrong output'
    failure unless it ends with 'N passed, 0 failed'. reproduce is the make
    target that runs it by hand."""
    with locked(HOST):    # the tests may run at the same time
        make(HOST, f"build/{name}")
    command = [os.path.join(HOST, "build", name), *args]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=300)
    lines = result.stdout.splitlines()
    if result.returncode != 0 or not lines or not re.fullmatch(r"\d+ passed, 0 failed", lines[-1]):
        shown = "\n".join("  " + line for line in excerpt(result.stdout)) or "  (no output)"
        seed = re.search(r"seed (\d+)", result.stdout)
        replay = " ".join(args + ((seed.group(1),) if seed else ()))
        raise Failure("wrong output", f"{name} exited with status {result.returncode}; "
                      f"its output:\n{shown}\nReproduce: make -C tests/host {reproduce} "
                      f"ARGS=\"{replay}\"")
    return result.stdout


def run_format_test(*args):
    return run_host_test("format_test", "test", *args)


@pytest.mark.title("format core: unit tests on the host (ASan, UBSan)")
def test_format_unit():
    run_format_test("-u")


@pytest.mark.title("format core: 100,000 random formats match the host's snprintf (ASan, UBSan)")
def test_format_random():
    run_format_test("-r", "100000")


@pytest.mark.title("format core: every conversion in a roomy buffer, fixed and 100,000 random, "
                   "as the host prints it (ASan, UBSan)")
def test_format_conversions():
    run_format_test("-c", "100000")
