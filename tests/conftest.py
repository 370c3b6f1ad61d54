"""pytest's view of the course: the harness as fixtures, and each check's
step, title, points and exercises as marks.

Each test module says its group (pytestmark = pytest.mark.group("step02")),
or takes a `step` parameter; each test has a title mark, its name in
reports. Points and exercises come from tests/exercises.py, matched by
title, and are added as marks here, so `-k step02-scroll` picks an
exercise's checks and `-k bochs` the checks whose title says Bochs."""

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exercises  # noqa: E402
import harness  # noqa: E402
from harness import TOP, Failure, finished_steps, locked, make, make_command, step_dir  # noqa: E402

pytest_plugins = ["grading"]


def pytest_addoption(parser):
    parser.addoption("--step", default="", help="only the checks of this step (01, step01)")
    parser.addoption("--slow", action="store_true",
                     help="also the checks marked slow, which grade a copy of the course per "
                          "exercise (make test SLOW=1)")


def pytest_configure(config):
    """A folder for the whole run, shared by its worker processes, which
    inherit the environment (see test_common.lone_copy). A run of its own
    inside a check (a grader on a copy) gets its own folder."""
    if not hasattr(config, "workerinput"):
        os.environ["OS_TEST_RUN"] = tempfile.mkdtemp(prefix="ostest-run-")


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ.pop("OS_TEST_RUN", ""), ignore_errors=True)


def normalise(step):
    digits = re.match(r"(?:step)?(\d\d?)", step or "")
    return f"step{int(digits.group(1)):02d}" if digits else step


def group_of(item):
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "step" in params:
        return params["step"]
    mark = item.get_closest_marker("group")
    return mark.args[0] if mark else item.module.__name__


def title_of(item):
    mark = item.get_closest_marker("title")
    if not mark:
        return item.name
    params = getattr(getattr(item, "callspec", None), "params", {})
    return mark.args[0].format(**params)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Marks each check with its points and exercises, and keeps only the
    finished steps' checks (and --step's, when given)."""
    steps = finished_steps()
    wanted = normalise(config.getoption("step"))
    kept, dropped = [], []
    session.checks = []         # every check, before -k and --step: the grader's totals
    session.all_items = list(items)
    for item in items:
        group, title = group_of(item), title_of(item)
        if (group.startswith("step") and group not in steps) or \
                (item.get_closest_marker("slow") and not config.getoption("slow")):
            dropped.append(item)
            continue
        ids = exercises.exercises_of(group, title)
        points = exercises.points(group, title)
        item.add_marker(pytest.mark.points(points))
        for eid in ids:
            item.add_marker(pytest.mark.exercise(eid))
        item.extra_keyword_matches.update([group, title, *ids])
        item.user_properties[:0] = [("group", group), ("title", title), ("points", points),
                                    ("exercises", " ".join(ids))]
        session.checks.append((group, title, points))
        (kept if not wanted or group == wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    # The longest checks first, so the workers finish together: the
    # workshop's graders, then the book's.
    items[:] = sorted(kept, key=lambda item: FIRST.get(group_of(item), len(FIRST)))


FIRST = {"workshop": 0, "book": 1}


def reproduce(item):
    """The command that runs this check again, from the learner's folder."""
    words = f"{item.module.__name__} and {item.name}"
    target = "grade" if item.config.getoption("grade") else "test"
    return make_command(TOP, target, f"T={words}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failure's report: its kind, what the check saw (the screen, the
    last lines), and the command that reproduces it."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)     # for the console fixture
    if call.excinfo is None or report.passed or report.skipped:
        return
    error = call.excinfo.value
    if isinstance(error, Failure):
        kind, text = error.kind, str(error)
    else:
        kind = "error in the test itself"
        text = f"{kind}:\n{call.excinfo.getrepr(style='short', chain=False)}"
    report.longrepr = f"{text.rstrip()}\nReproduce: {reproduce(item)}"
    report.user_properties = list(report.user_properties) + [("kind", kind)]


# --- fixtures ----------------------------------------------------------------

def build(step):
    """make all in a step's folder, one make at a time across the workers."""
    folder = step_dir(step)
    with locked(folder):
        make(folder, "all")
    return folder


@pytest.fixture(scope="session")
def built():
    """built(step) -> the step's folder, after make all; a build failure is
    the check's failure, remembered for the step's other checks."""
    results = {}

    def get(step):
        if step not in results:
            try:
                results[step] = build(step)
            except Failure as failure:
                results[step] = failure
        if isinstance(results[step], Failure):
            raise results[step]
        return results[step]
    return get


@pytest.fixture(scope="session")
def book_build(built):
    """One `make book` in a test run, into the run's folder, for all of the
    book's checks: the first process that needs it builds it, under a lock,
    and the others read what make said. The steps are built first, one make
    at a time with the other checks: the book's own `make all` in each step
    then has nothing left to do."""
    out = os.path.join(os.environ["OS_TEST_RUN"], "book")
    command = ["make", "--no-print-directory", "-C", TOP, "book", f"BOOK_OUT={out}"]
    with open(out + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(out + ".json"):
            for step in finished_steps():
                try:
                    built(step)
                except Failure:
                    pass            # the book's build names it
            run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True)
            with open(out + ".json", "w") as f:
                json.dump({"returncode": run.returncode, "stdout": run.stdout}, f)
    with open(out + ".json") as f:
        result = types.SimpleNamespace(**json.load(f))
    return out, result, " ".join(command)


@pytest.fixture
def book(book_build):
    """The built book's folder; a failed build fails each check that needs it."""
    out, result, command = book_build
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-25:])
        raise Failure("build failed", f"`{command}` failed:\n{tail}")
    return out


@pytest.fixture
def machine(request, built):
    """A fresh QEMU booted to the module's step's ready line: a check that
    types or runs programs gets a machine of its own."""
    step = request.node.get_closest_marker("group").args[0]
    built(step)
    with harness.boot(step) as m:
        yield m


@pytest.fixture(scope="module")
def lent_machine():
    """Where the console fixture keeps its machine between two checks."""
    held = {}
    yield held
    if held:
        held.pop("machine").stop()


def at_prompt(machine):
    """Is the console back at its prompt, with nothing else going on?"""
    def prompt():
        return machine.serial().endswith("\r\n" + harness.PROMPT)
    try:
        machine.wait_until(prompt, "the prompt", timeout=5, idle=1)
        return True
    except Failure:
        return False


@pytest.fixture
def console(request, built, lent_machine):
    """A QEMU at the module's step's prompt, lent from one check to the next:
    for checks that each run a program and leave the console as they found
    it. The kernel must survive every program, so running the next one on
    the same boot also checks that. After a check that failed, or when the
    console does not come back to its prompt, the boot ends there and the
    next check gets a fresh one."""
    step = request.node.get_closest_marker("group").args[0]
    built(step)
    machine = lent_machine.pop("machine", None)
    if machine and not at_prompt(machine):
        machine.stop()
        machine = None
    machine = machine or harness.boot(step)
    try:
        yield machine
    finally:
        report = getattr(request.node, "report_call", None)
        if report and report.passed:
            lent_machine["machine"] = machine
        else:
            machine.stop()


@pytest.fixture(scope="module")
def shared_machine(request, built):
    """One QEMU booted to the module's step's ready line, shared by the
    module's checks that only look (screen, registers, output) and never
    type or change memory."""
    step = request.node.get_closest_marker("group").args[0]
    built(step)
    with harness.boot(step) as m:
        yield m
