"""Every command a chapter tells the reader to type, run the way the chapter
says. The chapters mark them (book/README.md, "Commands"):

  ```{.shell}                 lines for a shell at the top of the course
  make run STEP=02            (a comment after # is not typed)
  ```
  ```{.shell mode="terminal"} the same, in a terminal without a display
  `ticks`{.console}           typed at the kernel's console (a `> ` line in
                              a {.console} block is one too), in the
                              chapter's own step

A shell line is run headless as the chapter shows it, with these
exceptions, each named in the check's output: `make run` is run with its
output piped, the mode a CI job gets, and must reach the step's ready line
(in mode "terminal", under a pseudo-terminal, quit through QEMU's monitor
as the chapter says); `make debug`, `make test` and `make -C ... test` are
long or wait for a person, so `make -n` checks that they exist and expand;
a line with `...` in it holds a placeholder and is skipped. The console's
commands of a chapter are typed into one boot of its step, a crash's last,
each crash in a boot of its own; none may get "unknown command". The
checks run what they find, so a chapter that gains commands is covered."""

import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest

from harness import (STOPPED, TOP, Failure, boot, command, expect, finished_steps, locked,
                     step_dir)

pytestmark = pytest.mark.group("book")

CHAPTERS = os.path.join(TOP, "book", "chapters")
FENCE = re.compile(r"^```\{([^}]*)\}\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"`([^`\n]+)`\{\.console\}")
DRY = re.compile(r"^make\b.*\b(debug|test|heap)\b")


def chapters():
    return sorted(name[:-3] for name in os.listdir(CHAPTERS)
                  if re.match(r"\d\d-.*\.md$", name))


def read(chapter):
    with open(os.path.join(CHAPTERS, chapter + ".md")) as f:
        return f.read()


def shell_blocks(chapter):
    """[(mode, [lines])] of the chapter's {.shell} blocks."""
    found = []
    for attrs, body in FENCE.findall(read(chapter)):
        if re.search(r"(^|\s)\.shell\b", attrs):
            mode = re.search(r'mode="(\w+)"', attrs)
            lines = [re.sub(r"\s+#.*$", "", line).strip() for line in body.splitlines()]
            found.append((mode.group(1) if mode else "headless", [l for l in lines if l]))
    return found


def console_commands(chapter):
    text = read(chapter)
    found = INLINE.findall(text)
    for attrs, body in FENCE.findall(text):
        if re.search(r"(^|\s)\.console\b", attrs):
            found += [line[2:].strip() for line in body.splitlines() if line.startswith("> ")]
    return list(dict.fromkeys(found))


def step_of(chapter, line):
    """The step a make run boots: STEP=NN, else the latest (make run at the
    top), or the chapter's own, when the line runs in its step folder."""
    match = re.search(r"STEP=(\d+)", line)
    return "step" + match.group(1).zfill(2) if match else finished_steps()[-1]


def run_headless(line, cwd):
    """Run a shell line; returns (how, output)."""
    if DRY.match(line):
        how = "dry run (make -n)"
        result = subprocess.run(["bash", "-c", line.replace("make", "make -n", 1)], cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                timeout=120)
    else:
        how = "run, output piped" if line.startswith("make run") else "run"
        result = subprocess.run(["bash", "-c", line], cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                timeout=300, env={k: v for k, v in os.environ.items()
                                                  if k not in ("DISPLAY", "WAYLAND_DISPLAY")})
    expect(result.returncode == 0, f"`{line}` ({how}) failed with status "
           f"{result.returncode}:\n{result.stdout[-2000:]}")
    return how, result.stdout


def run_in_terminal(line, cwd, step):
    """make run in a terminal without a display: QEMU draws in the terminal,
    serial goes to build/serial.txt; quit as the chapter says: Esc, 2, quit."""
    serial = os.path.join(step_dir(step), "build", "serial.txt")
    if os.path.exists(serial):
        os.remove(serial)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["TERM"] = "xterm"
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execvpe("bash", ["bash", "-c", line], env)
    output, deadline, quit_sent, closed = b"", time.monotonic() + 120, False, False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([] if closed else [fd], [], [], 0.2)
            if ready:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    closed = True       # the terminal's last reader is gone
            if not quit_sent and os.path.exists(serial):
                with open(serial, errors="replace") as f:
                    if f"{step}: ready" in f.read():
                        os.write(fd, b"\x1b2")
                        time.sleep(0.5)
                        os.write(fd, b"quit\r")
                        quit_sent = True
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                pid = 0
                break
    finally:
        if pid:
            os.killpg(pid, signal.SIGKILL)      # pty.fork made it a session leader
            os.waitpid(pid, 0)
        os.close(fd)
    expect(quit_sent, f"`{line}` in a terminal: {serial} never said '{step}: ready'; "
           f"the terminal showed:\n{output[-1500:].decode(errors='replace')}")
    expect(pid == 0, f"`{line}` in a terminal: QEMU did not quit after Esc, 2, quit")
    return "run in a terminal, quit with Esc 2 quit", ""


def quiet_command(machine, line):
    """A command that prints nothing for a while on purpose (sleep N): the
    harness's command() would take the silence for a hang."""
    before = machine.serial()
    machine.type(line + "\n")
    machine.wait_until(lambda: machine.serial()[len(before):].endswith("\r\n> ") or None,
                       f"the prompt after typing {line!r}", timeout=30)
    return machine.serial()[len(before):]


SHELL_CHAPTERS = [c for c in chapters() if shell_blocks(c)]
CONSOLE_CHAPTERS = [c for c in chapters() if console_commands(c)]


@pytest.mark.parametrize("chapter", SHELL_CHAPTERS)
@pytest.mark.title("chapter {chapter}: each shell command it gives runs, as the chapter says")
def test_shell_commands(chapter):
    done = []
    for mode, lines in shell_blocks(chapter):
        cwd = TOP
        for line in lines:
            if "..." in line:
                done.append(f"skipped (a placeholder): {line}")
                continue
            if line.startswith("cd "):
                cwd = os.path.join(cwd, line[3:].strip())
                expect(os.path.isdir(cwd), f"`{line}`: there is no such folder")
                continue
            step = step_of(chapter, line)
            with locked(step_dir(step) if line.startswith("make run") else TOP):
                if mode == "terminal" and line.startswith("make run"):
                    how, out = run_in_terminal(line, cwd, step)
                else:
                    how, out = run_headless(line, cwd)
            if line.startswith("make run") and mode != "terminal":
                expect(f"{step}: ready" in out, f"`{line}` (headless) did not reach "
                       f"'{step}: ready':\n{out[-2000:]}")
            if line.startswith("cat "):
                expect(out.strip(), f"`{line}` printed nothing")
            done.append(f"{how}: {line}")
    print("\n".join(done))


@pytest.mark.parametrize("chapter", CONSOLE_CHAPTERS)
@pytest.mark.title("chapter {chapter}: each console command it gives runs in its step")
def test_console_commands(chapter, built):
    step = "step" + chapter[:2]
    built(step)
    commands = console_commands(chapter)
    crashes = [c for c in commands if c.startswith("crash ")]
    plain = [c for c in commands if c not in crashes]
    with boot(step) as machine:
        for line in plain:
            out = quiet_command(machine, line) if line.startswith("sleep ") \
                else command(machine, line, timeout=30)
            expect("unknown command" not in out, f"typing `{line}` in {step}: {out!r}", machine)
    for line in crashes:
        with boot(step) as machine:
            out = command(machine, line, wait_for=STOPPED)
            expect("KERNEL PANIC" in out, f"`{line}` in {step} showed no crash screen: {out!r}",
                   machine)
    if not commands:
        raise Failure("wrong output", f"chapter {chapter} has no console commands")


@pytest.mark.title("each step's chapter marks the commands it gives: make run in a {{.shell}} "
                   "block, and from step04 on, console commands")
def test_commands_marked():
    for chapter in chapters():
        if not re.match(r"0[1-6]-", chapter):
            continue
        lines = [line for _, block in shell_blocks(chapter) for line in block]
        expect(any(line.startswith("make run") for line in lines),
               f"chapter {chapter} has no make run in a {{.shell}} block")
        if chapter >= "04":
            expect(console_commands(chapter), f"chapter {chapter} marks no console command "
                   "(`cmd`{.console}, or > lines in a {.console} block)")
