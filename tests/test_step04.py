"""step04-keyboard: typing through QMP send-key, the timer, a key flood, and
the crash screen for three exceptions."""

import re
import subprocess
import time

import os

import pytest

from harness import STOPPED, Bochs, command, expect, make_command, step_dir

pytestmark = pytest.mark.group("step04")


def screen_has_line(machine, text):
    lines = machine.screen().lines()
    expect(text in lines, f"the screen has no line {text!r}", machine)


@pytest.mark.title("typed text echoes on screen and serial; unknown commands get a message")
def test_typing(machine):
    out = command(machine, "Hello, World! 123 -=[];'`\\,./")
    line = "> Hello, World! 123 -=[];'`\\,./"
    screen_has_line(machine, line)
    expect(line[2:] + "\r\n" in out, f"serial did not echo {line!r}: {out!r}", machine)
    expect("unknown command 'Hello,': type help for the list" in out,
           f"no message for an unknown command: {out!r}", machine)


@pytest.mark.title("Shift and Caps Lock: caps gives upper case, Shift with caps lower case")
def test_shift_and_caps(machine):
    machine.press("caps_lock")
    out = command(machine, "abc" + "D" + "1!")
    machine.press("caps_lock")
    machine.press("shift_r", "z")       # the right Shift key shifts too
    out += command(machine, "xY")
    screen_has_line(machine, "> ABCd1!")
    screen_has_line(machine, "> ZxY")


@pytest.mark.title("Backspace edits the line and stops at the prompt (column 0 of the input)")
def test_backspace(machine):
    command(machine, "\b\b\bhelq\bp")
    screen_has_line(machine, "> help")
    expect(machine.screen().find("help         this list"), "help did not run", machine)


@pytest.mark.title("extended keys (arrows, keypad Enter's 0xE0 codes) type nothing and corrupt nothing")
def test_extended_keys(machine):
    for key in ("up", "down", "left", "right", "home", "end", "insert", "delete",
                "ctrl_r", "alt_r", "pause", "f1", "esc"):
        machine.press(key)
    out = command(machine, "help")
    screen_has_line(machine, "> help")
    expect("help         this list" in out, f"help did not run after the special keys: {out!r}",
           machine)


def ticks(machine):
    out = command(machine, "ticks")
    match = re.search(r"ticks: (\d+)", out)
    expect(match, f"no ticks in {out!r}", machine)
    t = int(match.group(1))
    seconds = f"ticks: {t} ({t // 100}.{t % 100:02d} s)"     # 100 ticks a second
    expect(seconds in out, f"{t} ticks should print as {seconds!r}: {out!r}", machine)
    return t, time.monotonic()


@pytest.mark.title("the timer ticks at about 100 Hz (ticks per host second, loosely)")
def test_timer_rate(machine):
    t1, h1 = ticks(machine)
    time.sleep(1)           # about 100 ticks: the bounds below allow 30 to 300
    t2, h2 = ticks(machine)
    ratio = (t2 - t1) / (100 * (h2 - h1))
    expect(t2 > t1, f"ticks did not grow: {t1} then {t2}", machine)
    expect(0.3 < ratio < 3, f"{t2 - t1} ticks in {h2 - h1:.2f} s: {ratio:.2f} times "
           f"the expected 100 Hz", machine)


@pytest.mark.title("a flood of 1,000 keys: the buffer drops what it cannot hold, the console still answers")
def test_key_flood(machine):
    # What the flood's end looks at, first without a flood (and without
    # waiting the flood out where it is not there).
    out = command(machine, "ticks")
    expect(re.search(r"keys dropped: \d+", out), f"ticks does not say how many keys were "
           f"dropped: {out!r}", machine)
    prompts = machine.serial().count("\r\n> ")
    machine.type("sleep 1\n")          # the console stops reading keys for 1 s
    # Three keys a message, as fast as QMP takes them (their 6 scancode bytes
    # fit the controller's queue): the 64-key buffer is full in about 0.1 s,
    # long before the sleep ends; the keys after it go to the console's line.
    keys = "abcdefghijklmnopqrstuvwxyz0123456789"
    for i in range(0, 1000, 3):
        machine.key_events(*[[keys[j % len(keys)]] for j in range(i, min(i + 3, 1000))])
    machine.wait_for("\r\n> ", count=prompts + 1, timeout=20, source="serial")
    command(machine, "")
    out = command(machine, "ticks")
    dropped = re.search(r"keys dropped: (\d+)", out)
    expect(dropped, f"the console did not answer after the flood: {out!r}", machine)
    expect(int(dropped.group(1)) > 0, "no key was dropped: the flood did not fill the "
           "buffer, so the test proves nothing", machine)
    text = machine.screen().text()
    odd = {c for c in text if not (c.isalnum() or c in " >:'().;,\n")}
    expect(not odd, f"unexpected characters on screen after the flood: {odd}", machine)
    machine.check_running()


CRASHES = {
    "div": ("divide error (exception 0)", None),
    "ud": ("invalid opcode (exception 6)", None),
    "gp": ("general protection (exception 13)", "error code 0x00000018"),
}


@pytest.mark.parametrize("kind", CRASHES)
@pytest.mark.title("crash {kind}: the crash screen names the exception, registers and details")
def test_crash(machine, kind):
    name, detail = CRASHES[kind]
    command(machine, f"crash {kind}", wait_for=STOPPED)
    serial = machine.serial()
    expect(f"KERNEL PANIC: {name}" in serial, f"serial lacks 'KERNEL PANIC: {name}'", machine)
    for field in ("eip 0x", "cs 0x0008", "eflags 0x", "eax 0x", "esp 0x"):
        expect(field in serial, f"the crash report lacks {field!r}", machine)
    if detail:
        expect(detail in serial, f"the crash report lacks {detail!r}", machine)
    screen = machine.screen()
    at = screen.find(f"KERNEL PANIC: {name}")
    expect(at == (0, 0), "the crash screen does not start with the exception's name", machine)
    expect(all(screen.bg(r, c) == 4 for r in range(25) for c in range(80)),
           "the crash screen is not all red", machine)
    regs = machine.registers()
    expect(regs["HLT"] == 1 and not regs["EFL"] & 0x200,
           "after the crash screen the CPU should be halted with interrupts off", machine)


@pytest.mark.title("idle, the CPU sleeps in hlt")
def test_idle_halts(machine):
    samples = []
    for _ in range(10):
        samples.append(machine.registers()["HLT"])
        time.sleep(0.05)
    expect(sum(samples) >= 7, f"the CPU was halted in only {sum(samples)} of 10 samples", machine)


@pytest.mark.title("Bochs boots step04 to its prompt")
def test_bochs_prompt(built):
    built("step04")
    image = os.path.join(step_dir("step04"), "build", "os.img")
    with Bochs(image, reproduce=make_command(step_dir("step04"), "bochs")) as machine:
        machine.wait_for("step04: ready\r\n> ", timeout=60, source="serial")


@pytest.mark.title("make debug without a display: gdb's type and screen follow chapter 4's crash gp")
def test_debug_headless_walkthrough(built):
    """Chapter 4's walk-through, as over SSH: no window, so gdb's `type`
    sends the keys and `screen` shows the prompt; gdb stops in crash_screen
    with the general protection fault's vector and error code."""
    from test_common import free_port
    folder = built("step04")
    build = os.path.join(folder, "build")
    env = dict(os.environ, GDB_PORT=str(free_port()), DISPLAY="", WAYLAND_DISPLAY="")
    command = [os.path.join(os.path.dirname(folder), "tools", "debug"),
               os.path.join(build, "os.img"), os.path.join(build, "kernel.elf"), "-batch",
               "-ex", "break crash_screen", "-ex", "type crash gp", "-ex", "continue",
               "-ex", "screen", "-ex", "print/x r->vector", "-ex", "print/x r->error"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=90, env=env, cwd=folder)
    out = result.stdout
    expect("Breakpoint 2, crash_screen" in out, "gdb did not stop in crash_screen after "
           "`type crash gp` and `continue`:\n" + out[-2000:])
    expect(re.search(r"^\|> crash gp +\|$", out, re.M),
           "gdb's `screen` does not show the typed '> crash gp':\n" + out[-2500:])
    expect(re.search(r"^\$1 = 0xd$", out, re.M) and re.search(r"^\$2 = 0x18$", out, re.M),
           "in crash_screen, r->vector should be 0xd and r->error 0x18 (the selector):\n"
           + out[-800:])
