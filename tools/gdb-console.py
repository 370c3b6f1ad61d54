"""gdb-console.py: two gdb commands for a kernel that runs without a window
(over SSH, in a container), loaded by tools/debug:

  type TEXT    type TEXT and Enter on the kernel's keyboard, once it runs
  screen       print the 80x25 text screen (the VGA buffer at 0xB8000)

gdb stops the whole machine while it waits at its prompt, so `type` only
queues the text: it is typed after the next `continue` (or `next`, `step`),
once the kernel has said it is ready, one key every few milliseconds, so
that the keyboard controller's small queue never overflows. The keys go
through QEMU's QMP socket as real PS/2 scancodes, as from a real keyboard.
"""

import json
import os
import socket
import threading
import time

import gdb

QMP = os.environ.get("DEBUG_QMP", "build/qmp.sock")
SERIAL = os.environ.get("DEBUG_SERIAL", "build/serial.txt")

# QEMU's names for the keys (its "qcodes"); shifted characters add "shift".
NAMED = {" ": "spc", "\n": "ret", "-": "minus", "=": "equal", ".": "dot", ",": "comma",
         "/": "slash", ";": "semicolon", "'": "apostrophe", "[": "bracket_left",
         "]": "bracket_right", "\\": "backslash", "`": "grave_accent"}
SHIFTED = {"_": "-", "+": "=", ">": ".", "<": ",", "?": "/", ":": ";", '"': "'",
           "{": "[", "}": "]", "|": "\\", "~": "`", "!": "1", "@": "2", "#": "3",
           "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9", ")": "0"}


def qcodes(char):
    """The keys to press together for one character."""
    shift = char.isupper() or char in SHIFTED
    base = SHIFTED.get(char, char.lower())
    name = NAMED.get(base, base)
    return (["shift"] if shift else []) + [name]


def qmp_session():
    """A QMP connection, ready for commands."""
    connection = socket.socket(socket.AF_UNIX)
    connection.connect(QMP)
    stream = connection.makefile("rw")
    stream.readline()                                     # QEMU's greeting
    ask(stream, "qmp_capabilities")
    return connection, stream


def ask(stream, command, **arguments):
    stream.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
    stream.flush()
    while True:                                           # skip events
        answer = json.loads(stream.readline())
        if "return" in answer or "error" in answer:
            return answer


def kernel_ready(timeout=20):
    """Wait until the kernel's serial output says 'ready': keys typed
    before its keyboard driver is set up would be lost."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(SERIAL, errors="replace") as f:
                if ": ready" in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


pending = []


def type_pending(event):
    """Runs when gdb lets the machine go: type what `type` queued."""
    if not pending:
        return
    text = "".join(pending)
    pending.clear()

    def typing():
        kernel_ready()
        connection, stream = qmp_session()
        with connection:
            for char in text:
                keys = [{"type": "qcode", "data": k} for k in qcodes(char)]
                ask(stream, "send-key", keys=keys, **{"hold-time": 20})
                time.sleep(0.03)
    threading.Thread(target=typing, daemon=True).start()


class Type(gdb.Command):
    """type TEXT: type TEXT and Enter on the kernel's keyboard after the next continue."""

    def __init__(self):
        super().__init__("type", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        pending.append(argument + "\n")
        print(f"'{argument}' and Enter will be typed when the kernel runs: continue")


class Screen(gdb.Command):
    """screen: print the 80x25 text screen, read from the VGA buffer at 0xB8000."""

    def __init__(self):
        super().__init__("screen", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        cells = bytes(gdb.selected_inferior().read_memory(0xB8000, 80 * 25 * 2))
        text = "".join(chr(c) if 32 <= c < 127 else " " for c in cells[::2])
        lines = [text[row * 80:(row + 1) * 80].rstrip() for row in range(25)]
        print("+" + "-" * 80 + "+")
        for line in lines:
            print("|" + line.ljust(80) + "|")
        print("+" + "-" * 80 + "+")


Type()
Screen()
gdb.events.cont.connect(type_pending)
