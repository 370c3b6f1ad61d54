"""step06's fuzzer, compared with Linux: the same program (user/fuzz.c), with
the same seeds, runs on our kernel and under qemu-i386, and the two
transcripts must be the same, line for line. Each line of a full transcript
is one system call with its arguments and its answer, so the first line
that differs names the call that answered differently.

A full transcript is long, and a console prints slowly (every line scrolls
the VGA screen), so the test first runs `fuzz -d`, which prints one line per
100 calls with a hash of their lines. Where a hash differs, it runs that
seed again on both, in full, up to the end of those 100 calls, and shows the
first line that differs.

The seeds and the number of calls per seed come from the environment:

    FUZZ_SEEDS="1 2 3 4 5"  FUZZ_COUNT=10000  make test T=fuzz

(those are the defaults). To see one seed's transcript by hand:

    qemu-i386 step06-syscalls/build/user/fuzz.elf SEED COUNT </dev/null
    make -C step06-syscalls run, then type: fuzz SEED COUNT

The logic is in plain functions (start_on_linux, run_on_kernel,
first_difference, compare); the tests at the end are thin.
"""

import os
import re

import pytest

from harness import Failure, Linux, Qemu, copy_step, expect, make, step_dir
from test_step06 import on_kernel, same_as_linux

pytestmark = pytest.mark.group("step06")

STEP = step_dir("step06")
DEFAULT_SEEDS = "1 2 3 4 5"
DEFAULT_COUNT = 10000


def seeds_and_count():
    """The seeds and the count: FUZZ_SEEDS (numbers, by spaces or commas) and FUZZ_COUNT."""
    seeds = os.environ.get("FUZZ_SEEDS", DEFAULT_SEEDS).replace(",", " ").split()
    count = int(os.environ.get("FUZZ_COUNT", DEFAULT_COUNT))
    return seeds, count


def fuzz_args(seeds, count, digest=True):
    """fuzz [-d] SEED COUNT [SEED...]: all seeds in one run, so one boot does them all."""
    return (("-d",) if digest else ()) + (seeds[0], str(count), *seeds[1:])


def start_on_linux(seeds, count, folder=STEP, digest=True):
    """Start the fuzzer under qemu-i386 (it runs while the kernel boots), or
    read its answer kept from an earlier run (harness/linux.py). stdin is an
    empty pipe, as in the step06 tests: read(1) and write(0) give -EBADF."""
    elf = os.path.join(folder, "build", "user", "fuzz.elf")
    return Linux(elf, fuzz_args(seeds, count, digest), name="fuzz", merge_stderr=True,
                 timeout=120)


def finish_on_linux(linux):
    out, status = linux.answer()
    if status != 0:
        raise Failure("wrong output", f"the fuzzer under qemu-i386 exited with status "
                      f"{status}: {out[-300:]!r}")
    return out


def run_on_kernel(machine, seeds, count, digest=True):
    """The fuzzer's transcript on our kernel, and its exit status."""
    return on_kernel(machine, "fuzz", fuzz_args(seeds, count, digest),
                     timeout=30 + count * len(seeds) / (500 if digest else 200))


def first_difference(linux, ours):
    """None if the transcripts are the same; else (seed, line number, the
    line under Linux, ours, the lines before them)."""
    expected, got = linux.split("\n"), ours.split("\n")
    seed = "?"
    for i in range(max(len(expected), len(got))):
        e = expected[i] if i < len(expected) else None
        g = got[i] if i < len(got) else None
        if e is not None and e.startswith("fuzz: seed "):
            seed = e[len("fuzz: seed "):].split(",")[0]
        if e != g:
            return seed, i + 1, e, g, expected[max(0, i - 3):i]
    return None


def describe(difference):
    """The message for a difference in a full transcript: the seed, the call
    (its name first), both answers, and how to see it again."""
    seed, number, e, g, before = difference
    call = (e or g or "").split(" = ")[0]
    name = call.split(" ", 1)[-1].split("(")[0] if "(" in call else "(no call)"
    context = "\n".join(f"    {line}" for line in before)
    return (f"{name} answers differently from Linux (seed {seed}, line {number}).\n"
            f"  the call:  {call}\n"
            f"  Linux:     {e!r}\n"
            f"  ours:      {g!r}\n"
            f"  the lines before it (the same on both):\n{context}\n"
            f"  again:     FUZZ_SEEDS={seed} make test T=fuzz; or compare "
            f"qemu-i386 step06-syscalls/build/user/fuzz.elf {seed} COUNT </dev/null "
            f"with 'fuzz {seed} COUNT' at step06's console")


def pinpoint(machine, difference, count, folder):
    """A digest line differs: run its seed in full, on both, up to the end of
    its 100 calls, and describe the first line that differs."""
    seed, number, e, g, before = difference
    block = re.search(r"calls to (\d+): ", e or g or "")
    upto = int(block.group(1)) + 1 if block else count
    linux_proc = start_on_linux([seed], upto, folder, digest=False)
    ours, _ = run_on_kernel(machine, [seed], upto, digest=False)
    linux = finish_on_linux(linux_proc)
    full = first_difference(linux, ours)
    if full:
        return describe(full)
    return (f"seed {seed}: the hashes of the calls differ at line {number} "
            f"(Linux: {e!r}, ours: {g!r}), but a run of seed {seed} alone gives the same "
            "lines on both: the difference comes from an earlier seed in the same run")


def compare(image, seeds, count, folder=STEP):
    """Run both and raise a 'wrong output' Failure at the first difference."""
    linux_proc = start_on_linux(seeds, count, folder)
    try:
        with Qemu(image) as machine:
            machine.wait_for("step06: ready")
            ours, status = run_on_kernel(machine, seeds, count)
            linux = finish_on_linux(linux_proc)
            if not linux.endswith("\n") and ours == linux + "\n":
                ours = linux
            difference = first_difference(linux, ours)
            if difference:
                raise Failure("wrong output", pinpoint(machine, difference, count, folder),
                              machine)
            expect(status == 0, f"fuzz exited with status {status} on our kernel", machine)
            blocks = linux.count("calls to ")
            expect(blocks >= count * len(seeds) // 100, f"only {blocks} lines of hashes for "
                   f"{count} calls x {len(seeds)} seeds: {linux[-300:]!r}")
            # The kernel is still up after all of it.
            out, status = on_kernel(machine, "hello")
            expect(out == "hello, world\n" and status == 0,
                   f"after the fuzzer, hello does not run right: {out!r}, status {status}",
                   machine)
            return linux
    finally:
        linux_proc.stop()


def wrong_errno_is_caught(file, old, new, call, seeds=("1",), count=500):
    """Build a copy of step06 with one errno changed and check that the
    comparison fails, naming the call."""
    with open(os.path.join(STEP, file)) as f:
        text = f.read()
    assert text.count(old) == 1, f"{old!r} is not in {file} exactly once"
    # The step's build comes along, so make rebuilds only what the changed
    # file touches: seconds, not a minute.
    folder = copy_step("step06", {file: text.replace(old, new)}, build=True)
    make(folder, "all")
    try:
        compare(os.path.join(folder, "build", "os.img"), list(seeds), count, folder)
    except Failure as failure:
        expect(f"{call} answers differently from Linux" in failure.message,
               f"the comparison failed, but does not name {call}: {failure.message[:500]}")
        return failure.message
    raise Failure("wrong output", f"{file} with {new!r} for {old!r}: the fuzzer found "
                  "no difference from Linux")


@pytest.mark.title("the fuzzer: random system calls answer as under qemu-i386, line for line "
                   "(FUZZ_SEEDS, FUZZ_COUNT)")
def test_fuzz_same_as_linux(built):
    built("step06")
    seeds, count = seeds_and_count()
    compare(os.path.join(STEP, "build", "os.img"), seeds, count)


@pytest.mark.title("the fuzzer fails, naming write, on a kernel whose write gives a wrong errno")
def test_fuzz_catches_a_wrong_errno(built):
    built("step06")
    write = "    uint32_t fd = a[0], va = a[1], n = a[2];\n    if (!file_for(fd, O_WRONLY))\n"
    wrong_errno_is_caught("syscall.c", write + "        return -EBADF;",
                          write + "        return -EINVAL;", "write")


# What the fuzzer found, each kept as a case of user/compat.c, run here and
# under qemu-i386: the answers must be the same.
REGRESSIONS = {
    "tls-code": "set_thread_area refuses a code segment (-EINVAL)",
    "tls-entries": "set_thread_area has Linux's entries 6 to 8",
    "readv-empty": "readv with buffers of length 0 answers 0 without waiting for a key",
    "writev-partial": "writev writes the buffers before a bad one",
    "writev-negative": "writev refuses a negative length (-EINVAL)",
    "munmap-wrap": "munmap of a length that wraps when rounded up is -EINVAL",
    "mmap-shared": "mmap2 maps shared anonymous memory, but not growing down",
    "mmap-huge": "mmap2 of more than the address space is -ENOMEM",
}


@pytest.mark.parametrize("case,what", REGRESSIONS.items(), ids=list(REGRESSIONS))
@pytest.mark.title("fuzzer regression '{case}': {what}, as on Linux")
def test_regression(console, case, what):
    out, status = same_as_linux(console, "compat", (case,))
    expect(status == 0 and out.strip(), f"compat {case}: {out!r}, status {status}", console)
