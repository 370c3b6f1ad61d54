"""The test harness, by role:

  checks     the named Failure, expect, and the GOOD/BAD/MISSING line report
  screen     the VGA text screen and a model of what a console shows
  emulators  QEMU (with its QMP client) and Bochs, and the one way to wait
  course     the steps, their builds, their ready lines, reproduce commands
  linux      Linux's answers: a program under qemu-i386, kept from run to run

tests/conftest.py turns them into pytest fixtures. The names most checks
use are here too."""

from .checks import KINDS, Failure, expect, expect_same_lines, line_report  # noqa: F401
from .course import (ORIGIN, PROMPT, STOPPED, TOP, boot, command, copy_step,  # noqa: F401
                     finished_steps, forget, here, kept_copy, locked, make, make_command,
                     ready_line, step_dir)
from .emulators import (BOCHSRC, PANIC_MARK, Bochs, Machine, Qemu, descendants,  # noqa: F401
                        keys_for, symbolize)
from .linux import Linux, on_linux  # noqa: F401
from .screen import COLOURS, COLS, ROWS, VGA_TEXT, Screen, model_screen  # noqa: F401
