"""Linux's answers, for the checks that compare our kernel with it: a
program run under qemu-i386, which runs an i386 Linux program on the host's
own kernel. It gets no environment, as our kernel starts a program with
none, and its input from a pipe.

What it prints depends only on the program's bytes, its arguments and
input, the files in the folder it runs in, qemu-i386 and the host's kernel.
So the answer is kept in tests/build/linux/, under a hash of all of these,
and a later run of the same program reads it there instead of running it
again: a check then runs the program on our kernel only. A program built
anew with other bytes, other files or another qemu-i386 gets another hash.
make clean removes the folder."""

import functools
import hashlib
import json
import os
import shutil
import subprocess

from .checks import Failure
from .course import TOP

KEPT = os.path.join(TOP, "tests", "build", "linux")   # beside course.py's kept copies


def file_hash(path):
    stat = os.stat(path)
    return content_hash(path, stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=None)
def content_hash(path, size, mtime, inode):
    """A file's hash, read once for each version of it (size, time, inode)."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def folder_hash(folder):
    """Every name, kind and content under folder: what a program may read."""
    h = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(root, name)
            mode = os.lstat(path).st_mode
            h.update(f"{os.path.relpath(path, folder)}\0{mode:o}\0".encode())
            if os.path.isfile(path) and not os.path.islink(path):
                h.update(file_hash(path).encode())
    return h.hexdigest()


class Linux:
    """qemu-i386 running elf with args (argv[0] is name, if given): started
    at once, so it runs while our kernel boots, unless the answer is kept
    from an earlier run. answer() gives (stdout, exit status); a status
    below 0 is the signal that ended it. stderr is left out, or with
    merge_stderr taken into stdout."""

    def __init__(self, elf, args=(), name=None, stdin="", cwd=None, merge_stderr=False,
                 timeout=30):
        qemu = shutil.which("qemu-i386")
        if not qemu:
            raise Failure("wrong output", "there is no qemu-i386 to run the program under "
                          "Linux (tools/need test installs qemu-user)")
        self.argv = [qemu, *(["-0", name] if name else []), elf, *args]
        self.stdin, self.timeout = stdin, timeout
        tool = os.stat(qemu)
        inputs = [tool.st_size, tool.st_mtime_ns, os.uname().release, os.getuid(),
                  os.getgid(), file_hash(elf), name, list(args), stdin, merge_stderr,
                  folder_hash(cwd) if cwd else None]
        digest = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
        self.kept = os.path.join(KEPT, digest[:32] + ".json")
        self.result, self.proc = None, None
        try:
            with open(self.kept) as f:
                self.result = tuple(json.load(f))
        except (OSError, ValueError):
            self.proc = subprocess.Popen(self.argv, cwd=cwd, env={}, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT if merge_stderr
                                         else subprocess.DEVNULL,
                                         text=True, errors="replace")

    def answer(self):
        if self.result is None:
            try:
                out, _ = self.proc.communicate(self.stdin, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                self.stop()
                raise Failure("hang", f"under qemu-i386, {' '.join(self.argv[1:])} did not "
                              f"end within {self.timeout} s")
            self.result = (out, self.proc.returncode)
            os.makedirs(KEPT, exist_ok=True)
            part = f"{self.kept}.{os.getpid()}"
            with open(part, "w") as f:
                json.dump(self.result, f)
            os.replace(part, self.kept)         # whole, even with two writers
        return self.result

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def on_linux(elf, args=(), **how):
    """(stdout, exit status) of elf under qemu-i386: see Linux."""
    return Linux(elf, args, **how).answer()
