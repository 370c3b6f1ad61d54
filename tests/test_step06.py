"""step06-syscalls: user programs in ring 3. Each program in user/ runs on
our kernel and under qemu-i386 (Linux's semantics), and the two must agree
on stdout and exit status. Hostile programs must be killed, or refused with
the errno Linux gives, and the console must still answer afterwards."""

import glob
import os
import re
import subprocess
import time

import pytest

import harness
from harness import (Bochs, Failure, Qemu, command, copy_step, expect, line_report, make,
                     make_command, step_dir)

pytestmark = pytest.mark.group("step06")

STEP = step_dir("step06")

# Arguments and keyboard input for the programs that need them. A program
# not listed here runs with none; a program whose source says NOT ON LINUX
# runs only on our kernel, in a test of its own.
RUNS = {
    "args": (("one", "two", "three"), ""),
    "upper": ((), "Hello, World 123\n"),
    "nosys": (("9999", "-1", "-4096", "2147483647"), ""),
}
BAD_POINTERS = ["null", "kernel", "unmapped", "straddle", "cross", "wrap"]
HOSTILE = ["cli", "hlt", "in", "out", "read-kernel", "write-kernel", "jump-kernel",
           "int3", "int-0x81", "int-0x20", "divide", "ud2"]
STATUS = re.compile(r"\r\n(\w+): (exited with status (\d+)|(?:killed|stopped) \(([^)]*)\))\r\n")


def elf(name):
    """A program's ELF file: user/ programs have no C library, musl/ ones have musl."""
    for kind in ("user", "musl"):
        path = os.path.join(STEP, "build", kind, name + ".elf")
        if os.path.exists(path):
            return path
    raise Failure("build failed", f"no build/user/{name}.elf or build/musl/{name}.elf: "
                  "for musl/ programs, make -C step06-syscalls MUSL=1 installs musl")


def on_linux(name, args=(), stdin=""):
    """stdout and exit status under qemu-i386; a status below 0 is a signal."""
    return harness.on_linux(elf(name), args, name=name, stdin=stdin)


def on_kernel(machine, name, args=(), stdin="", timeout=20, beyond=""):
    """stdout and exit status on our kernel ('killed (...)' if it was killed).
    Keys for the program are typed right after the command: they wait in the
    keyboard buffer until it reads them. Their echo is taken out. beyond:
    keys typed at the end of a full line, which no echo follows."""
    before = len(machine.serial())
    line = " ".join((name,) + tuple(args))
    machine.type_echoed(line, machine.serial)
    machine.type(beyond + "\n" + stdin)

    def ended():
        out = machine.serial()[before:]
        end = STATUS.search(out)
        return (out, end) if end and end.group(1) == name else None
    # A program waiting for a key that never comes sits idle in hlt.
    out, end = machine.wait_until(ended, f"{line}: an 'exited' or 'killed' line", timeout,
                                  idle=2)
    text = out[:end.start() + 2].replace("\r\n", "\n")
    text = text.split("\n", 1)[1] if "\n" in text else ""     # the command's echo
    for typed in stdin.splitlines(keepends=True):
        text = text.replace(typed, "", 1)
    status = int(end.group(3)) if end.group(3) else f"killed ({end.group(4)})"
    return text, status


def same_as_linux(machine, name, args=(), stdin=""):
    linux_out, linux_status = on_linux(name, args, stdin)
    out, status = on_kernel(machine, name, args, stdin)
    if not linux_out.endswith("\n") and out == linux_out + "\n":
        out = linux_out         # the kernel ends the line before its status line
    expect(out == linux_out, f"{name} {' '.join(args)}: stdout differs from qemu-i386's "
           "(expected: Linux's; got: ours):\n" +
           line_report(linux_out.split("\n"), out.split("\n")), machine)
    if linux_status < 0:
        expect(isinstance(status, str), f"{name} {' '.join(args)}: Linux kills it (signal "
               f"{-linux_status}) but our kernel says exit status {status}", machine)
    else:
        expect(status == linux_status, f"{name} {' '.join(args)}: exit status {status}; "
               f"under qemu-i386 {linux_status}", machine)
    return out, status


def console_answers(machine):
    out, status = on_kernel(machine, "hello")
    expect(out == "hello, world\n" and status == 0,
           f"after that, hello does not run right: {out!r}, status {status}", machine)


def source(name):
    for kind in ("user", "musl"):
        path = os.path.join(STEP, kind, name + ".c")
        if os.path.exists(path):
            return path, kind


def linux_only(name):
    with open(source(name)[0]) as f:
        return "NOT ON LINUX" in f.read()


def programs():
    return sorted(os.path.basename(p)[:-2] for kind in ("user", "musl")
                  for p in glob.glob(os.path.join(STEP, kind, "*.c")))


def compared_programs():
    """(kind, label, name, args, stdin) for each program compared with Linux."""
    for name in programs():
        if name in ("badptr", "hostile", "compat", "fuzz", "cat", "wc") or linux_only(name):
            continue            # tests of their own: below, and in fuzzdiff.py
        args, stdin = RUNS.get(name, ((), ""))
        label = " ".join((name,) + args)
        kind = "musl program" if source(name)[1] == "musl" else "user program"
        yield pytest.param(kind, label, name, args, stdin, id="-".join((name,) + args))


@pytest.mark.parametrize("kind,label,name,args,stdin", compared_programs())
@pytest.mark.title("{kind} '{label}': same stdout and exit status as under qemu-i386")
def test_program(console, kind, label, name, args, stdin):
    same_as_linux(console, name, args, stdin)


@pytest.mark.parametrize("case", BAD_POINTERS)
@pytest.mark.title("bad pointer '{case}': write, read, clock_gettime64 and rt_sigprocmask "
                   "give -EFAULT, as on Linux")
def test_bad_pointer(console, case):
    out, status = same_as_linux(console, "badptr", (case,), "")
    expect(out.count("-14") == 5, f"badptr {case}: write, read, clock_gettime64, "
           f"rt_sigprocmask and fstat64 must all give -EFAULT (-14): {out!r}", console)
    console_answers(console)


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.title("hostile '{case}': the program is killed with a reason, the kernel goes on")
def test_hostile(console, case):
    out, status = same_as_linux(console, "hostile", (case,), "")
    expect(isinstance(status, str), f"hostile {case} was not killed", console)
    console_answers(console)


@pytest.mark.title("the 16-bit getuid, getgid, geteuid and getegid answer 0 (root), as their "
                   "32-bit forms do")
def test_16bit_ids(console):
    numbers = ("24", "47", "49", "50", "199", "200", "201", "202")
    out, status = on_kernel(console, "nosys", numbers)
    expected = "".join(f"syscall {n} = 0\n" for n in numbers)
    expect(out == expected and status == 0, f"nosys {' '.join(numbers)}: expected\n"
           + line_report(expected.split("\n"), out.split("\n")), console)


@pytest.mark.title("a user page fault names the address and eip: 'killed (page fault at ...)'")
def test_fault_message(console):
    out, status = on_kernel(console, "hostile", ("read-kernel",))
    expect(re.fullmatch(r"killed \(page fault at 0x00010000, eip 0x0804[0-9a-f]{4}\)", status),
           f"the kill message is {status!r}", console)


@pytest.mark.title("Esc stops a program that never ends, and the console answers again")
def test_escape_stops_a_program(machine):
    machine.type("spin\n")
    machine.wait_for("spinning; press Esc", source="serial")
    time.sleep(0.5)
    expect("spin: " not in machine.serial().split("spinning")[-1],
           "spin ended by itself", machine)
    machine.press("esc")
    machine.wait_for("spin: stopped (Esc pressed)\r\n", source="serial")
    console_answers(machine)


@pytest.mark.title("Esc stops a program that waits for a line, before Enter")
def test_escape_while_reading(machine):
    machine.type("upper\n")
    machine.wait_for("type a line: ", source="serial")
    machine.type("abc")
    machine.press("esc")
    machine.wait_for("upper: stopped (Esc pressed)\r\n", source="serial")
    console_answers(machine)


@pytest.mark.title("Esc stops a program in nanosleep")
def test_escape_while_sleeping(machine):
    machine.type("startup sleep\n")
    time.sleep(0.5)
    expect("startup: " not in machine.serial().split("startup sleep")[-1],
           "startup sleep ended by itself", machine)
    machine.press("esc")
    machine.wait_for("startup: stopped (Esc pressed)\r\n", source="serial")
    console_answers(machine)


@pytest.mark.title("Ctrl-D at the start of a line ends the input (read returns 0); "
                   "in a line, it ends the read with what was typed, and no newline")
def test_ctrl_d(machine):
    machine.type("upper\n")
    machine.wait_for("type a line: ", source="serial")
    machine.type("ab")
    machine.press("ctrl", "d")
    machine.wait_for("upper: exited with status 0", source="serial")
    expect("type a line: abAB\r\nupper: exited" in machine.serial(),
           f"upper after 'ab' and Ctrl-D (expected it to read 'ab' and write 'AB'): "
           f"{machine.serial()[-200:]!r}", machine)
    before = len(machine.serial())
    machine.type("cat\n")
    machine.type("abc")
    machine.press("ctrl", "d")
    machine.wait_until(lambda: "abcabc" in machine.serial()[before:],
                       "cat to write 'abc' back after 'abc' and Ctrl-D", idle=2)
    machine.press("ctrl", "d")
    machine.wait_until(lambda: "cat: exited with status 0\r\n" in machine.serial()[before:],
                       "cat to end at a second Ctrl-D, at the start of its next read", idle=2)
    out = machine.serial()[before:]
    expect("cat\r\nabcabc\r\ncat: exited with status 0" in out,
           f"cat, 'abc', Ctrl-D, Ctrl-D: {out!r}", machine)
    before = len(machine.serial())
    machine.type("upper\n")
    machine.wait_for("type a line: ", source="serial", count=2)
    machine.press("ctrl", "d")
    machine.wait_until(lambda: "upper: exited with status 0\r\n" in machine.serial()[before:],
                       "upper to end at Ctrl-D with status 0 (read returned 0)", idle=2)
    out = machine.serial()[before:]
    expect("type a line: \r\nupper: exited with status 0" in out,
           f"upper wrote something after Ctrl-D: {out!r}", machine)


@pytest.mark.title("a command line holds 200 characters, and double quotes group words")
def test_long_quoted_line(machine):
    words = ('"two words"', '"a""b"', '""')
    prefix = " ".join(("args",) + words) + " "
    long = "y" * (200 - len(prefix))
    # Three characters more than the line holds: they are not taken.
    out, status = on_kernel(machine, "args", words + (long,), beyond="zzz")
    linux_out, linux_status = on_linux("args", ("two words", "ab", "", long))
    expect(out == linux_out and status == linux_status == 4,
           "a 200-character line with quotes: expected\n" +
           line_report(linux_out.split("\n"), out.split("\n")), machine)


@pytest.mark.title("Backspace in a line longer than a row goes back up to the row above")
def test_backspace_across_rows(machine):
    # "> args " and 80 y: the line wraps after 73 y; 10 Backspaces take it
    # back to 70, on the first row.
    machine.type_echoed("args " + "y" * 80 + "\b" * 10, machine.serial)
    machine.wait_for("\b \b" * 10, source="serial")      # the echo of all ten
    lines = machine.screen().lines()
    row = max(i for i, line in enumerate(lines) if line.startswith("> args "))
    expect(lines[row].rstrip() == "> args " + "y" * 70 and not lines[row + 1].strip(),
           f"after 10 Backspaces the line shows {lines[row]!r} / {lines[row + 1]!r}", machine)
    machine.type("\n")
    out = machine.wait_for("args: exited with status 1", source="serial")
    expect("argv[1] = " + "y" * 70 + "\r\n" in out, f"args got {out[-300:]!r}", machine)


ERRNO_NAMES = {"9": "EBADF", "12": "ENOMEM", "14": "EFAULT", "22": "EINVAL", "25": "ENOTTY",
               "38": "ENOSYS"}


def strace_calls(text, qemu, vary=()):
    """(name, result) for each call in qemu-i386 -strace or our trace output.
    The results of the calls in vary (process ids, addresses) are left out."""
    calls = []
    for line in text.splitlines():
        m = re.match(r"(?:\d+ )?(\w+)\(.*\) = (-1 \S+|-?\d+|0x[0-9a-f]+|\?)", line) if not qemu else \
            re.match(r"\d+ (\w+)\(.*?\)(?: = (-1 errno=\d+|-?\d+|0x[0-9a-f]+))?", line)
        if m:
            result = m.group(2) or "?"
            errno = re.fullmatch(r"-1 errno=(\d+)", result)
            if errno:
                result = "-1 " + ERRNO_NAMES.get(errno.group(1), errno.group(1))
            calls.append((m.group(1), "varies" if m.group(1) in vary else result))
    return calls


def trace_matches(machine, name, args, vary=()):
    # stdin and stdout are pipes, as in on_linux: read(1) and write(0) fail.
    result = subprocess.run(["qemu-i386", "-strace", "-0", name, elf(name), *args], input="",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=30)
    linux = strace_calls(result.stderr, qemu=True, vary=vary)
    before = len(machine.serial())
    command(machine, "trace " + " ".join((name,) + args))
    out = machine.serial()[before:].replace("\r\n", "\n")
    ours = strace_calls(out, qemu=False, vary=vary)
    expect(ours == linux, f"trace {name}: the calls differ from qemu-i386 -strace's.\n"
           f"  ours:  {ours}\n  Linux: {linux}", machine)
    return out


@pytest.mark.title("trace hello: the same calls and results as qemu-i386 -strace, in strace's form")
def test_trace_hello(console):
    out = trace_matches(console, "hello", ())
    expect('write(1, "hello, world\\n", 13) = 13\n' in out, f"no strace-style write line: {out!r}")


@pytest.mark.title("trace badfd and badptr: errors shown as strace does (-1 EBADF, -1 EFAULT)")
def test_trace_errors(console):
    out = trace_matches(console, "badfd", ())
    expect("write(7, \"abc\", 3) = -1 EBADF (Bad file descriptor)" in out, f"{out!r}")
    out = trace_matches(console, "badptr", ("null",))
    expect("write(1, NULL, 5) = -1 EFAULT (Bad address)" in out, f"{out!r}")


@pytest.mark.title("trace shows a buffer as strace does: quoted, escaped, cut at 32 bytes "
                   "with ...")
def test_trace_strings(console):
    long = "x" * 40
    out = command(console, f'trace args "a\\b" {long}').replace("\r\n", "\n")
    for line in ('write(1, "a\\\\b", 3) = 3\n', 'write(1, "\\n", 1) = 1\n',
                 f'write(1, "{"x" * 32}"..., 40) = 40\n'):
        expect(line in out, f"no {line!r} in the trace of args: {out!r}", console)


@pytest.mark.title("trace startup: the calls of a C library's start by name, with Linux's "
                   "results")
def test_trace_startup(console):
    # qemu-i386 -strace has no name for clock_nanosleep_time64 (407): it says
    # "Unknown syscall 407" and is not counted, so ours is taken out too.
    result = subprocess.run(["qemu-i386", "-strace", elf("startup")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, timeout=30)
    # The user ids are the host user's under qemu-i386; ours is 0 (checked below).
    vary = {"mmap2", "getuid32", "geteuid32", "getgid32", "getegid32"}
    linux = strace_calls(result.stderr, qemu=True, vary=vary)
    before = len(console.serial())
    command(console, "trace startup")
    out = console.serial()[before:].replace("\r\n", "\n")
    ours = [c for c in strace_calls(out, qemu=False, vary=vary)
            if c[0] != "clock_nanosleep_time64"]
    expect(ours == linux, f"trace startup: the calls differ from qemu-i386 -strace's.\n"
           f"  ours:  {ours}\n  Linux: {linux}", console)
    for call in ("uname(0x", "getuid32() = 0", "nanosleep(0x", "getrandom(0x",
                 "clock_nanosleep_time64(1, 0x1, 0x", "rt_sigaction(9, 0x"):
        expect(call in out, f"no {call} in the trace of startup: {out!r}", console)


@pytest.mark.title("trace printf (musl): the same calls as qemu-i386 -strace, results alike "
                   "but for the thread id")
def test_trace_musl(console):
    out = trace_matches(console, "printf", (), vary={"set_tid_address"})
    for call in ("set_thread_area(", "set_tid_address(", "ioctl(1, 0x5413,", "writev(1,"):
        expect(call in out, f"no {call} in the trace of a musl program: {out!r}")
    expect("= -1 ENOTTY (Inappropriate ioctl for device)" in out, f"{out!r}")


@pytest.mark.title("ls /bin lists every program in user/ and musl/, and an unknown name gets "
                   "a message")
def test_ls(console):
    out = command(console, "ls /bin")
    for name in programs():
        expect(re.search(rf"^{name} +\d+ bytes", out.replace("\r", ""), re.M),
               f"ls does not list {name}: {out!r}", console)
    out = command(console, "nosuchprogram")
    expect("unknown command 'nosuchprogram'" in out, f"{out!r}", console)


def booted_with_program(name, line, status):
    """A copy of step06 with one more program, user/NAME.c, which prints line
    and exits with status; built, and booted in QEMU to its ready line."""
    source = ('#include "lib.h"\n\nint main(void)\n{\n'
              f'    print("{line}\\n");\n    return {status};\n}}\n')
    folder = copy_step("step06", {f"user/{name}.c": source}, build=True)
    make(folder, "all")
    machine = Qemu(os.path.join(folder, "build", "os.img"))
    machine.start()
    try:
        machine.wait_for("step06: ready")
    except Exception:
        machine.stop()
        raise
    return machine


@pytest.mark.title("a new user/NAME.c is built, put in the image, listed and run")
def test_new_program(built):
    built("step06")
    with booted_with_program("newprog", "new program", 7) as machine:
        expect("newprog" in command(machine, "ls /bin"), "ls /bin does not list newprog",
               machine)
        out, status = on_kernel(machine, "newprog")
        expect(out == "new program\n" and status == 7, f"newprog: {out!r}, status {status}",
               machine)


@pytest.mark.title("Bochs boots step06 and runs hello in ring 3 (make AUTORUN=hello)")
def test_bochs_runs_a_program(built):
    built("step06")
    folder = copy_step("step06", build=True)
    # The files that read AUTORUN are rebuilt: make cannot see a new -D.
    for path in glob.glob(os.path.join(folder, "*.[ch]")):
        with open(path) as f:
            if "AUTORUN" in f.read():
                os.utime(path)
    make(folder, "all", env=dict(os.environ, AUTORUN="hello"))
    with Bochs(os.path.join(folder, "build", "os.img"),
               reproduce=make_command(STEP, "bochs", "AUTORUN=hello")) as machine:
        machine.wait_for("hello: exited with status 0", timeout=90, source="serial")
        expect("hello, world\r\n" in machine.serial(), "hello printed nothing under Bochs",
               machine)


@pytest.mark.title("cat /etc/motd prints the file; trace shows open, read, fstat-free close "
                   "as strace does")
def test_files(console):
    out, status = on_kernel(console, "cat", ("/etc/motd",))
    with open(os.path.join(STEP, "disk", "etc", "motd")) as f:
        motd = f.read()
    expect(out == motd and status == 0, f"cat /etc/motd: {out!r}, status {status}", console)
    out = command(console, "trace cat /etc/motd").replace("\r\n", "\n")
    for line in ('open("/etc/motd", O_RDONLY|O_LARGEFILE) = 3\n',
                 f'read(3, "{motd[:-1]}\\n", 4096) = {len(motd)}\n', 'read(3, "", 4096) = 0\n',
                 "close(3) = 0\n"):
        expect(line in out, f"trace cat /etc/motd: no line {line!r} in {out!r}", console)
    out, status = on_kernel(console, "wc", ("/etc/motd",))
    expect(out == f"1 3 {len(motd)} /etc/motd\n", f"wc /etc/motd: {out!r}", console)


FILES_OUT = """/etc/motd 0 = 3
etc/motd 0 = 4
/etc/../etc/./motd 0 = 5
/etc 0 = 6
/nope 0 = -2
/etc/motd/x 0 = -20
/etc/motd 65536 = -20
/etc 1 = -21
/etc/motd 1 = -30
/etc/motd 2 = -30
/etc/new 65 = -30
/nope/new 65 = -2
NULL 0 = -14
lseek(3, 0, SEEK_END) = 18
lseek(0, 0, SEEK_SET) = -29
close(3) = 0
close(3) = -9
getdents64 on /etc, 8 bytes = -22
. folder, its inode
.. folder, /'s inode
motd file
getdents64 at the end = 0
"""


@pytest.mark.title("open's errors are Linux's (ENOENT, ENOTDIR, EISDIR, EROFS for writing), "
                   "a program's files are closed when it exits, and getdents64 lists . and .. "
                   "first and goes on where it stopped")
def test_file_errors(console):
    for run in range(2):
        out, status = on_kernel(console, "files")
        expect(out == FILES_OUT and status == 0, f"files, run {run + 1}: expected\n"
               + line_report(FILES_OUT.split("\n"), out.split("\n")), console)


@pytest.mark.title("a program named like a console command runs (programs come before commands)")
def test_program_before_builtin(built):
    built("step06")
    with booted_with_program("sleep", "not the built-in", 3) as machine:
        out, status = on_kernel(machine, "sleep")
        expect(out == "not the built-in\n" and status == 3, f"sleep: {out!r}, {status}", machine)
        out = command(machine, "/bin/hello")
        expect("hello, world\r\nhello: exited with status 0" in out, f"/bin/hello: {out!r}",
               machine)
        expect("ticks:" in command(machine, "ticks"), "the built-in ticks is gone", machine)
