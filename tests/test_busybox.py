"""Debian's own busybox, unmodified, on step06: a static i386 glibc program
that nobody wrote for this course. The test fetches Debian's busybox-static
for i386 with `apt-get download` (never installs it: it would replace the
machine's own busybox) into build/busybox/ at the top (.gitignore keeps it
out of git), puts it in disk/bin/ of a copy of step06 with a few files to
read, and runs applets that need no fork on the kernel, one boot for all,
and under qemu-i386 in build/root/, the same files (Linux's answers are kept
from run to run: harness/linux.py). Standard output and exit status must be
the same."""

import glob
import os
import shutil
import subprocess

import pytest

from harness import Qemu, copy_step, expect, line_report, make, on_linux
from harness.course import TOP
from test_step06 import on_kernel

pytestmark = pytest.mark.group("busybox")

CACHE = os.path.join(TOP, "build", "busybox")
FILES = {
    "disk/words": "pear\napple\nfig\napple\nbanana\n",
    "disk/table.csv": "name,size\nmotd,18\nwords,32\n",
}
# Applets and their arguments: each needs no fork, no terminal and no clock.
RUNS = ["echo hello world", "cat words", "head -n 2 words", "tail -n 2 words", "wc words",
        "sort words", "uniq words", "seq 1 5", "basename /a/b/c.txt .txt", "dirname /a/b/c",
        "expr 6 + 7", r"printf %s-%d\n a 5", "sha256sum words", "md5sum words", "ls",
        "ls bin", "true", "false", "cut -d, -f2 table.csv", "od -c words", "tac words",
        "grep apple words", "grep zzz words", "wc etc/motd words", "sha1sum table.csv",
        "ls -a", "ls -a etc"]


def busybox():
    """The busybox executable from Debian's busybox-static:i386, fetched once."""
    exe = os.path.join(CACHE, "root", "bin", "busybox")
    if os.path.exists(exe):
        return exe
    os.makedirs(CACHE, exist_ok=True)
    fetch = subprocess.run(["apt-get", "download", "busybox-static:i386"], cwd=CACHE,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    debs = glob.glob(os.path.join(CACHE, "busybox-static_*.deb"))
    if fetch.returncode != 0 or not debs:
        pytest.skip("cannot fetch busybox-static:i386 (are the package sources reachable? "
                    "dpkg --add-architecture i386 && apt-get update): " + fetch.stdout[-300:])
    subprocess.run(["dpkg-deb", "-x", debs[0], os.path.join(CACHE, "root")], check=True)
    return exe


@pytest.mark.title("Debian's busybox: 27 applets give the same stdout and exit status as "
                   "under qemu-i386")
def test_busybox(built):
    built("step06")
    exe = busybox()
    folder = copy_step("step06", FILES, build=True)
    os.makedirs(os.path.join(folder, "disk", "bin"), exist_ok=True)   # git keeps no empty folder
    shutil.copy(exe, os.path.join(folder, "disk", "bin", "busybox"))
    make(folder, "all")
    root = os.path.join(folder, "build", "root")
    with Qemu(os.path.join(folder, "build", "os.img")) as machine:
        machine.wait_for("step06: ready")
        for run in RUNS:
            args = tuple(run.split())
            linux, linux_status = on_linux(exe, args, name="busybox", cwd=root)
            out, status = on_kernel(machine, "busybox", args, timeout=30)
            if not linux.endswith("\n") and out == linux + "\n":
                out = linux     # the kernel ends the line before its status line
            expect(out == linux, f"busybox {run}: stdout differs from qemu-i386's "
                   "(expected: Linux's; got: ours):\n" +
                   line_report(linux.split("\n"), out.split("\n")), machine)
            expect(status == linux_status, f"busybox {run}: exit status {status}; under "
                   f"qemu-i386 {linux_status}", machine)
