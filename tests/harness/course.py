"""The course's conventions: where the steps are, how one is built, its
ready line ("stepNN: ready"), copies of a step to break on purpose, and the
command a learner types to reproduce a failure from the folder they are in."""

import contextlib
import fcntl
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
