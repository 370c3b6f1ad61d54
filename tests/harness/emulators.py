"""The emulators under test: QEMU (with its QMP client) and Bochs, each
started headless with its output in files, and one way to wait on them.

Nothing waits for a fixed time. Machine.wait_until looks at the machine
until what it waits for is there, and stops as soon as it is certain it
never will be: the kernel panicked, the machine stopped or reset, the CPU
halted with interrupts off (only an NMI could wake it), or, when the caller
says the kernel should be busy answering, the CPU sat idle in hlt with
nothing new printed. A timeout is the last resort."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from .checks import Failure
from .screen import COLS, ROWS, VGA_TEXT, Screen

PANIC_MARK = "KERNEL PANIC"
POLL = 0.02             # seconds between looks at the output
REGISTER_POLL = 0.2     # seconds between looks at the CPU's state

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

    # --- waiting: the one mechanism -------------------------------------------

    def wait_until(self, condition, what, timeout=10, panic_ok=False, idle=None):
        """Look at the machine until condition() returns something true, and
        return it. what names the awaited thing for the report. A panic
        fails the wait unless panic_ok; idle, in seconds, names a hang once
        the CPU has sat in hlt that long with no new output (for waits where
        the kernel should be working, not waiting for a key or a tick)."""
        deadline = time.monotonic() + timeout
        self.hang_watch = HangWatch(self, idle)
        while True:
            self.check_running(panic_ok)
            found = condition()
            if found:
                # The kernel may have panicked just before it printed what
                # was awaited, after check_running looked.
                self.check_panic(panic_ok)
                return found
            why = self.hang_watch.certain()
            if why:
                # The output may have come just before the CPU stopped.
                found = condition()
                if found:
                    return found
                self.check_running(panic_ok)
                raise Failure("hang", f"waited for {what}, and {why}", self)
            if time.monotonic() > deadline:
                raise Failure("hang", f"waited {timeout} s for {what}, and it did not come", self)
            time.sleep(POLL)

    def wait_for(self, text, timeout=10, source=None, count=1, panic_ok=False, idle=None):
        """Wait until text appears (count times) in the kernel's output
        (source: 'serial' or 'debugcon'; default both). Returns the output."""
        read = {"serial": self.serial, "debugcon": self.debugcon}.get(source, self.output)

        def seen():
            out = read()
            return out if out.count(text) >= count else None
        return self.wait_until(seen, f"{text!r} on {source or 'serial/0xE9'}", timeout,
                               panic_ok, idle)

    def halted(self):
        """(halted, interrupts enabled), or None where the emulator cannot tell."""
        return None

    def check_panic(self, panic_ok=False):
        if not panic_ok and PANIC_MARK in self.output():
            raise Failure("kernel panic", "the kernel panicked", self)

    def check_running(self, panic_ok=False):
        """Raise the right Failure if the kernel panicked or the machine stopped."""
        self.check_panic(panic_ok)
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


def echo_of(text):
    """What a console echoes for text typed on an empty line: each key
    itself, Tab a space, and Backspace "\\b \\b" (back, blank, back) where
    the line has a character to take back, nothing at its start."""
    echo, length = "", 0
    for char in text:
        if char != "\b":
            echo, length = echo + (" " if char == "\t" else char), length + 1
        elif length:
            echo, length = echo + "\b \b", length - 1
    return echo


def wrong_echo(echo, shown):
    """None once shown (the output since the typing began) holds echo;
    else the echo shown if its first difference from echo is a printable
    character where another was typed, which no later output can mend;
    else '' (not come yet, or not to be judged). Letters count in either
    case (Caps Lock). What comes before the echo's first character (the end
    of a prompt) is not judged, nor what follows a difference in a control
    character (keys a full line did not take, then a Backspace)."""
    echo_l, shown_l = echo.lower(), shown.lower()
    if echo_l in shown_l:
        return None
    starts = [i for i, c in enumerate(shown_l) if c == echo_l[0]]
    for i in starts:
        differ = next(((a, b) for a, b in zip(shown_l[i:], echo_l) if a != b), None)
        if differ is None or min(differ) < " ":
            return ""       # may still come right, or cannot be judged
    return shown[starts[0]:] if starts else ""


class HangWatch:
    """Decides when a wait is certain to be in vain, from the CPU's state:
    halted with interrupts off is final; halted with interrupts on, with no
    new output for `idle` seconds, is a kernel that waits for nothing."""

    def __init__(self, machine, idle):
        self.machine = machine
        self.idle = idle
        self.next_look = time.monotonic() + REGISTER_POLL
        self.idle_since = None
        self.output = None
        self.stuck = False      # halted with interrupts off

    def certain(self):
        now = time.monotonic()
        if now < self.next_look:
            return None
        self.next_look = now + REGISTER_POLL
        state = self.machine.halted()
        if state is None:
            return None
        halted, interrupts = state
        if halted and not interrupts:
            self.stuck = True
            return "the CPU is halted with interrupts off: nothing can wake it"
        if self.idle is None:
            return None
        output = self.machine.output()
        if not halted or output != self.output:
            self.idle_since, self.output = now, output
            return None
        if now - self.idle_since >= self.idle:
            return (f"the CPU has been idle in hlt for {self.idle:g} s with nothing printed: "
                    "the kernel is waiting for something that will not come")
        return None


class Qemu(Machine):
    """qemu-system-i386, headless, with COM1 and port 0xE9 written to files,
    isa-debug-exit on port 0xf4, and QMP on a socket for the screen and keys.

    -no-reboot turns a triple fault's reset into a shutdown, and -no-shutdown
    keeps QEMU paused there instead of exiting, so the report can still show
    the screen as it was. -nic none leaves out the network card, which no
    kernel here drives: without it SeaBIOS has no network boot ROM to load
    and start, and a boot takes about a sixth less time."""

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
            "-nic", "none", "-m", self.memory,
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

    def halted(self):
        if not self.alive():
            return None
        regs = self.registers()
        return bool(regs["HLT"]), bool(regs["EFL"] & 0x200)

    def type(self, text, delay=0.03):
        """Type text on the PS/2 keyboard, one key press at a time."""
        for char in text:
            self.press(*keys_for(char))
            time.sleep(delay)

    def type_echoed(self, text, output, group=3, timeout=2):
        """Type text on an empty console line as fast as the kernel takes it:
        a few keys at a time, each group once output() shows the one before
        echoed (echo_of says how). A group's scancodes (at most 4 bytes a
        key, with Shift) fit the keyboard controller's 16-byte queue, which
        drops what overflows.

        An echo with a wrong character in it (a key that came out as another,
        such as '1' for '!') is certain never to become right: that is a
        'wrong output' failure at once, which shows what was typed. Where
        the echo does not come (a kernel that does not echo, a full line),
        the rest is typed one key per 30 ms, as type() does; where the CPU
        has halted with interrupts off, nothing will take the rest."""
        start = len(output())
        for i in range(0, len(text), group):
            self.key_events(*[keys_for(char) for char in text[i:i + group]])
            typed = text[:i + group]
            echo = echo_of(typed)
            deadline = time.monotonic() + timeout
            watch = HangWatch(self, None)
            while True:
                shown = output()[start:]
                wrong = wrong_echo(echo, shown)
                if wrong is None:
                    break
                if wrong:
                    raise Failure("wrong output", f"typed {typed!r}, and the console echoed "
                                  f"{wrong!r}: a key came out as another character", self)
                if time.monotonic() > deadline or not self.alive():
                    self.type(text[i + group:])
                    return
                if watch.certain():
                    return          # the caller's wait names the hang
                time.sleep(0.002)

    def key_events(self, *chords):
        """Press each chord (keys together, such as shift and a) and release
        it, one chord after the other, as one ordered list of input events:
        one message to QEMU, and no hold time to wait for. A few chords at a
        time: their scancodes must fit the keyboard controller's queue."""
        def event(key, down):
            return {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": key}}}
        events = []
        for keys in chords:
            events += [event(k, True) for k in keys] + [event(k, False) for k in reversed(keys)]
        self.qmp("input-send-event", events=events)

    def press(self, *keys):
        """Press keys together (shift and a, or one key) and let go."""
        self.key_events(list(keys))

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
