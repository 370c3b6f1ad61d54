#!/usr/bin/env python3
"""Run the course's tests: python3 tests/run.py [GROUP...] [-k TEXT] [-j N]

GROUP is a step (step01, 01, step01-boot) or another group ('harness',
'book'). With no GROUP, every finished step and every other group runs. -k runs the tests whose name
contains TEXT. Each step is built first; then the tests run, N at a time.
The last line says 'N passed, N failed'."""

import argparse
import concurrent.futures
import importlib
import os
import re
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# Every tests/*.py but the harness, the runner and helpers registers its tests on import.
MODULES = sorted(name[:-3] for name in os.listdir(HERE)
                 if name.endswith(".py") and name not in ("harness.py", "run.py")
                 and not name.startswith("_"))


ALONE = {"workshop"}


def finished_steps():
    return [name[:6] for name in sorted(os.listdir(harness.TOP))
            if re.match(r"step\d\d-", name)
            and os.path.exists(os.path.join(harness.TOP, name, "Makefile"))]


def normalise(group):
    digits = re.match(r"(?:step)?(\d\d?)", group)
    return f"step{int(digits.group(1)):02d}" if digits else group


def run_one(entry, build_errors):
    group, name, function = entry
    start = time.monotonic()
    try:
        if group in build_errors:
            raise build_errors[group]
        function()
        return entry, None, time.monotonic() - start
    except harness.Failure as failure:
        return entry, str(failure), time.monotonic() - start
    except Exception:
        return entry, "error in the test itself:\n" + traceback.format_exc(), time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*")
    parser.add_argument("-k", dest="keyword", default="")
    parser.add_argument("-j", dest="jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    started = time.monotonic()

    for module in MODULES:
        importlib.import_module(module)
    steps = finished_steps()
    others = sorted({t[0] for t in harness.TESTS if not t[0].startswith("step")})
    groups = [normalise(g) for g in args.groups] or steps + others
    selected = [t for t in harness.TESTS if t[0] in groups and args.keyword.lower() in t[1].lower()
                and (not t[0].startswith("step") or t[0] in steps)]
    if not selected:
        print(f"no tests match {' '.join(args.groups)} {args.keyword}".rstrip())
        print("0 passed, 1 failed")
        return 1

    build_errors = {}
    for step in sorted({t[0] for t in selected if t[0].startswith("step")}):
        print(f"building {step} ...", flush=True)
        try:
            harness.make(harness.step_dir(step), "all")
        except harness.Failure as failure:
            build_errors[step] = failure

    # The workshop tests grade whole trees, many emulators at a time: they
    # run last, one by one, so they do not starve the others of CPU.
    alone = [t for t in selected if t[0] in ALONE]
    shared = [t for t in selected if t[0] not in ALONE]
    print(f"running {len(selected)} tests, {args.jobs} at a time", flush=True)
    counts = [0, 0]

    def report(result):
        (group, name, _), error, seconds = result
        status = "ok  " if error is None else "FAIL"
        print(f"{status} {group:8} {name} ({seconds:.1f} s)", flush=True)
        counts[error is not None] += 1
        if error is not None:
            print("\n".join("     | " + line for line in error.rstrip().splitlines()), flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for result in pool.map(lambda t: run_one(t, build_errors), shared):
            report(result)
    for t in alone:
        report(run_one(t, build_errors))
    passed, failed = counts
    print(f"{passed} passed, {failed} failed")
    if not args.groups and not args.keyword:
        # The whole suite's wall time, for the bench's report (bench/bench.py).
        os.makedirs(os.path.join(harness.TOP, "build"), exist_ok=True)
        with open(os.path.join(harness.TOP, "build", "last-test-time"), "w") as f:
            f.write(f"{time.monotonic() - started:.0f} {time.strftime('%Y-%m-%d %H:%M')} "
                    f"{passed} passed, {failed} failed\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
