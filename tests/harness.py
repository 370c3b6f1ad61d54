"""The test harness: boot a step's disk image in QEMU or Bochs, watch it, read
its screen and serial output, type on its keyboard, and name what went wrong.

Every test boots a fresh emulator. Nothing waits for a fixed time: a test waits
for text to appear, and gives up after a timeout.

When a check fails, a Failure is raised with one of these kinds:
  build failed   - make returned an error
  triple fault   - the CPU reset (QEMU exits with status 0 under -no-reboot)
  hang           - the expected output did not come before the timeout
  kernel panic   - the kernel printed "KERNEL PANIC"
  wrong output   - the kernel ran, but the screen or serial is not as expected
The report shows the screen as text, the last serial lines and the command
that reproduces the failure.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PANIC_MARK = "KERNEL PANIC"
COLS, ROWS = 80, 25
VGA_TEXT = 0xB8000

COLOURS = ["black", "blue", "green", "cyan", "red", "magenta", "brown", "light grey",
           "dark grey", "light blue", "light green", "light cyan", "light red",
           "light magenta", "yellow", "white"]


class Failure(Exception):
    """A named failure: kind is one of the kinds listed above."""

    def __init__(self, kind, message, machine=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.report = machine.report() if machine else ""

    def __str__(self):
        text = f"{self.kind}: {self.message}"
        return text + ("\n" + self.report if self.report else "")


def step_dir(step):
    """'step01' or '01' or 'step01-boot' -> the step's folder."""
    number = re.sub(r"\D", "", step)[:2]
    for name in sorted(os.listdir(TOP)):
        if name.startswith(f"step{number}-"):
            return os.path.join(TOP, name)
    raise ValueError(f"no step folder for {step!r}")


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


def copy_step(step, replace=None):
    """Copy a step's sources into a fresh temporary tree (with tools/ beside it)
    and return the copy's folder. replace maps file names to new contents."""
    source = step_dir(step)
    root = tempfile.mkdtemp(prefix="ostest-")
    os.symlink(os.path.join(TOP, "tools"), os.path.join(root, "tools"))
    target = os.path.join(root, os.path.basename(source))
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build"))
    for name, text in (replace or {}).items():
        with open(os.path.join(target, name), "w") as f:
            f.write(text)
    return target


class Screen:
    """The 80x25 VGA text buffer: a character and an attribute byte per cell."""

    def __init__(self, raw):
        self.raw = raw
        self.chars = [chr(raw[i]) if 32 <= raw[i] < 127 else " " for i in range(0, 4000, 2)]
        self.attrs = [raw[i] for i in range(1, 4000, 2)]

    def line(self, row):
        return "".join(self.chars[row * COLS:(row + 1) * COLS]).rstrip()

    def lines(self):
        return [self.line(r) for r in range(ROWS)]

    def text(self):
        return "\n".join(self.lines()).rstrip("\n")

    def attr(self, row, col):
        return self.attrs[row * COLS + col]

    def fg(self, row, col):
        return self.attr(row, col) & 0x0F

    def bg(self, row, col):
        return self.attr(row, col) >> 4

    def find(self, text):
        """(row, col) of the first occurrence of text, or None."""
        for row, line in enumerate(self.lines()):
            col = line.find(text)
            if col >= 0:
                return row, col
        return None

    def boxed(self):
        """The screen as text in a frame, for failure reports."""
        bar = "+" + "-" * COLS + "+"
        return "\n".join([bar] + [f"|{self.line(r):<{COLS}}|" for r in range(ROWS)] + [bar])

    def colour_summary(self):
        """'1920 cells white on red, 80 cells yellow on blue', most common first."""
        counts = {}
        for attr in self.attrs:
            counts[attr] = counts.get(attr, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        return ", ".join(f"{n} cells {COLOURS[a & 15]} on {COLOURS[a >> 4]}" for a, n in ranked[:6])

    def ansi(self):
        """The screen with its colours, for a terminal."""
        palette = [0, 4, 2, 6, 1, 5, 3, 7]  # VGA colour order -> ANSI colour order
        out = []
        for row in range(ROWS):
            cells = []
            for col in range(COLS):
                a = self.attr(row, col)
                fg, bg = a & 0x0F, (a >> 4) & 0x07
                fg_code = (90 if fg & 8 else 30) + palette[fg & 7]
                cells.append(f"\x1b[{fg_code};{40 + palette[bg]}m{self.chars[row * COLS + col]}")
            out.append("".join(cells) + "\x1b[0m")
        return "\n".join(out)


def model_screen(text):
    """The 25 lines a VGA console shows after printing text, by the rules the
    drivers follow: \n, \r, \t to the next multiple of 8, \b never before
    column 0, wrapping at column 80, scrolling by one row at the bottom."""
    rows, row, col = [[" "] * COLS for _ in range(ROWS)], 0, 0

    def newline():
        nonlocal row, col
        col, row = 0, row + 1
        if row == ROWS:
            rows.pop(0)
            rows.append([" "] * COLS)
            row = ROWS - 1

    for char in text:
        if char == "\n":
            newline()
        elif char == "\r":
            col = 0
        elif char == "\t":
            col = (col + 8) & ~7
            if col >= COLS:
                newline()
        elif char == "\b":
            col = max(col - 1, 0)
        else:
            rows[row][col] = char
            col += 1
            if col == COLS:
                newline()
    return ["".join(r).rstrip() for r in rows], (row, col)


def line_report(expected, actual, limit=12):
    """Lines compared one by one: GOOD where they match, BAD where they
    differ, MISSING where a line never came, EXTRA where one should not be.
    Only the lines around a difference are shown. Empty if all match."""
    rows = []
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else None
        a = actual[i] if i < len(actual) else None
        if e == a:
            rows.append((i, "GOOD", f"{e!r}"))
        elif a is None:
            rows.append((i, "MISSING", f"{e!r}"))
        elif e is None:
            rows.append((i, "EXTRA", f"{a!r}"))
        else:
            rows.append((i, "BAD", f"expected {e!r}\n" + " " * 19 + f"got      {a!r}"))
    bad = [i for i, kind, _ in rows if kind != "GOOD"]
    if not bad:
        return ""
    shown = [r for r in rows if any(abs(r[0] - b) <= 1 for b in bad)][:limit]
    return "\n".join(f"  {kind:7} line {i:2}: {text}" for i, kind, text in shown)


def expect_same_lines(expected, actual, what, machine=None):
    """A 'wrong output' failure showing the lines that differ (GOOD/BAD/MISSING)."""
    report = line_report(expected, actual)
    expect(not report, f"{what}:\n" + report, machine)


# QMP key names for the characters a test can type; shifted ones get "shift".
KEYS = {" ": "spc", "\n": "ret", "\t": "tab", "\b": "backspace", "-": "minus", "=": "equal",
        "[": "bracket_left", "]": "bracket_right", ";": "semicolon", "'": "apostrophe",
        "`": "grave_accent", "\\": "backslash", ",": "comma", ".": "dot", "/": "slash"}
SHIFTED = {"_": "-", "+": "=", "{": "[", "}": "]", ":": ";", '"': "'", "~": "`", "|": "\\",
           "<": ",", ">": ".", "?": "/", "!": "1", "@": "2", "#": "3", "$": "4", "%": "5",
           "^": "6", "&": "7", "*": "8", "(": "9", ")": "0"}


def keys_for(char):
    """The QMP key list that types one character."""
    if char.isalpha() and char.isupper():
        return ["shift", char.lower()]
    if char in SHIFTED:
        return ["shift"] + keys_for(SHIFTED[char])
    if char.isalnum():
        return [char]
    if char in KEYS:
        return [KEYS[char]]
    raise ValueError(f"cannot type {char!r}")


def descendants(pid):
    """The processes started by pid, and theirs, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Machine:
    """Common parts of an emulator under test: output files, waiting, reports."""

    name = "emulator"

    def __init__(self, image, elf=None, reproduce=None):
        self.image = os.path.abspath(image)
        self.elf = elf or os.path.join(os.path.dirname(self.image), "kernel.elf")
        self.reproduce = reproduce
        self.dir = tempfile.mkdtemp(prefix=f"{self.name}-")
        self.proc = None
        self.command = []

    def output(self):
        """Everything the kernel printed so far (serial and port 0xE9)."""
        return self.serial() + self.debugcon()

    def serial(self):
        return self._read("serial.txt")

    def debugcon(self):
        return self._read("debugcon.txt")

    def _read(self, name):
        try:
            with open(os.path.join(self.dir, name), "rb") as f:
                return f.read().decode("latin-1")
        except FileNotFoundError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_for(self, text, timeout=10, source=None, count=1, panic_ok=False):
        """Wait until text appears (count times) in the kernel's output
        (source: 'serial' or 'debugcon'; default both). Returns the output.
        A panic fails the wait, unless panic_ok (for tests that crash on purpose)."""
        read = {"serial": self.serial, "debugcon": self.debugcon}.get(source, self.output)
        deadline = time.monotonic() + timeout
        while True:
            out = read()
            self.check_running(panic_ok)
            if out.count(text) >= count:
                return out
            if time.monotonic() > deadline:
                raise Failure("hang", f"waited {timeout} s for {text!r} on "
                              f"{source or 'serial/0xE9'}, and it did not come", self)
            time.sleep(0.02)

    def check_running(self, panic_ok=False):
        """Raise the right Failure if the kernel panicked or the machine stopped."""
        if not panic_ok and PANIC_MARK in self.output():
            raise Failure("kernel panic", "the kernel panicked", self)
        if not self.alive():
            self.stopped()

    def stopped(self):
        raise Failure("wrong output", f"{self.name} exited with status {self.proc.returncode}", self)

    def last_lines(self, n=15):
        lines = self.output().replace("\r", "").splitlines()
        return lines[-n:]

    def report(self):
        parts = []
        try:
            parts.append("Screen:\n" + self.screen().boxed())
        except Exception:  # the machine may be gone: no screen to show
            pass
        lines = self.last_lines()
        parts.append("Last output lines (serial and port 0xE9):\n" +
                     ("\n".join("  " + l for l in lines) if lines else "  (none)"))
        if self.reproduce:
            parts.append("Reproduce: " + self.reproduce)
        parts.append("Emulator: " + " ".join(self.command))
        return "\n".join(parts)

    def stop(self):
        if self.alive():
            # Bochs runs under `script`, which starts it in a session of its
            # own: killing script's process group would leave Bochs running.
            for pid in descendants(self.proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc:
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        if self.proc is None:   # boot() has started it already
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class Qemu(Machine):
    """qemu-system-i386, headless, with COM1 and port 0xE9 written to files,
    isa-debug-exit on port 0xf4, and QMP on a socket for the screen and keys.

    -no-reboot turns a triple fault's reset into a shutdown, and -no-shutdown
    keeps QEMU paused there instead of exiting, so the report can still show
    the screen as it was."""

    name = "qemu"

    def __init__(self, image, elf=None, reproduce=None, extra=(), memory="32M"):
        super().__init__(image, elf, reproduce)
        self.extra = list(extra)
        self.memory = memory
        self.qmp_sock = None

    def start(self):
        d = self.dir
        self.command = [
            "qemu-system-i386", "-display", "none", "-no-reboot", "-no-shutdown",
            "-m", self.memory,
            "-drive", f"format=raw,file={self.image},snapshot=on",
            "-serial", f"file:{d}/serial.txt", "-debugcon", f"file:{d}/debugcon.txt",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-qmp", f"unix:{d}/qmp.sock,server=on,wait=off",
            "-d", "int,cpu_reset", "-D", f"{d}/int.log", *self.extra]
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(f"{d}/stderr.txt", "w"),
                                     start_new_session=True)
        self._connect()

    def _connect(self):
        path = os.path.join(self.dir, "qmp.sock")
        deadline = time.monotonic() + 10
        while True:
            try:
                sock = socket.socket(socket.AF_UNIX)
                sock.connect(path)
                break
            except OSError:
                sock.close()
                if not self.alive() or time.monotonic() > deadline:
                    raise Failure("wrong output", "QEMU did not start: " +
                                  self._read("stderr.txt").strip())
                time.sleep(0.02)
        self.qmp_sock = sock
        self.qmp_file = sock.makefile("rw")
        json.loads(self.qmp_file.readline())  # the greeting
        self.qmp("qmp_capabilities")

    def qmp(self, command, **arguments):
        """Run one QMP command and return its result."""
        if not self.alive():
            self.stopped()
        message = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        self.qmp_file.write(json.dumps(message) + "\n")
        self.qmp_file.flush()
        while True:
            line = self.qmp_file.readline()
            if not line:
                self.proc.wait(timeout=5)
                self.stopped()
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(f"QMP {command}: {reply['error']['desc']}")

    def hmp(self, command):
        """Run a human-monitor command (such as 'info registers')."""
        return self.qmp("human-monitor-command", **{"command-line": command})

    def memory_read(self, address, size):
        path = os.path.join(self.dir, "mem.bin")
        self.qmp("pmemsave", val=address, size=size, filename=path)
        with open(path, "rb") as f:
            return f.read()

    def screen(self):
        return Screen(self.memory_read(VGA_TEXT, COLS * ROWS * 2))

    def screenshot(self, path):
        """Save the screen as QEMU draws it, as a PNG file."""
        self.qmp("screendump", filename=os.path.abspath(path), format="png")

    def registers(self):
        """CPU registers by name (EAX, EIP, CR0, ...) as integers."""
        text = self.hmp("info registers")
        regs = {name: int(value, 16) for name, value in
                re.findall(r"\b([A-Z][A-Z0-9]*)=([0-9a-f]{8})\b", text)}
        regs.update({name: int(selector, 16) for name, selector in
                     re.findall(r"^([CDEFGS]S) =([0-9a-f]{4})", text, re.M)})
        regs["HLT"] = int(re.search(r"HLT=(\d)", text).group(1))
        return regs

    def type(self, text, delay=0.03):
        """Type text on the PS/2 keyboard, one key press at a time."""
        for char in text:
            self.press(*keys_for(char))
            time.sleep(delay)

    def press(self, *keys, hold_ms=20):
        self.qmp("send-key", keys=[{"type": "qcode", "data": k} for k in keys],
                 **{"hold-time": hold_ms})

    def check_running(self, panic_ok=False):
        super().check_running(panic_ok)
        if self.qmp("query-status")["status"] != "shutdown":
            return
        if "Triple fault" in self._read("int.log"):
            raise Failure("triple fault", "the CPU reset after a triple fault (QEMU stops "
                          "there, as -no-reboot asks).\n" + self.fault_chain(), self)
        raise Failure("wrong output", "the machine shut down", self)

    def stopped(self):
        status = self.proc.returncode
        if status == 0:
            raise Failure("triple fault", "the CPU reset (QEMU exits with status 0 under "
                          "-no-reboot).\n" + self.fault_chain(), self)
        if status & 1 and status > 1:
            raise Failure("wrong output", f"the kernel exited through isa-debug-exit with "
                          f"value {status >> 1:#x} (QEMU status {status})", self)
        raise Failure("wrong output", f"QEMU exited with status {status}: " +
                      self._read("stderr.txt").strip()[-500:], self)

    def fault_chain(self):
        """The exceptions that led to a triple fault, from QEMU's -d int log."""
        log = self._read("int.log")
        events = re.findall(r"^\s*\d+: v=([0-9a-f]{2}) e=([0-9a-f]{4}) .*?IP=[0-9a-f]{4}:"
                            r"([0-9a-f]{8})", log, re.M)
        if not events:
            return "No exception was logged before the reset."
        lines = ["The exceptions before the reset (from QEMU's -d int log):"]
        for vector, error, ip in events[-4:]:
            lines.append(f"  vector {int(vector, 16):#04x} ({exception_name(int(vector, 16))}), "
                         f"error code {error}, at {int(ip, 16):#010x} {symbolize(self.elf, int(ip, 16))}")
        lines.append("  then the triple fault.")
        return "\n".join(lines)


EXCEPTIONS = ["divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
              "invalid opcode", "device not available", "double fault",
              "coprocessor segment overrun", "invalid TSS", "segment not present",
              "stack-segment fault", "general protection", "page fault", "reserved",
              "x87 floating-point", "alignment check", "machine check", "SIMD floating-point"]


def exception_name(vector):
    if vector < len(EXCEPTIONS):
        return EXCEPTIONS[vector]
    return "interrupt" if vector >= 32 else "reserved"


def symbolize(elf, address):
    """'(in kmain+0x7)' for an address inside the kernel, else ''."""
    try:
        out = subprocess.run(["nm", "-n", elf], stdout=subprocess.PIPE, text=True,
                             stderr=subprocess.DEVNULL).stdout
    except OSError:
        return ""
    best = None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT" and int(parts[0], 16) <= address:
            best = (parts[2], address - int(parts[0], 16))
    return f"(in {best[0]}+{best[1]:#x})" if best else ""


class Bochs(Machine):
    """Bochs under a pseudo-terminal (Debian's build has no headless display
    but 'term'), its debugger told to continue, port 0xE9 on its output and
    COM1 in a file."""

    name = "bochs"

    def start(self):
        # Bochs locks its disk image with a .lock file beside it, which stays
        # behind when Bochs is killed: give it a private copy.
        d = self.dir
        shutil.copy(self.image, f"{d}/os.img")
        with open(f"{d}/bochsrc", "w") as f:
            f.write(BOCHSRC.format(image=f"{d}/os.img", dir=d))
        with open(f"{d}/cont", "w") as f:
            f.write("c\n")
        inner = f"bochs -q -f {d}/bochsrc -rc {d}/cont"
        self.command = ["script", "-qfc", inner, "/dev/null"]
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                     stdout=open(f"{d}/terminal.txt", "wb"),
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def debugcon(self):
        # Bochs prints port 0xE9 bytes among its terminal drawing: take the
        # plain text lines out of it.
        term = self._read("terminal.txt")
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x0f|\x0e", "", term)
        # The kernel's output starts after the debugger's first "Next at t=0"
        # line and the instruction it shows.
        start = re.search(r"Next at t=0\r?\n[^\n]*\n", text)
        return text[start.end():] if start else ""

    def screen(self):
        raise RuntimeError("no screen dump under Bochs")

    def report(self):
        log = self._read("bochs.log").strip().splitlines()
        return (super().report() + "\nBochs log (last lines):\n" +
                "\n".join("  " + l for l in log[-10:]))

    def stopped(self):
        log = self._read("bochs.log")
        kind = "triple fault" if "triple fault" in log.lower() else "wrong output"
        raise Failure(kind, f"Bochs stopped (status {self.proc.returncode})", self)


BOCHSRC = """\
megs: 32
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=disk, path={image}, mode=flat
boot: disk
display_library: term
com1: enabled=1, mode=file, dev={dir}/serial.txt
port_e9_hack: enabled=1
speaker: enabled=0
sound: driver=dummy
cpu: ips=10000000, reset_on_triple_fault=0
clock: sync=none, time0=1
magic_break: enabled=0
log: {dir}/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
"""


# The test registry: tests/run.py runs what the test modules register here.
TESTS = []


def test(group, name):
    """Register a test. group is a step ('step01') or another group ('harness')."""
    def register(function):
        TESTS.append((group, name, function))
        return function
    return register


def boot(step, timeout=10, **options):
    """Start QEMU on a step's image and wait for its ready marker.
    The caller stops it (use it in a with statement)."""
    folder = step_dir(step)
    tag = os.path.basename(folder)[:6]
    machine = Qemu(os.path.join(folder, "build", "os.img"),
                   reproduce=f"make -C {os.path.relpath(folder)} test", **options)
    machine.start()
    try:
        machine.wait_for(f"{tag}: ready", timeout)
    except Exception:
        machine.stop()
        raise
    return machine


def expect(condition, message, machine=None):
    """A 'wrong output' failure unless condition holds."""
    if not condition:
        raise Failure("wrong output", message, machine)
