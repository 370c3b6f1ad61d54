"""Assertions: the named failure every check raises, and the line-by-line
report (GOOD, BAD, MISSING, EXTRA) a learner reads under it.

The kinds of failure:
  build failed   - make returned an error
  triple fault   - the CPU reset (QEMU exits with status 0 under -no-reboot)
  hang           - the expected output did not come, and it was certain it
                   never would (the CPU halted with interrupts off, or idle
                   in hlt with nothing printed), or the time ran out
  kernel panic   - the kernel printed "KERNEL PANIC"
  wrong output   - the kernel ran, but the screen or serial is not as expected
"""

KINDS = ("build failed", "triple fault", "hang", "kernel panic", "wrong output")


class Failure(Exception):
    """A named failure: kind is one of KINDS. machine, if given, adds its
    report: the screen, the last lines of output and how to reproduce."""

    def __init__(self, kind, message, machine=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.report = machine.report() if machine else ""

    def __str__(self):
        text = f"{self.kind}: {self.message}"
        return text + ("\n" + self.report if self.report else "")


def expect(condition, message, machine=None):
    """A 'wrong output' failure unless condition holds."""
    if not condition:
        raise Failure("wrong output", message, machine)


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
