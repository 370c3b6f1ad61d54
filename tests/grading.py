"""The autograder, as a pytest plugin: pytest --grade (make grade).

It prints a line per check with its points (tests/exercises.py: an
exercise's checks are worth more), what a failed check saw, the kind of
failure and the exercise and book section to look at; then a score per step
and 'Score: n/m'. The exit status is 0 only for full marks.

    --grade               the report above, instead of pytest's own
    --exercises-only      grade only the checks that depend on an exercise
    --gradescope FILE     Gradescope's results.json
    --classroom FILE      write GitHub Classroom's autograding.json and stop
JUnit XML comes from pytest itself: --junitxml FILE.

Anti-spoofing: no check takes a kernel's word for it. Checks read the
screen, the serial port, memory and registers; a check that asks the
kernel to test itself (step05's 'selftest NONCE') sends a fresh random
nonce and wants it back in the result line, so a kernel that prints a
fixed 'passed' line earns nothing."""

import json

import pytest

import exercises


def pytest_addoption(parser):
    group = parser.getgroup("grade", "the course's autograder")
    group.addoption("--grade", action="store_true", help="print the grader's report and score")
    group.addoption("--exercises-only", action="store_true",
                    help="only the checks that depend on an exercise")
    group.addoption("--gradescope", metavar="FILE", help="write Gradescope's results.json")
    group.addoption("--classroom", metavar="FILE",
                    help="write GitHub Classroom's autograding.json and stop")


def classroom(checks):
    """GitHub Classroom's autograding.json: one grader run per step, worth
    that step's points; the run passes (and earns them) only at full marks."""
    entries = []
    for step in sorted({g for g, _, _ in checks if g.startswith("step")}):
        total = sum(p for g, _, p in checks if g == step)
        entries.append({"name": f"{step}: make grade STEP={step[4:]}", "setup": "tools/need test",
                        "run": f"make grade STEP={step[4:]}", "input": "", "output": "",
                        "comparison": "included", "timeout": 30, "points": total})
    return json.dumps({"tests": entries}, indent=2) + "\n"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    path = config.getoption("classroom")
    if path:
        with open(path, "w") as f:
            f.write(classroom(session.checks))
        pytest.exit(f"wrote {path}", returncode=0)
    if not config.getoption("grade"):
        return
    # The grader grades the steps; the harness, book and bench checks are the maintainers'.
    keep = [i for i in items if dict(i.user_properties)["group"].startswith("step")
            and (not config.getoption("exercises_only") or dict(i.user_properties)["exercises"])]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def counted(report):
    """Whether a report is a check's result: its call, or a setup that failed."""
    return report.when == "call" or (report.failed and report.when == "setup")


class Grader:
    """Collects each check's result (on the controller, when xdist runs
    the checks) and prints the grader's report."""

    def __init__(self, config):
        self.config = config
        self.results = []

    def write(self, line=""):
        self.config.pluginmanager.get_plugin("terminalreporter").write_line(line)

    def pytest_runtest_logreport(self, report):
        if counted(report):
            props = dict(report.user_properties)
            ok = report.passed
            points = props["points"]
            result = dict(group=props["group"], name=props["title"], ok=ok,
                          seconds=report.duration, points=points, score=points if ok else 0,
                          kind=props.get("kind", ""), feedback=[])
            if not ok:
                result["feedback"] = self.feedback(props, str(report.longrepr))
            self.results.append(result)
            self.write(f"{'OK  ' if ok else 'FAIL'} {result['group']} {result['score']}/{points} "
                       f"{result['name']} ({report.duration:.1f} s)")
            for line in result["feedback"]:
                self.write("     | " + line)

    def pytest_report_teststatus(self, report):
        """No progress dots: the grader prints a line per check."""
        if report.when == "call":
            return report.outcome, "", ""
        return None

    @staticmethod
    def feedback(props, text):
        """What a student reads under a failed check."""
        lines = text.rstrip().splitlines()
        shown = lines[:40] + (["..."] + lines[-1:] if len(lines) > 40 else [])
        out = [f"failure kind: {props.get('kind', 'error')}"] + shown
        for eid in props["exercises"].split():
            out.append(f"exercise {eid}: {exercises.exercise(eid)[1]}")
            out.append(f"  hint: read {exercises.book_hint(eid)}")
            for need in exercises.needs(eid):
                out.append(f"  do {need} first: this test needs it too "
                           f"(make grade T={need}), then {eid}")
        return out

    def score(self):
        return sum(r["score"] for r in self.results), sum(r["points"] for r in self.results)

    def pytest_sessionfinish(self, session):
        score, total = self.score()
        path = self.config.getoption("gradescope")
        if path:
            data = {"score": score, "max_score": total,
                    "tests": [{"name": f"{r['group']}: {r['name']}", "score": r["score"],
                               "max_score": r["points"],
                               "status": "passed" if r["ok"] else "failed",
                               "output": "\n".join(r["feedback"])} for r in self.results]}
            with open(path, "w") as f:
                json.dump(data, f, indent=2)
        if not self.results or score < total:
            session.exitstatus = max(int(session.exitstatus), 1)

    def pytest_terminal_summary(self, terminalreporter):
        self.write()
        for step in sorted({r["group"] for r in self.results}):
            mine = [r for r in self.results if r["group"] == step]
            self.write(f"{step}: {sum(r['score'] for r in mine)}/{sum(r['points'] for r in mine)}")
        score, total = self.score()
        self.write(f"Score: {score}/{total}")


class RunScore:
    """In a test run (make test), the score make grade would give on this
    run's results, from them: the steps' checks need not run again to grade
    the reference."""

    def __init__(self):
        self.score = self.total = 0

    def pytest_runtest_logreport(self, report):
        props = dict(report.user_properties)
        if str(props.get("group", "")).startswith("step") and counted(report):
            self.total += props["points"]
            self.score += props["points"] if report.passed else 0

    def pytest_terminal_summary(self, terminalreporter):
        if self.total:
            terminalreporter.write_line(f"make grade on this run's results: Score: "
                                        f"{self.score}/{self.total}")


def pytest_configure(config):
    if hasattr(config, "workerinput"):
        return
    if config.getoption("grade") or config.getoption("gradescope"):
        config.pluginmanager.register(Grader(config), "grader")
    elif not config.getoption("classroom"):
        config.pluginmanager.register(RunScore(), "run-score")
