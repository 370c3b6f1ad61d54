#!/usr/bin/env python3
"""bench.py: every step against the physical floor, measured in one run.

    python3 bench/bench.py [--quick] [--runs N] [--bochs-runs N] [--build-runs N]
                           [--browser-runs N] [--out DIR] [--heap-args "heap_bench options"]

`make bench` runs it. It prints one table on stdout (progress goes to stderr),
writes the same table as Markdown to DIR/results.md and a plot of the boot
ratios and kernel sizes to DIR/results.svg. DIR is bench/ unless --out says
otherwise. bench/README.md explains each figure and how it is measured.

The figures: boot to "stepNN: ready" under QEMU and under Bochs, against a
boot sector that only ends the emulator (floor.asm); Bochs' tick count at
ready; the clean build time with clang and with gcc; the kernel's size; the
lines of code; the allocator benchmark (heap_bench); step06's boot to ready in
the book's chapter 6 page, in v86 in headless Chromium (browser_boot); and,
in a fresh copy of the course, `make test`'s wall time and count and each
step's `make grade` time, in the course and in a student tree (`make workshop`)."""

import argparse
import datetime
import math
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import xml.sax.saxutils

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests"))
import exercises  # noqa: E402  (the exercises' regions in a student tree)
import harness  # noqa: E402  (the Bochs configuration and copy_step, shared with the tests)

FLOOR_IMAGE = os.path.join(HERE, "build", "floor.img")
HEAP_BENCH = os.path.join(HERE, "build", "heap_bench")
TEST_SUMMARY = re.compile(r"^=* ?((?:\d+ \w+(?:, )?)+) in [\d.]+s", re.M)
COPY_SKIP = ("build", "out", "__pycache__", ".git", ".pytest_cache")

GOAL = 1.25                 # boot to ready under QEMU, at most this times the floor
STEP01_BUDGET = 150         # lines of code, by the rule in code_lines()
STEP06_BUDGET = 3200         # step06's kernel, its user programs not counted,
STEP06_OVER_STEP05 = 1400    # and what that kernel adds to step05's
FILE_BUDGET = 400
FLOOR_STATUS = 33           # QEMU's exit status after floor.asm writes 0x10 to isa-debug-exit
POLL = 0.002                # seconds between looks at the serial output
QEMU_TIMEOUT = 30
BOCHS_TIMEOUT = 60
QUICK_HEAP_ARGS = ["-n", "20000", "-r", "1"]
COMPILERS = ("clang", "gcc")

# The harness's command line (tests/harness/emulators.py, Qemu.start) without what a
# timing has no use for: the -d int log, which slows QEMU, and the QMP
# socket, which nothing here talks to.
QEMU = ["qemu-system-i386", "-display", "none", "-no-reboot", "-no-shutdown", "-m", "32M",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


class BenchError(Exception):
    """A measurement that could not be made; the report says why."""


def say(text):
    """Progress, on stderr, so stdout holds only the table."""
    print(f"bench: {text}", file=sys.stderr, flush=True)


def plain_env():
    """The environment without make's own variables: under `make bench -j2`
    MAKEFLAGS would pass -j on to the builds being timed."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def make(directory, *arguments):
    command = ["make", "-C", directory, *arguments]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=plain_env())
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-15:])
        raise BenchError(f"`{' '.join(command)}` failed:\n{tail}")


def steps():
    """The finished steps: every stepNN-*/ with a Makefile, as the tests find them."""
    return [name for name in sorted(os.listdir(TOP))
            if re.match(r"step\d\d-", name) and os.path.exists(os.path.join(TOP, name, "Makefile"))]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except FileNotFoundError:
        return ""


def watch(proc, start, serial, tag, timeout):
    """Seconds from start until tag appears in the serial file, or, with no
    tag (the floor), until the emulator exits. Polls every POLL seconds."""
    while True:
        if tag is None:
            if proc.poll() is not None:
                return time.monotonic() - start
        elif tag in read(serial):
            return time.monotonic() - start
        elif proc.poll() is not None:
            raise BenchError(f"the emulator exited (status {proc.returncode}) before {tag!r}")
        if time.monotonic() - start > timeout:
            raise BenchError(f"no {tag or 'exit'!r} within {timeout} s")
        time.sleep(POLL)


descendants = harness.descendants  # script starts Bochs in a session of its own


def kill(proc):
    """Kill an emulator we started, and whatever it started."""
    for pid in descendants(proc.pid) + [proc.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


# ---------------------------------------------------------------- QEMU


def qemu_boot(image, tag):
    """Seconds from starting QEMU to tag on COM1; with tag None (the floor),
    to QEMU's exit, which must be floor.asm's isa-debug-exit."""
    with tempfile.TemporaryDirectory(prefix="bench-qemu-") as d:
        command = [*QEMU, "-drive", f"format=raw,file={image},snapshot=on",
                   "-serial", f"file:{d}/serial.txt", "-debugcon", f"file:{d}/debugcon.txt"]
        with open(f"{d}/stderr.txt", "w") as stderr:
            start = time.monotonic()
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=stderr, start_new_session=True)
            try:
                seconds = watch(proc, start, f"{d}/serial.txt", tag, QEMU_TIMEOUT)
            finally:
                kill(proc)
        if tag is None and proc.returncode != FLOOR_STATUS:
            raise BenchError(f"the floor ended QEMU with status {proc.returncode}, not "
                             f"{FLOOR_STATUS}: {read(f'{d}/stderr.txt').strip()[-300:]}")
        return seconds


# ---------------------------------------------------------------- Bochs

# Bochs' serial device logs every register access at debug level, each log
# line starting with Bochs' tick count. One tick is one instruction, and
# while the CPU is halted the count jumps ahead to the next timer event; with
# `clock: sync=none` (the harness's setting) it does not depend on the host,
# so the same image gives the same count in every run.
SERIAL_LOG = "debug: action=ignore, serial=report"
SERIAL_WRITE = re.compile(r"^(\d+)d\[SER\s*\] com1 register write to\s+address: 0x03f([8b]) "
                          r"= 0x([0-9a-f]+)", re.M)
SHUTDOWN = re.compile(r"^(\d+)\w\[UNMAP\s*\] .*Shutdown port", re.M)


def bochs_config(directory, log_serial):
    """The harness's bochsrc (tests/harness/emulators.py), with the serial device's log on if asked."""
    config = harness.BOCHSRC.format(image=f"{directory}/os.img", dir=directory)
    if log_serial:
        if "debug: action=ignore\n" not in config:
            raise BenchError("the harness's bochsrc has changed: no 'debug: action=ignore' line")
        config = config.replace("debug: action=ignore\n", SERIAL_LOG + "\n")
    return config


def bochs_boot(image, tag, count_ticks=False):
    """(wall seconds, ticks) from starting Bochs to tag on COM1, or with tag
    None (the floor) to Bochs' exit. Ticks only with count_ticks, which logs
    the serial port and so makes the wall time longer."""
    with tempfile.TemporaryDirectory(prefix="bench-bochs-") as d:
        # Bochs locks its disk image with a .lock file beside it: a private copy.
        shutil.copy(image, f"{d}/os.img")
        with open(f"{d}/bochsrc", "w") as f:
            f.write(bochs_config(d, count_ticks))
        # c: run. When we interrupt it, its debugger reads the next line, q:
        # Bochs quits and writes out the rest of its log.
        with open(f"{d}/cont", "w") as f:
            f.write("c\nq\n")
        command = ["script", "-qfc", f"bochs -q -f {d}/bochsrc -rc {d}/cont", "/dev/null"]
        with open(f"{d}/terminal.txt", "wb") as terminal:
            start = time.monotonic()
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=terminal,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                seconds = watch(proc, start, f"{d}/serial.txt", tag, BOCHS_TIMEOUT)
                if not count_ticks:
                    return seconds, None
                if tag is not None:
                    for pid in descendants(proc.pid):
                        if read(f"/proc/{pid}/comm").startswith("bochs"):
                            os.kill(pid, signal.SIGINT)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    raise BenchError("Bochs did not quit when interrupted, so its log is incomplete")
            finally:
                kill(proc)
        return seconds, ticks_at(read(f"{d}/bochs.log"), tag)


def ticks_at(log, tag):
    """Bochs' tick count when the last byte of tag went to COM1, or for the
    floor (tag None) when "Shutdown" reached port 0x8900."""
    if tag is None:
        match = SHUTDOWN.search(log)
        if not match:
            raise BenchError("the floor did not shut Bochs down")
        return int(match.group(1))
    text, ticks, dlab = bytearray(), [], False
    for match in SERIAL_WRITE.finditer(log):
        tick, register, value = int(match.group(1)), match.group(2), int(match.group(3), 16)
        if register == "b":
            dlab = bool(value & 0x80)   # line control: while DLAB is set, 0x3f8 is the divisor
        elif not dlab:
            text.append(value)
            ticks.append(tick)
    at = text.find(tag.encode())
    if at < 0:
        raise BenchError(f"{tag!r} is not in Bochs' log of the serial port")
    return ticks[at + len(tag) - 1]


# ---------------------------------------------------------------- builds


def build_time(step, cc):
    """Seconds for `make clean all CC=cc` in a fresh copy of the step, so the
    step's own build/ is left alone (tests may be using it)."""
    folder = harness.copy_step(step)
    try:
        start = time.monotonic()
        make(folder, "clean", "all", f"CC={cc}")
        return time.monotonic() - start
    finally:
        shutil.rmtree(os.path.dirname(folder), ignore_errors=True)


# ---------------------------------------------------------------- lines of code


def c_code_lines(text):
    """Lines of C that hold something besides comments and blanks. A /* */
    comment may span lines; quotes are skipped so a "/*" in a string is not
    taken for a comment."""
    count, in_comment = 0, False
    for line in text.splitlines():
        code, i = "", 0
        while i < len(line):
            if in_comment:
                end = line.find("*/", i)
                if end < 0:
                    break
                in_comment, i = False, end + 2
            elif line.startswith("/*", i):
                in_comment, i = True, i + 2
            elif line.startswith("//", i):
                break
            elif line[i] in "\"'":
                j = i + 1
                while j < len(line) and line[j] != line[i]:
                    j += 2 if line[j] == "\\" else 1
                code, i = code + line[i:j + 1], j + 1
            else:
                code, i = code + line[i], i + 1
        count += bool(code.strip())
    return count


def asm_code_lines(text):
    """Lines of nasm that hold something besides a ; comment and blanks."""
    count = 0
    for line in text.splitlines():
        quote = None
        for i, char in enumerate(line):
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"`":
                quote = char
            elif char == ";":
                line = line[:i]
                break
        count += bool(line.strip())
    return count


def code_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return asm_code_lines(text) if path.endswith(".asm") else c_code_lines(text)


def count_lines(step):
    """({'asm': n, 'c': n, 'h': n} for the step's own files, the lines of the
    programs in its subfolders (step06's user/ and musl/), {file: lines})."""
    kernel, user, per_file = {"asm": 0, "c": 0, "h": 0}, 0, {}
    root = os.path.join(TOP, step)
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "build")  # build/ is generated
        for name in sorted(names):
            kind = name.rsplit(".", 1)[-1]
            if kind not in kernel:
                continue
            path = os.path.join(folder, name)
            n = code_lines(path)
            per_file[os.path.relpath(path, TOP)] = n
            if folder == root:
                kernel[kind] += n
            else:
                user += n
    return kernel, user, per_file


def all_lines(names):
    """{image: {'asm', 'c', 'h', 'user': lines}} for the floor and the steps,
    and {file: lines} for every file counted."""
    floor = code_lines(os.path.join(HERE, "floor.asm"))
    lines = {"floor": {"asm": floor, "c": None, "h": None, "user": None}}
    files = {"bench/floor.asm": floor}
    for name in names:
        kernel, user, per_file = count_lines(name)
        files.update(per_file)
        lines[name] = {**kernel, "user": user or None}
    return lines, files


# ---------------------------------------------------------------- the run


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(value, floor):
    return value / floor if value is not None and floor else None


def first_line(command):
    try:
        out = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


def machine_facts():
    cpu = re.search(r"^model name\s*:\s*(.*)$", read("/proc/cpuinfo"), re.M)
    bochs = re.search(r"Bochs x86 Emulator (\S+)", first_line(["sh", "-c", "bochs --help 2>&1 | "
                                                                "grep 'Bochs x86 Emulator'"]))
    qemu = re.search(r"version (\S+)", first_line(["qemu-system-i386", "--version"]))
    cc = "clang" if "clang" in first_line(["cc", "--version"]) else "gcc"
    return (f"{cpu.group(1) if cpu else 'unknown CPU'}, {os.cpu_count()} cores, load "
            f"{os.getloadavg()[0]:.2f} at the start; QEMU {qemu.group(1) if qemu else '?'}, "
            f"Bochs {bochs.group(1) if bochs else '?'}, {first_line(['clang', '--version'])}, "
            f"{first_line(['gcc', '--version'])}; cc is {cc}")


def interleaved(what, runs, names, measure, errors, label=lambda name: name[:6]):
    """runs rounds of measure(name) over names, one name after the other in
    each round, so a busy spell of the machine falls on all of them alike.
    Returns {name: [seconds or None, ...]}; failures go into errors."""
    times = {name: [] for name in names}
    for run in range(runs):
        for name in names:
            try:
                times[name].append(measure(name))
            except BenchError as error:
                times[name].append(None)
                errors.setdefault(f"{what}, {label(name)}", str(error))
        say(f"{what} {run + 1}/{runs}: " + ", ".join(
            f"{label(name)} {ms(times[name][-1])}" for name in names))
    return times


def browser_boot(runs, image, qemu_seconds):
    """step06 in the book's own chapter 6 page, opened from disk in headless
    Chromium: the page's figures (tests/test_book_live.py reads them) for runs
    boots, each in a fresh page load. Returns a sentence for the notes."""
    sys.path.insert(0, os.path.join(TOP, "book"))
    import build as book_build      # noqa: E402  (book/build.py: that page and its machine)
    import test_book_live as book_live  # noqa: E402  (tests/test_book_live.py: drive the page)
    chapter = next(c for c in book_build.chapters() if c[0].startswith("06-"))
    out = tempfile.mkdtemp(prefix="bench-book-")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-book-tmp-") as tmp:
            # The page boots the image measured under QEMU in this run.
            book_build.build_html([chapter], out, tmp, images={"06": image})
        driver = book_live.start_browser(book_live.import_selenium())
        boots, loads = [], []
        try:
            for _ in range(runs):
                book_live.open_page(driver, os.path.join(out, chapter[0] + ".html"))
                figures = book_live.boot(driver, "06")
                boots.append(figures["boot_ms"] / 1000)
                loads.append(figures["load_ms"] / 1000)
        finally:
            driver.quit()
    except harness.Failure as failure:
        raise BenchError(str(failure).splitlines()[0])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    boot, load = median(boots), median(loads)
    versus = f", {ratio(boot, qemu_seconds):.1f}× QEMU's in this run" if qemu_seconds else ""
    return (f"In the browser: step06 boots to ready in {ms(boot)} in chapter 6's page "
            f"(v86 in headless Chromium, the page opened from disk; median of "
            f"{plural(runs, 'boot')}, each in a fresh page load{versus}), after {ms(load)} from "
            f"the click to its first instruction (the scripts, the WebAssembly, the BIOS).")


def ms(seconds):
    return "failed" if seconds is None else f"{seconds * 1000:.0f} ms"


def measure_all(args):
    started = time.monotonic()
    names = steps()
    facts = machine_facts()

    say("building the floor, heap_bench and each step (in a fresh copy, with make's CC=cc)")
    make(HERE, "all")
    # The images measured are the bench's own builds, in a folder of its own:
    # a step's build/ may come from either compiler (make does not rebuild
    # when CC changes) and may be rebuilt by someone else while we measure.
    snapshot = tempfile.mkdtemp(prefix="bench-images-")
    images = {"floor": shutil.copy(FLOOR_IMAGE, os.path.join(snapshot, "floor.img"))}
    sizes = {"floor": os.path.getsize(os.path.join(HERE, "build", "floor.bin"))}
    for name in names:
        built = os.path.join(TOP, name, "build")
        if args.prebuilt and all(os.path.exists(os.path.join(built, f))
                                 for f in ("os.img", "kernel.bin")):
            # --prebuilt (the tests' quick run): the step's own build, as it is.
            images[name] = shutil.copy(os.path.join(built, "os.img"),
                                       os.path.join(snapshot, f"{name}.img"))
            sizes[name] = os.path.getsize(os.path.join(built, "kernel.bin"))
            continue
        folder = harness.copy_step(name[:6])
        try:
            make(folder, "all")
            images[name] = shutil.copy(os.path.join(folder, "build", "os.img"),
                                       os.path.join(snapshot, f"{name}.img"))
            sizes[name] = os.path.getsize(os.path.join(folder, "build", "kernel.bin"))
        finally:
            shutil.rmtree(os.path.dirname(folder), ignore_errors=True)
    try:
        return measure_images(args, names, images, sizes, facts, started)
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)


def timed_make(folder, *arguments):
    """Seconds for `make ARGUMENTS` in folder, and its output."""
    start = time.monotonic()
    result = subprocess.run(["make", "--no-print-directory", "-C", folder, *arguments],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=plain_env())
    return time.monotonic() - start, result.stdout


def test_times(names, errors):
    """make test in a fresh copy of the course (nothing built), then make grade
    STEP=NN for each step there and in a student tree made from the copy."""
    root = tempfile.mkdtemp(prefix="bench-course-")
    try:
        course = os.path.join(root, "course")
        shutil.copytree(TOP, course, ignore=shutil.ignore_patterns(*COPY_SKIP), symlinks=True)
        say("make test, in a fresh copy of the course")
        seconds, out = timed_make(course, "test")
        summary = TEST_SUMMARY.findall(out)
        if not summary:
            errors["make test"] = "no pytest summary line:\n" + "\n".join(out.splitlines()[-10:])
        result = {"seconds": seconds, "summary": summary[-1] if summary else "",
                  "grade": {}, "student": {}, "again": {}}
        student = os.path.join(root, "student")
        seconds_w, out = timed_make(course, "workshop", f"OUT={student}")
        for name in names:
            say(f"make grade STEP={name[4:6]}, in the copy and in its student tree (twice)")
            result["grade"][name] = timed_make(course, "grade", f"STEP={name[4:6]}")[0]
            # The student tree builds the step first, as a student's first grade does.
            result["student"][name] = timed_make(student, "grade", f"STEP={name[4:6]}")[0]
            # Then the loop: an edit, and make grade again.
            edit_exercise_file(student, name)
            result["again"][name] = timed_make(student, "grade", f"STEP={name[4:6]}")[0]
        return result
    finally:
        shutil.rmtree(root, ignore_errors=True)


def edit_exercise_file(top, name):
    """A student's edit: a line added at the end of the file that holds the
    step's first exercise (a file of the step, not a later step's copy)."""
    folder = os.path.join(top, name)
    for file in sorted(os.listdir(folder)):
        path = os.path.join(folder, file)
        if not file.endswith((".c", ".h", ".asm")):
            continue
        with open(path) as f:
            text = f.read()
        if any(eid.startswith(name[:6]) for eid, _, _ in exercises.student_regions(text)):
            with open(path, "a") as f:
                f.write("\n" if file.endswith(".asm") else "/* edited */\n")
            return
    raise BenchError(f"no exercise of {name[:6]} in the student tree's {name}/")


def measure_images(args, names, images, sizes, facts, started):
    errors = {}
    quick = args.quick
    tags = {"floor": None, **{n: f"{n[:6]}: ready" for n in names}}
    order = list(images)

    say(f"QEMU, boot to ready, {args.runs} rounds")
    qemu = interleaved("QEMU", args.runs, order, lambda n: qemu_boot(images[n], tags[n]), errors)

    bochs = {}
    if not quick:
        say(f"Bochs, boot to ready, {args.bochs_runs} rounds")
        bochs = interleaved("Bochs", args.bochs_runs, order,
                            lambda n: bochs_boot(images[n], tags[n])[0], errors)

    say("Bochs, ticks to ready (one run each: the count is the same every time)")
    ticks = {}
    for name in order:
        try:
            seconds, ticks[name] = bochs_boot(images[name], tags[name], count_ticks=True)
            if quick:   # one boot: its time is the logging run's, longer than a plain boot
                bochs[name] = [seconds]
        except BenchError as error:
            ticks[name] = None
            bochs.setdefault(name, [])
            errors[f"Bochs ticks, {name}"] = str(error)
    say("Bochs ticks: " + ", ".join(f"{n[:6]} {t}" for n, t in ticks.items()))

    # Quick mode times one step's builds: enough to run the code, not to compare.
    build_steps = names[:1] if quick else names
    say(f"clean builds of {', '.join(s[:6] for s in build_steps)} with clang and gcc, "
        f"{args.build_runs} rounds")
    builds = interleaved("builds", args.build_runs,
                         [(s, cc) for s in build_steps for cc in COMPILERS],
                         lambda sc: build_time(sc[0][:6], sc[1]), errors,
                         label=lambda sc: f"{sc[0][:6]} {sc[1]}")

    browser = None
    step06 = next((n for n in names if n.startswith("step06")), None)
    if step06 and args.browser_runs:
        say(f"the browser: step06 in chapter 6's page, {args.browser_runs} boots")
        try:
            browser = browser_boot(args.browser_runs, images[step06], median(qemu[step06]))
        except Exception as error:  # BenchError, or Selenium's own
            errors["step06 in the browser"] = str(error).strip().splitlines()[0]
        say(browser or "the browser: not measured")

    say("lines of code")
    lines, files = all_lines(names)

    heap_args = QUICK_HEAP_ARGS if quick else shlex.split(args.heap_args)
    say(" ".join(["heap_bench", *heap_args]) + ": the kernel heap against glibc malloc")
    heap = subprocess.run([HEAP_BENCH, *heap_args], stdout=subprocess.PIPE, text=True)
    if heap.returncode != 0:
        errors["heap_bench"] = f"exited with status {heap.returncode}"

    qemu_floor, bochs_floor = median(qemu["floor"]), median(bochs["floor"])
    build_medians = {sc: median(t) for sc, t in builds.items()}
    fastest = min((t for t in build_medians.values() if t is not None), default=None)
    fastest_name = next((f"{s[:6]} {cc}" for (s, cc), t in build_medians.items() if t == fastest), "")
    rows = []
    for name in order:
        q, b = median(qemu[name]), median(bochs[name])
        build = {cc: build_medians.get((name, cc)) for cc in COMPILERS}
        count = lines[name]
        rows.append({
            "name": name,
            "qemu": q, "qemu_ratio": ratio(q, qemu_floor),
            "bochs": b, "bochs_ratio": ratio(b, bochs_floor),
            "ticks": ticks[name], "ticks_ratio": ratio(ticks[name], ticks["floor"]),
            **{cc: build[cc] for cc in COMPILERS},
            **{cc + "_ratio": ratio(build[cc], fastest) for cc in COMPILERS},
            "size": sizes[name], **count,
            "lines": sum(v for v in count.values() if v is not None),
        })
    return {
        "rows": rows, "files": files, "errors": errors, "facts": facts, "quick": quick,
        "browser": browser,
        "runs": (args.runs, args.bochs_runs, args.build_runs), "build_steps": build_steps,
        "fastest": fastest_name, "heap": heap.stdout.rstrip(), "heap_args": heap_args,
        "tests": None if quick else test_times(names, errors),
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "seconds": time.monotonic() - started,
    }


# ---------------------------------------------------------------- the report

COLUMNS = [  # (heading, key, format); "×" columns are ratios to the floor or the fastest build
    ("image", "name", "{}"),
    ("QEMU ms", "qemu", "ms"), ("×floor", "qemu_ratio", "{:.2f}"), (f"≤{GOAL}×", "goal", "{}"),
    ("Bochs ms", "bochs", "ms"), ("×floor", "bochs_ratio", "{:.2f}"),
    ("Bochs Mticks", "ticks", "Mticks"), ("×floor", "ticks_ratio", "{:.3f}"),
    ("clang s", "clang", "{:.2f}"), ("×fastest", "clang_ratio", "{:.1f}"),
    ("gcc s", "gcc", "{:.2f}"), ("×fastest", "gcc_ratio", "{:.1f}"),
    ("kernel bytes", "size", "{}"),
    ("asm", "asm", "{}"), ("C", "c", "{}"), ("h", "h", "{}"), ("user", "user", "{}"),
    ("lines", "lines", "{}"),
]


def cell(row, key, form):
    if key == "goal":
        if row["name"] == "floor":
            return "–"
        return "–" if row["qemu_ratio"] is None else ("met" if row["qemu_ratio"] <= GOAL else "missed")
    value = row[key]
    if value is None:
        return "–"
    if form == "ms":
        return f"{value * 1000:.0f}"
    if form == "Mticks":
        return f"{value / 1e6:.3f}"
    return form.format(value)


def table_cells(result):
    return [[cell(row, key, form) for _, key, form in COLUMNS] for row in result["rows"]]


def text_table(result):
    headings = [heading for heading, _, _ in COLUMNS]
    body = table_cells(result)
    widths = [max(len(r[i]) for r in [headings] + body) for i in range(len(COLUMNS))]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return "\n".join([line(headings)] + [line(r) for r in body])


def markdown_table(result):
    headings = [heading for heading, _, _ in COLUMNS]
    body = table_cells(result)
    rule = ["---"] + ["--:"] * (len(COLUMNS) - 1)
    return "\n".join("| " + " | ".join(r) + " |" for r in [headings, rule] + body)


def notes(result):
    """The sentences under the table: goals, budgets, make test, what was not measured."""
    steps_only = [r for r in result["rows"] if r["name"] != "floor"]
    out = []

    missed = [r["name"] for r in steps_only if r["qemu_ratio"] is None or r["qemu_ratio"] > GOAL]
    out.append(f"QEMU boot goal, at most {GOAL}× the floor: met by "
               f"{len(steps_only) - len(missed)} of {len(steps_only)} steps"
               + (f"; missed (or not measured) by {', '.join(missed)}." if missed else "."))

    def kernel(row):
        return sum(row[key] or 0 for key in ("asm", "c", "h"))

    def verdict(lines, budget):
        return "within budget" if lines <= budget else "OVER BUDGET"

    rows = {r["name"][:6]: r for r in steps_only}
    if "step01" in rows:
        row = rows["step01"]
        out.append(f"{row['name']}: {row['lines']} lines ({row['asm']} asm + {row['c']} C), "
                   f"budget {STEP01_BUDGET:,}: {verdict(row['lines'], STEP01_BUDGET)}.")
    if "step06" in rows:
        row, lines = rows["step06"], kernel(rows["step06"])
        line = (f"{row['name']}: a kernel of {lines:,} lines ({row['asm']} asm + {row['c']} C + "
                f"{row['h']} h; its user programs, {row['user'] or 0:,} more, are not counted), "
                f"budget {STEP06_BUDGET:,}: {verdict(lines, STEP06_BUDGET)}")
        if "step05" in rows:
            added = lines - kernel(rows["step05"])
            line += (f"; {added:,} more than step05's, budget {STEP06_OVER_STEP05:,}: "
                     f"{verdict(added, STEP06_OVER_STEP05)}")
        out.append(line + ".")
    big = {f: n for f, n in result["files"].items() if n > FILE_BUDGET}
    out.append(f"Files over {FILE_BUDGET} lines: " +
               (", ".join(f"{f} ({n}) OVER BUDGET" for f, n in big.items()) if big else "none") +
               f" (largest: {max(result['files'], key=result['files'].get)}, "
               f"{max(result['files'].values())}).")

    tests = result["tests"]
    if tests:
        out.append(f"make test: {tests['seconds']:.0f} s, {tests['summary'] or 'no summary'} "
                   f"(a fresh copy of the course, nothing built; target at most 60 s).")
        out.append("make grade STEP=NN, course / student tree / student tree again: " + ", ".join(
            f"{n[:6]} {tests['grade'][n]:.1f} / {tests['student'][n]:.1f} / "
            f"{tests['again'][n]:.1f} s" for n in tests["grade"]) +
            " (the course's after make test; the student tree builds each step in its first "
            "grade, and grades it again after an edit of the file that holds the step's first "
            "exercise: a student's loop; target at most 10 s).")
    else:
        out.append("make test: not measured in quick mode (make test runs the quick bench).")

    if result.get("browser"):
        out.append(result["browser"])
    qemu_runs, bochs_runs, build_runs = result["runs"]
    out.append(f"Medians of {plural(qemu_runs, 'QEMU run')} and {plural(bochs_runs, 'Bochs run')} "
               f"per image and {plural(build_runs, 'build')} per step and compiler; Bochs ticks "
               f"from one run per image (deterministic). ×fastest is against the fastest build "
               f"({result['fastest']}).")
    skipped = [r["name"] for r in steps_only if r["name"] not in result["build_steps"]]
    if skipped:
        out.append(f"Not measured in quick mode: the builds of {', '.join(skipped)}.")
    if result["quick"]:
        out.append("Quick mode: Bochs ms is the one boot that also counts ticks, which logs "
                   "the serial port and so runs longer than a plain boot.")
    if result["quick"] and not result.get("browser"):
        out.append("Not measured in quick mode: step06 in the browser (--browser-runs N).")
    for what, why in result["errors"].items():
        out.append(f"Not measured: {what}: {why}")
    out.append(f"This run took {result['seconds']:.0f} s on {result['date']}.")
    return out


def plural(n, what):
    return f"{n} {what}" + ("" if n == 1 else "s")


def markdown(result):
    legend = (
        "Boot to ready: from starting the emulator until the step prints `stepNN: ready` on "
        "COM1. The floor is `bench/floor.asm`, a boot sector that only ends the emulator: "
        "its time is the emulator's start, the BIOS and the exit, with no kernel. "
        "Bochs Mticks: millions of Bochs ticks (instructions, plus halted time) at ready, "
        "the same in every run. Builds: `make clean all` in a fresh copy, one job. "
        "Kernel bytes: `build/kernel.bin` from `make all` (CC=cc) in a fresh copy, the "
        "kernel that was booted; for the floor, its boot sector. Lines: "
        "non-blank lines that are not only a comment (bench/README.md); *user*: the programs "
        "in a step's subfolders (step06's user/ and musl/), counted in *lines* too.")
    return "\n".join([
        "# Each step against the floor",
        "",
        f"Measured by `make bench`{' (quick mode)' if result['quick'] else ''} on "
        f"{result['date']}: {result['facts']}.",
        "",
        markdown_table(result),
        "",
        legend,
        "",
        *[f"- {n}" for n in notes(result)],
        "",
        "![Boot ratio and kernel size per step](results.svg)",
        "",
        "## The kernel heap against glibc malloc",
        "",
        "`" + " ".join(["bench/build/heap_bench", *result["heap_args"]]) + "`",
        "",
        "```",
        result["heap"] or "(no output)",
        "```",
        "",
    ])


def text_report(result):
    return "\n".join([
        f"Each step against the floor{' (quick mode)' if result['quick'] else ''}, "
        f"{result['date']}: {result['facts']}",
        "",
        text_table(result),
        "",
        *notes(result),
        "",
        result["heap"] or "heap_bench: no output",
    ])


# ---------------------------------------------------------------- the plot

COLOURS = {"qemu_ratio": "#3b6fb6", "bochs_ratio": "#e08a2c", "ticks_ratio": "#9a9a9a"}
LABELS = {"qemu_ratio": f"QEMU, wall time (goal ≤ {GOAL}×)", "bochs_ratio": "Bochs, wall time",
          "ticks_ratio": "Bochs, ticks"}


class Svg:
    """Just enough SVG for two bar charts, so no plotting library is needed."""

    def __init__(self, width, height):
        self.width, self.height, self.parts = width, height, []

    def text(self, x, y, s, size=12, anchor="middle", bold=False, fill="#222"):
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
                          f'text-anchor="{anchor}" font-weight="{"bold" if bold else "normal"}" '
                          f'fill="{fill}">{xml.sax.saxutils.escape(s)}</text>')

    def line(self, x1, y, x2, colour="#ddd", dash=None):
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" '
                          f'stroke="{colour}" stroke-width="1.2"{extra}/>')

    def rect(self, x, y, w, h, colour):
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                          f'height="{max(h, 0):.1f}" fill="{colour}"/>')

    def render(self):
        return "\n".join([
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" '
            f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" '
            f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">',
            f'<rect width="{self.width}" height="{self.height}" fill="white"/>',
            *self.parts, "</svg>", ""])


def svg_plot(result):
    """Two panels: boot to ready over the floor's (QEMU, Bochs, Bochs ticks),
    and kernel size on a log scale, per step. The reference lines (floor,
    goal) are named in the right margin, where no bar can hide the name."""
    rows = [r for r in result["rows"] if r["name"] != "floor"]
    floor = next(r for r in result["rows"] if r["name"] == "floor")
    svg = Svg(900, 600)
    left, right = 60, 800                   # the plot area; the margin beyond holds names
    group = (right - left) / len(rows)
    svg.text(450, 24, f"Each step against the floor ({result['date']})", 16, bold=True)

    # Panel 1: boot to ready, × the floor. The bars start at 0 so their lengths compare.
    top, bottom = 95, 295
    ratios = [r[k] for r in rows for k in COLOURS if r[k] is not None]
    y_max = max([1.5] + [v * 1.12 for v in ratios])
    tick = 0.25 if y_max <= 2.5 else 0.5 if y_max <= 5 else 1.0

    def y_ratio(v):
        return bottom - (bottom - top) * v / y_max
    svg.text(left, 52, "Boot to ready, × the floor (a boot sector that only ends the emulator)",
             13, anchor="start", bold=True)
    x = left
    for key in COLOURS:
        svg.rect(x, 63, 12, 12, COLOURS[key])
        svg.text(x + 18, 73, LABELS[key], 11, anchor="start")
        x += 18 + 7 * len(LABELS[key]) + 30     # about 7 px a character at 11 px
    for i in range(int(y_max / tick) + 1):
        svg.line(left, y_ratio(i * tick), right)
        svg.text(left - 8, y_ratio(i * tick) + 4, f"{i * tick:.2f}", 11, anchor="end")
    svg.line(left, y_ratio(1.0), right, "#444", "4 3")
    svg.text(right + 8, y_ratio(1.0) + 4, "floor", 11, anchor="start", fill="#444")
    svg.line(left, y_ratio(GOAL), right, "#c0392b", "6 3")
    svg.text(right + 8, y_ratio(GOAL) + 4, f"goal {GOAL}×", 11, anchor="start", fill="#c0392b")
    bar = group / 4
    for i, row in enumerate(rows):
        x0 = left + (i + 0.5) * group - 1.5 * bar
        for j, key in enumerate(COLOURS):
            if row[key] is not None:
                x, y = x0 + j * bar, y_ratio(row[key])
                svg.rect(x + 2, y, bar - 4, bottom - y, COLOURS[key])
                svg.text(x + bar / 2, y - 4, f"{row[key]:.2f}", 10)
        svg.text(left + (i + 0.5) * group, bottom + 18, row["name"], 12)

    # Panel 2: kernel size on a log scale, so step01's few hundred bytes and
    # step06's hundreds of kilobytes are both readable.
    top, bottom = 375, 560
    sizes = [r["size"] for r in rows] + [floor["size"]]
    low = math.log10(10 ** math.floor(math.log10(min(sizes))))
    high = math.log10(max(sizes) * 2)       # room above the tallest bar for its label

    def y_size(v):
        return bottom - (bottom - top) * (math.log10(v) - low) / (high - low)
    svg.text(left, 352, "Kernel image size (build/kernel.bin), log scale", 13, anchor="start",
             bold=True)
    decade = 10 ** round(low)
    while math.log10(decade) <= high:
        svg.line(left, y_size(decade), right)
        svg.text(left - 8, y_size(decade) + 4, human_bytes(decade), 11, anchor="end")
        decade *= 10
    svg.line(left, y_size(floor["size"]), right, "#444", "4 3")
    svg.text(right + 8, y_size(floor["size"]) + 4, "floor:", 11, anchor="start", fill="#444")
    svg.text(right + 8, y_size(floor["size"]) + 17, human_bytes(floor["size"]), 11,
             anchor="start", fill="#444")
    for i, row in enumerate(rows):
        x, y = left + (i + 0.5) * group, y_size(row["size"])
        svg.rect(x - group / 6, y, group / 3, bottom - y, COLOURS["qemu_ratio"])
        svg.text(x, y - 4, human_bytes(row["size"]), 10)
        svg.text(x, bottom + 18, row["name"], 12)
    return svg.render()


def human_bytes(n):
    """300 B, 2.4 kB, 192 kB: decimal units, so the log scale's lines fall on 1 kB, 10 kB."""
    for unit, size in (("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            value = n / size
            return f"{value:.1f} {unit}" if value < 10 and value != int(value) else f"{value:.0f} {unit}"
    return f"{n} B"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one run of everything, a short heap_bench, one step's builds "
                        "(the test's smoke run)")
    parser.add_argument("--runs", type=int, default=7, help="QEMU boots per image (7)")
    parser.add_argument("--bochs-runs", type=int, default=5, help="Bochs boots per image (5)")
    parser.add_argument("--build-runs", type=int, default=3,
                        help="clean builds per step and compiler (3)")
    parser.add_argument("--browser-runs", type=int, default=None,
                        help="boots of step06 in the book's chapter 6 page, in headless "
                        "Chromium (5; none in quick mode unless given)")
    parser.add_argument("--prebuilt", action="store_true",
                        help="boot each step's own build/os.img where there is one, instead "
                        "of building a fresh copy (the tests' quick run)")
    parser.add_argument("--out", default=HERE, help="folder for results.md and results.svg "
                        "(bench/)")
    parser.add_argument("--heap-args", default="", help="options for heap_bench, such as "
                        "\"-n 20000 -r 1\"")
    args = parser.parse_args()
    if args.quick:
        args.runs = args.bochs_runs = args.build_runs = 1
    if args.browser_runs is None:
        args.browser_runs = 0 if args.quick else 5
    if min(args.runs, args.bochs_runs, args.build_runs) < 1:
        parser.error("every number of runs must be at least 1")

    try:
        result = measure_all(args)
    except BenchError as error:     # a build failed: nothing to measure
        print(f"bench: {error}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(markdown(result))
    with open(os.path.join(args.out, "results.svg"), "w") as f:
        f.write(svg_plot(result))
    if os.path.abspath(args.out) == os.path.abspath(HERE):
        # The book's appendix shows the plot from its own images.
        shutil.copy(os.path.join(args.out, "results.svg"),
                    os.path.join(HERE, "..", "book", "images", "bench.svg"))
    print(text_report(result))
    say(f"wrote {os.path.join(args.out, 'results.md')} and results.svg; "
        f"{result['seconds']:.0f} s in all")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
