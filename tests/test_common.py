"""Checks every finished step gets: the image, both compilers, the loader's
limits, Bochs, gdb, and the step-to-step rule."""

import fcntl
import functools
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile

import pytest

import exercises
from harness import (Bochs, Failure, Qemu, copy_step, descendants, expect, finished_steps, forget,
                     kept_copy, make, make_command, step_dir)

STEPS = finished_steps()

BLOB = "/* A large constant array, to make the kernel big. */\nconst unsigned char big_blob[{size}] = {{ [0] = 0xA5, [{last}] = 0x5A }};\n"


def image_checks(step):
    build = os.path.join(step_dir(step), "build")
    with open(os.path.join(build, "os.img"), "rb") as f:
        image = f.read()
    kernel_size = os.path.getsize(os.path.join(build, "kernel.bin"))
    expect(len(image) % 512 == 0, f"os.img is {len(image)} bytes, not whole sectors")
    expect(image[510:512] == b"\x55\xaa", f"no boot signature 55 AA at bytes 510-511 "
           f"(found {image[510:512].hex(' ')})")
    expect(image[512:512 + kernel_size] == open(os.path.join(build, "kernel.bin"), "rb").read(),
           "the kernel does not follow the boot sector in os.img")
    sectors = int.from_bytes(image[0x1CA:0x1CE], "little")
    expect(sectors == (kernel_size + 511) // 512,
           f"the partition entry says {sectors} kernel sectors; kernel.bin needs {(kernel_size + 511) // 512}")


LOADER_LIMIT = 448 * 1024      # boot.asm loads 0x10000 to 0x80000


def big_kernel_loads_whole(step):
    """A kernel just under the loader's limit (many BIOS reads) is in memory
    to its last byte: a blob fills what the step's own kernel leaves free."""
    kernel = os.path.getsize(os.path.join(step_dir(step), "build", "kernel.bin"))
    size = LOADER_LIMIT - kernel - 16 * 1024    # room for alignment and the BSS
    expect(size >= 64 * 1024, f"{step}'s kernel is {kernel // 1024} KiB, close to the "
           f"loader's {LOADER_LIMIT // 1024} KiB: the loader needs to grow")
    folder = copy_step(step, {"big_blob.c": BLOB.format(size=size, last=size - 1)}, build=True)
    make(folder, "all")
    elf = os.path.join(folder, "build", "kernel.elf")
    symbols = subprocess.run(["nm", elf], stdout=subprocess.PIPE, text=True).stdout
    address = int(re.search(r"^([0-9a-f]+) R big_blob$", symbols, re.M).group(1), 16)
    with Qemu(os.path.join(folder, "build", "os.img"), elf) as machine:
        machine.wait_for(f"{step}: ready")
        tail = machine.memory_read(address + size - 4, 4)
        head = machine.memory_read(address, 1)
        expect(head == b"\xa5" and tail == b"\0\0\0\x5a",
               f"the end of a {size // 1024} KiB kernel was not loaded: big_blob starts "
               f"{head.hex()} and ends {tail.hex(' ')}, expected a5 ... 00 00 00 5a", machine)


def too_big_kernel_refused(step):
    size = 460 * 1024
    folder = copy_step(step, {"big_blob.c": BLOB.format(size=size, last=size - 1)}, build=True)
    try:
        make(folder, "all")
    except Failure as failure:
        expect("kernel too large" in failure.message,
               "the build failed, but without saying 'kernel too large':\n" + failure.message)
        return
    raise Failure("wrong output", f"a {size // 1024} KiB kernel built without complaint; "
                  "the boot sector cannot load all of it")


def builds_clean(step, cc):
    """With clang, in a copy inside the course; with gcc, in the copy standing
    alone (the build that make run does there, see lone_copy). Both copies are
    kept from run to run (kept_copy), and what make does not redo printed no
    warning when it was made: -Werror stops a C file that warns, and any other
    warning fails this check, after which the copy starts afresh (forget)."""
    if cc == "gcc":
        folder, status, output = lone_copy(step)
        if HEADLESS not in output:
            tail = "\n".join(output.splitlines()[-25:])
            raise Failure("build failed", f"`make run CC=gcc` in a lone copy failed:\n{tail}")
        output = output.split(HEADLESS)[0]
        clean_build_checks(folder, cc, output)
        return
    with kept_copy("clang", step) as folder:
        try:
            output = make(folder, "all", cc=cc)
        except Failure:
            forget(folder)
            raise
        clean_build_checks(folder, cc, output)


def clean_build_checks(folder, cc, output):
    """No warning in make's output, and no header from outside."""
    try:
        warnings = [line for line in output.splitlines() if "warning" in line.lower()]
        expect(not warnings, f"CC={cc} printed warnings:\n" + "\n".join(warnings))
        headers_are_own(folder, cc)
    except Failure:
        forget(folder)
        raise


@functools.lru_cache(maxsize=None)
def compiler_include(cc):
    """The compiler's own header folder: stddef.h, stdint.h and the like."""
    version = subprocess.run([cc, "--version"], stdout=subprocess.PIPE, text=True).stdout
    ask = ["-print-resource-dir"] if "clang" in version else ["-print-file-name=include"]
    answer = subprocess.run([cc, *ask], stdout=subprocess.PIPE, text=True).stdout.strip()
    return os.path.realpath(os.path.join(answer, "include") if "clang" in version else answer)


def dependencies(folder):
    """Every file that a kernel object was built from, from the build/**/*.d
    files that the compiler writes with -MD: {object: [absolute paths]}."""
    found = {}
    for root, _, files in os.walk(os.path.join(folder, "build")):
        for name in sorted(f for f in files if f.endswith(".d")):
            with open(os.path.join(root, name)) as f:
                text = f.read().replace("\\\n", " ")
            rule = text.split("\n\n")[0]
            target, _, sources = rule.partition(":")
            found[target.strip()] = [os.path.realpath(os.path.join(folder, path))
                                     for path in sources.split()]
    return found


def headers_are_own(folder, cc):
    """No kernel object depends on a header outside its step folder and the
    compiler's own include folder: the host's /usr/include is never read."""
    deps = dependencies(folder)
    expect(deps, f"make CC={cc} wrote no build/*.d files: the kernel is not built with -MD")
    allowed = (os.path.realpath(folder) + os.sep, compiler_include(cc) + os.sep)
    outside = sorted({f"{path}  (for {target})" for target, paths in deps.items()
                      for path in paths if not path.startswith(allowed)})
    expect(not outside, f"with CC={cc} the kernel reads headers from outside its folder and "
           f"the compiler's own {allowed[1]}:\n  " + "\n  ".join(outside[:12]))


def path_without(*commands):
    """A PATH under which the given commands are missing and all else is found."""
    folder = tempfile.mkdtemp(prefix="ostest-path-")
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            link = os.path.join(folder, name)
            if name not in commands and not os.path.lexists(link):
                os.symlink(os.path.join(directory, name), link)
    return folder


def run_until_ready(folder, step, *words):
    """`make run` headless in folder, ended as soon as the ready line shows.

    Headless, the Makefile runs QEMU under `timeout RUN_SECONDS` and counts
    timeout's status 124 as success. SIGALRM is the signal timeout's own
    timer sends it: given early, timeout ends QEMU and exits with 124 just
    as when the time is up, so make's status is the one a learner gets."""
    run = subprocess.Popen(["make", "-C", folder, "run", "RUN_SECONDS=60", *words],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True,
                           env=dict(os.environ, DISPLAY="", WAYLAND_DISPLAY=""))
    seen = []
    for line in run.stdout:
        seen.append(line)
        if f"{step}: ready" in line:
            for pid in descendants(run.pid):
                try:
                    with open(f"/proc/{pid}/comm") as f:
                        if f.read().strip() == "timeout":
                            os.kill(pid, signal.SIGALRM)
                except (OSError, ProcessLookupError):
                    pass
    return run.wait(timeout=60), "".join(seen)


HEADLESS = "No display and no terminal"     # the lone Makefile's line before QEMU starts


def lone_copy(step):
    """The step copied out on its own, with no tools/ beside it, where
    `make run CC=gcc` builds it and boots it headless until its ready line.
    Done once in a test run for the two checks that look at it (which may
    run in two processes): (folder, make's status, its output). The copy is
    kept from run to run (kept_copy), so make rebuilds only what changed."""
    done = os.path.join(os.environ["OS_TEST_RUN"], "alone", os.path.basename(step_dir(step)))
    os.makedirs(os.path.dirname(done), exist_ok=True)
    with open(done + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(done + ".out"):
            with kept_copy("alone", step, tools=False) as folder:
                status, out = run_until_ready(folder, step, "CC=gcc")
                if status != 0 or HEADLESS not in out:
                    forget(folder)
            with open(done + ".out", "w") as f:
                f.write(f"{folder}\n{status}\n{out}")
    with open(done + ".out") as f:
        folder, status, out = f.read().split("\n", 2)
    return folder, int(status), out


def stands_alone(step):
    """The step folder copied out on its own, with no tools/ beside it:
    make run builds it and boots it (headless: the serial output until the
    ready line), and with a tool missing make names the package to install."""
    alone, status, out = lone_copy(step)
    tail = "\n".join(out.splitlines()[-20:])
    expect(status == 0, f"`make run` in a lone copy of {step} failed:\n{tail}")
    expect(f"{step}: ready" in out,
           f"`make run` in a lone copy of {step} did not print '{step}: ready':\n{tail}")
    # make checks its tools before anything else, even with a build there.
    result = subprocess.run(["make", "-C", alone, "all"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PATH=path_without("nasm")))
    expect(result.returncode != 0 and "apt-get install nasm" in result.stdout,
           "with nasm missing, `make` in a lone step folder should stop and say "
           f"'sudo apt-get install nasm'; it printed:\n{result.stdout[-1500:]}")


def boots_under_bochs(step):
    image = os.path.join(step_dir(step), "build", "os.img")
    with Bochs(image, reproduce=make_command(step_dir(step), "bochs")) as machine:
        machine.wait_for(f"{step}: ready", timeout=60)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_stops_at_kmain(step):
    """tools/debug, as `make debug` runs it, with gdb in batch mode."""
    folder = step_dir(step)
    build = os.path.join(folder, "build")
    env = dict(os.environ, GDB_PORT=str(free_port()), DISPLAY="")
    command = [os.path.join(os.path.dirname(folder), "tools", "debug"),
               os.path.join(build, "os.img"), os.path.join(build, "kernel.elf"),
               "-batch", "-ex", "printf \"cs=%x\\n\", $cs", "-ex", "info symbol $pc",
               "-ex", "x/2xb 0x7dfe"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=60, env=env)
    out = result.stdout
    expect(re.search(r"^kmain( \+ \d+)? in section \.text", out, re.M),
           "gdb did not stop in kmain:\n" + out)
    cs = re.search(r"cs=([0-9a-f]+)", out)
    expect(cs and cs.group(1) == "8", "CS is not 0x8 (the kernel code segment) in kmain:\n" + out)
    expect(re.search(r"0x7dfe:\s+0x55\s+0xaa", out),
           "gdb could not read the boot signature at 0x7dfe:\n" + out)


def changed_files(previous, current):
    """Files of current that are new or differ from previous's copy."""
    changed = []
    for root, dirs, files in os.walk(current):
        dirs[:] = [d for d in dirs if d != "build"]
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, current)
            if rel == "README.md":
                continue
            old = os.path.join(previous, rel)
            if not os.path.exists(old) or open(old, "rb").read() != open(path, "rb").read():
                changed.append(rel)
    return sorted(changed)


def listed_changes(folder):
    """The file names in backticks under the README's 'Changes from' heading."""
    with open(os.path.join(folder, "README.md")) as f:
        text = f.read()
    section = re.search(r"^## Changes from step\d\d.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not section:
        return None
    # Each bullet starts with its files in backticks, then a colon.
    heads = re.findall(r"^- (.*?):", section.group(1), re.M)
    return {name for head in heads for name in re.findall(r"`([^`\s]+)`", head)}


def student_file(path):
    """Whether path is a student's copy of a file with an exercise (tools/workshop)."""
    if not os.path.isfile(path):
        return False
    with open(path, errors="replace") as f:
        return bool(exercises.student_regions(f.read()))


def step_rule(step, previous):
    current, before = step_dir(step), step_dir(previous)
    listed = listed_changes(current)
    expect(listed is not None, f"{os.path.basename(current)}/README.md has no "
           f"'## Changes from {previous}' section listing the files it adds or changes")
    unlisted = [f for f in changed_files(before, current) if f not in listed]
    student = [f for f in unlisted if student_file(os.path.join(current, f))]
    expect(not student, f"these files differ from {previous}'s copy: {', '.join(student)}. "
           f"Write each exercise in its own step, between its TODO comment and END line, "
           f"and run make carry: it copies your solutions into the later steps")
    expect(not unlisted, f"these files differ from {previous}'s copy but the README does not "
           f"list them: {', '.join(unlisted)}. List them, or carry the change back so the "
           f"copies match (see tools/stepdiff {step[4:]})")
    removed = [f for f in changed_files(current, before) if not os.path.exists(os.path.join(current, f))]
    stale = [f for f in listed if not os.path.exists(os.path.join(current, f)) and f not in removed]
    expect(not stale, f"the README lists files that {step} does not have: {', '.join(stale)}")


# Each check runs for every finished step: the `step` parameter is its group.
each_step = pytest.mark.parametrize("step", STEPS)


@each_step
@pytest.mark.title("image: boot signature, whole sectors, kernel after the boot sector")
def test_image(built, step):
    built(step)
    image_checks(step)


@each_step
@pytest.mark.title("loader: a kernel near the 448 KiB limit is loaded to its last byte")
def test_big_kernel_loads_whole(built, step):
    built(step)
    big_kernel_loads_whole(step)


@each_step
@pytest.mark.title("loader: a kernel too big to load stops the build")
def test_too_big_kernel_refused(built, step):
    built(step)
    too_big_kernel_refused(step)


@each_step
@pytest.mark.parametrize("cc", ["clang", "gcc"])
@pytest.mark.title("builds warning-free with CC={cc}, from its own and the compiler's headers only")
def test_builds_clean(step, cc):
    builds_clean(step, cc)


@each_step
@pytest.mark.title("copied out alone: make run builds and boots it, a missing tool is named")
def test_stands_alone(step):
    stands_alone(step)


@each_step
@pytest.mark.title("boots under Bochs")
def test_boots_under_bochs(built, step):
    built(step)
    boots_under_bochs(step)


@each_step
@pytest.mark.title("make debug: gdb stops at kmain and reads memory")
def test_gdb_stops_at_kmain(built, step):
    built(step)
    gdb_stops_at_kmain(step)


@pytest.mark.parametrize("step,previous", list(zip(STEPS[1:], STEPS)))
@pytest.mark.title("step-to-step rule: changes from {previous} are listed")
def test_step_rule(step, previous):
    step_rule(step, previous)
