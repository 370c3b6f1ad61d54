#!/usr/bin/env python3
"""The autograder: python3 tests/grade.py [--step NN] [-k TEXT] [--junit FILE]
[--gradescope FILE] [-j N]

It runs the tests of every finished step (or of step NN), gives each its
points (tests/exercises.py: an exercise's tests are worth more), and prints
a line per test, a subtotal per step and 'Score: n/m'. A failure shows what
the test saw, the kind of failure, and which exercise and book section to
look at. -k picks tests by exercise id (step02-scroll) or by words of their
name. The exit status is 0 only for full marks.

Anti-spoofing: no test takes a kernel's word for it. Tests read the
screen, the serial port, memory and registers; a check that asks the kernel
to test itself (step05's 'selftest NONCE') sends a fresh random nonce and
wants it back in the result line, so a kernel that prints a fixed 'passed'
line earns nothing."""

import argparse
import concurrent.futures
import importlib
import json
import os
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exercises  # noqa: E402
import harness  # noqa: E402
import run  # noqa: E402


def select(tests, steps, keyword):
    chosen = [t for t in tests if t[0] in steps]
    if not keyword:
        return chosen
    if any(e[0] == keyword for e in exercises.EXERCISES):
        return [t for t in chosen if keyword in exercises.exercises_of(t[0], t[1])]
    return [t for t in chosen if keyword.lower() in t[1].lower()]


def feedback(group, name, error):
    """What a student reads under a failed test."""
    lines = error.rstrip().splitlines()
    kind = lines[0].split(":", 1)[0] if lines else "error"
    shown = lines[:40] + (["..."] if len(lines) > 40 else [])
    out = [f"failure kind: {kind}"] + shown
    for eid in exercises.exercises_of(group, name):
        out.append(f"exercise {eid}: {exercises.exercise(eid)[1]}")
        out.append(f"  hint: read {exercises.book_hint(eid)}")
    return out


def junit(results, path):
    suites = ET.Element("testsuites")
    for step in sorted({r["group"] for r in results}):
        mine = [r for r in results if r["group"] == step]
        suite = ET.SubElement(suites, "testsuite", name=step, tests=str(len(mine)),
                              failures=str(sum(not r["ok"] for r in mine)))
        for r in mine:
            case = ET.SubElement(suite, "testcase", classname=step, name=r["name"],
                                 time=f"{r['seconds']:.2f}")
            if not r["ok"]:
                fail = ET.SubElement(case, "failure", message=r["kind"])
                fail.text = "\n".join(r["feedback"])
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def gradescope(results, path):
    data = {"score": sum(r["score"] for r in results),
            "max_score": sum(r["points"] for r in results),
            "tests": [{"name": f"{r['group']}: {r['name']}", "score": r["score"],
                       "max_score": r["points"], "status": "passed" if r["ok"] else "failed",
                       "output": "\n".join(r["feedback"])} for r in results]}
    with open(path, "w") as f:
        json.dump(data, f, indent=2)


def classroom(tests, steps):
    """GitHub Classroom's autograding.json: one grader run per step, worth
    that step's points; the run passes (and earns them) only at full marks."""
    entries = []
    for step in steps:
        total = sum(exercises.points(g, n) for g, n, _ in tests if g == step)
        entries.append({"name": f"{step}: make grade STEP={step[4:]}", "setup": "tools/need test",
                        "run": f"python3 tests/grade.py --step {step[4:]}", "input": "",
                        "output": "", "comparison": "included", "timeout": 30,
                        "points": total})
    return json.dumps({"tests": entries}, indent=2) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", default="")
    parser.add_argument("-k", dest="keyword", default="")
    parser.add_argument("--junit")
    parser.add_argument("--gradescope")
    parser.add_argument("--classroom", action="store_true",
                        help="print .github/classroom/autograding.json and stop")
    parser.add_argument("--exercises-only", action="store_true",
                        help="grade only the tests that check an exercise")
    parser.add_argument("-j", dest="jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    for module in run.MODULES:
        importlib.import_module(module)
    steps = run.finished_steps()
    if args.classroom:
        sys.stdout.write(classroom(harness.TESTS, steps))
        return 0
    if args.step:
        steps = [s for s in steps if s == run.normalise(args.step)]
    selected = select(harness.TESTS, steps, args.keyword)
    if args.exercises_only:
        selected = [t for t in selected if exercises.exercises_of(t[0], t[1])]
    if not selected:
        print(f"no tests to grade for step {args.step or 'any'} {args.keyword}".rstrip())
        print("Score: 0/0")
        return 1

    build_errors = {}
    for step in sorted({t[0] for t in selected}):
        print(f"building {step} ...", flush=True)
        try:
            harness.make(harness.step_dir(step), "all")
        except harness.Failure as failure:
            build_errors[step] = failure

    print(f"grading {len(selected)} tests, {args.jobs} at a time", flush=True)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for (group, name, _), error, seconds in pool.map(
                lambda t: run.run_one(t, build_errors), selected):
            points = exercises.points(group, name)
            ok = error is None
            r = dict(group=group, name=name, ok=ok, seconds=seconds, points=points,
                     score=points if ok else 0, kind="" if ok else error.split(":", 1)[0],
                     feedback=[] if ok else feedback(group, name, error))
            results.append(r)
            print(f"{'OK  ' if ok else 'FAIL'} {group} {r['score']}/{points} {name} "
                  f"({seconds:.1f} s)", flush=True)
            for line in r["feedback"]:
                print("     | " + line, flush=True)

    print()
    for step in sorted({r["group"] for r in results}):
        mine = [r for r in results if r["group"] == step]
        print(f"{step}: {sum(r['score'] for r in mine)}/{sum(r['points'] for r in mine)}")
    score, total = sum(r["score"] for r in results), sum(r["points"] for r in results)
    if args.junit:
        junit(results, args.junit)
    if args.gradescope:
        gradescope(results, args.gradescope)
    print(f"Score: {score}/{total}")
    return 0 if score == total else 1


if __name__ == "__main__":
    sys.exit(main())
