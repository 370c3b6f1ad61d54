"""The course's conventions: where the steps are, how one is built, its
ready line ("stepNN: ready"), copies of a step to break on purpose, and the
command a learner types to reproduce a failure from the folder they are in."""

import contextlib
import fcntl
import filecmp
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

from .checks import Failure
from .emulators import HangWatch, Qemu

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The folder the learner typed make in: the Makefiles pass it on, because
# make -C changes folders before the tests start.
ORIGIN = os.environ.get("OS_TEST_ORIGIN") or os.getcwd()


def finished_steps():
    """'step01', 'step02', ... for every stepNN-*/ folder with a Makefile."""
    return [name[:6] for name in sorted(os.listdir(TOP))
            if re.match(r"step\d\d-", name)
            and os.path.exists(os.path.join(TOP, name, "Makefile"))]


def step_dir(step):
    """'step01' or '01' or 'step01-boot' -> the step's folder."""
    number = re.sub(r"\D", "", step)[:2]
    for name in sorted(os.listdir(TOP)):
        if name.startswith(f"step{number}-"):
            return os.path.join(TOP, name)
    raise ValueError(f"no step folder for {step!r}")


def here(path):
    """path as the learner would type it from the folder they ran make in."""
    rel = os.path.relpath(path, ORIGIN)
    return rel if not rel.startswith("../../..") else path


def make_command(folder, *words):
    """'make -C FOLDER words', with FOLDER as seen from the learner's folder."""
    where = here(folder)
    return " ".join(["make"] + ([] if where == "." else ["-C", shlex.quote(where)]) +
                    [shlex.quote(w) if " " in w else w for w in words])


@contextlib.contextmanager
def locked(folder):
    """One make at a time in folder, across the test processes: a lock file
    in its build/ folder, so two makes never write the same objects."""
    os.makedirs(os.path.join(folder, "build"), exist_ok=True)
    with open(os.path.join(folder, "build", ".test-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def make(directory, *targets, cc=None, env=None):
    """Run make quietly; raise 'build failed' with its output on error."""
    command = ["make", "-C", directory, *targets]
    if cc:
        command.append(f"CC={cc}")
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-25:])
        raise Failure("build failed", f"`{' '.join(command)}` failed:\n{tail}")
    return result.stdout


def ignore_build(folder, names):
    return ["build"] if "build" in names else []


def build_files(folder, names):
    """What a copy of build/ leaves out: the tests' lock, and what a running
    `make debug` keeps there (its QMP socket, its output files)."""
    if os.path.basename(folder) != "build":
        return []
    return [n for n in names if n in (".test-lock", "qmp.sock", "serial.txt", "debugcon.txt")
            or not os.path.isfile(os.path.join(folder, n))
            and not os.path.isdir(os.path.join(folder, n))]


def copy_step(step, replace=None, build=False):
    """Copy a step's sources into a fresh temporary tree (with tools/ beside it)
    and return the copy's folder. replace maps file names to new contents.
    build=True copies the step's build/ too, times kept, so make in the copy
    rebuilds only what replace changed (the step must be built already)."""
    source = step_dir(step)
    root = tempfile.mkdtemp(prefix="ostest-")
    os.symlink(os.path.join(TOP, "tools"), os.path.join(root, "tools"))
    target = os.path.join(root, os.path.basename(source))
    shutil.copytree(source, target, ignore=build_files if build else ignore_build,
                    symlinks=True)
    for name, text in (replace or {}).items():
        with open(os.path.join(target, name), "w") as f:
            f.write(text)
    return target


# Copies of the steps kept from one test run to the next (tests/build/ is
# generated, as every build/ is, and git ignores it).
KEPT = os.path.join(TOP, "tests", "build", "copies")


@contextlib.contextmanager
def kept_copy(kind, step, tools=True):
    """A copy of the step kept between test runs in tests/build/copies/KIND/,
    for a check that needs a build of its own (a clean build with another
    compiler, or a step standing alone). make there rebuilds only what changed
    since the last run, as it does in the step folder: its sources are made
    the same as the step's, a file whose bytes differ copied in (so it is newer
    than its objects) and a file the step no longer has removed. Its build/
    starts afresh when the Makefile or the compiler changed, which make cannot
    see, or after a failure (forget() below). tools=True puts the course's
    tools/ beside it. Yields the copy's folder, locked for this process."""
    base = os.path.join(KEPT, kind)
    folder = os.path.join(base, os.path.basename(step_dir(step)))
    os.makedirs(base, exist_ok=True)
    link, tools_here = os.path.join(base, "tools"), os.path.join(TOP, "tools")
    if tools and (not os.path.islink(link) or os.readlink(link) != tools_here):
        with contextlib.suppress(FileNotFoundError):
            os.remove(link)     # a copy of the course may have brought the original's
        with contextlib.suppress(FileExistsError):
            os.symlink(tools_here, link)
    with open(folder + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = build_stamp(step_dir(step))
        if read_file(folder + ".stamp") != stamp:
            shutil.rmtree(os.path.join(folder, "build"), ignore_errors=True)
        mirror(step_dir(step), folder)
        with open(folder + ".stamp", "w") as f:
            f.write(stamp)
        yield folder


def forget(folder):
    """After a failed check: the kept copy's next build starts afresh, so
    that what this build printed is printed again (make would not redo a
    link that succeeded with a warning)."""
    shutil.rmtree(os.path.join(folder, "build"), ignore_errors=True)


def read_file(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def build_stamp(folder):
    """What a kept copy's objects were made with and make does not track:
    the Makefile, and each compiler's program file (a new version of it
    replaces the file)."""
    parts = [read_file(os.path.join(folder, "Makefile")) or ""]
    for cc in ("cc", "gcc", "clang", "ld", "ld.lld", "nasm"):
        path = shutil.which(cc)
        if path:
            info = os.stat(os.path.realpath(path))
            parts.append(f"{cc} {os.path.realpath(path)} {info.st_size} {info.st_mtime_ns}")
    return "\n".join(parts)


def mirror(source, target):
    """Make target's files the same as source's, every build/ folder left
    out: copy each file that is new or whose bytes differ, remove each file
    and folder that source does not have. Unchanged files keep their times."""
    filecmp.clear_cache()
    for folder, subfolders, names in os.walk(source):
        subfolders[:] = [d for d in subfolders if d != "build"]
        into = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(into, exist_ok=True)
        for name in names:
            new, old = os.path.join(folder, name), os.path.join(into, name)
            if not os.path.isfile(old) or not filecmp.cmp(new, old, shallow=False):
                shutil.copyfile(new, old)
                shutil.copymode(new, old)
    for folder, subfolders, names in os.walk(target):
        subfolders[:] = [d for d in subfolders if d != "build"]
        mine = os.path.join(source, os.path.relpath(folder, target))
        for d in list(subfolders):
            if not os.path.isdir(os.path.join(mine, d)):
                shutil.rmtree(os.path.join(folder, d))
                subfolders.remove(d)
        for name in names:
            if not os.path.isfile(os.path.join(mine, name)):
                os.remove(os.path.join(folder, name))


def ready_line(step):
    return f"{step[:6]}: ready"


def boot(step, timeout=10, **options):
    """Start QEMU on a step's image and wait for its ready line.
    The caller stops it (use it in a with statement)."""
    folder = step_dir(step)
    machine = Qemu(os.path.join(folder, "build", "os.img"),
                   reproduce=make_command(folder, "run"), **options)
    machine.start()
    try:
        machine.wait_for(ready_line(os.path.basename(folder)), timeout)
        machine.ready_at = time.monotonic()
    except Exception:
        machine.stop()
        raise
    return machine


PROMPT = "> "
STOPPED = "The kernel has stopped."     # a crash screen's last line (crash.c)


def command(machine, line, wait_for=None, timeout=10):
    """Type a line at the console (step04 on) and wait for the next prompt,
    or for wait_for (a crash's last line); return the new serial text. The
    kernel answers at once: idle in hlt for 2 s with nothing printed is a hang.
    A prompt that comes back in the middle of a line, with the CPU idle in
    hlt, ends the command: the line before it lacks its newline, and the
    prompt that should start a line never will."""
    before = machine.serial()
    machine.type_echoed(line, machine.serial)
    machine.type("\n")
    back = HangWatch(machine, idle=0.5)

    def answered():
        new = machine.serial()[len(before):]
        if new.endswith("\r\n" + PROMPT) or (wait_for and wait_for in new):
            return new
        if new.endswith(PROMPT) and back.certain() and not back.stuck:
            raise Failure("wrong output", f"typed {line!r}: the prompt came back in the "
                          "middle of a line (the command's last line lacks its newline)",
                          machine)
        return None
    return machine.wait_until(answered, f"the prompt after typing {line!r}", timeout,
                              panic_ok=bool(wait_for), idle=2)
