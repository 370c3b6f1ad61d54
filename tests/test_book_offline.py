"""The book without the npm registry. The live machines need v86, which
book/build.py installs with `npm ci`. Where npm cannot reach its registry
(no network, or a proxy whose certificate npm does not trust), the book is
built all the same, with a note in place of each machine, and the build
says why and what to do; any other failure of npm still stops the build.

Each check builds the website of a copy of book/ that holds only chapter
1 (the quick way), beside links to the course's own steps and tools. The copy
has no node_modules/, so build.py runs npm ci, with an empty npm cache:
the real npm, pointed at a local port that refuses connections, or a
stand-in `npm` first on PATH that prints what npm 9 (Debian 12's) prints."""

import html
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile

import pytest

from harness import TOP, expect

pytestmark = pytest.mark.group("book")

CHAPTER = "01-boot"
NOTE = "Live machine: not in this build."

# npm 9's words, as it prints them (to stderr) and exits with status 1.
NPM9_CERTIFICATE = """\
npm ERR! code SELF_SIGNED_CERT_IN_CHAIN
npm ERR! errno SELF_SIGNED_CERT_IN_CHAIN
npm ERR! request to https://registry.npmjs.org/v86 failed, reason: self-signed certificate in certificate chain

npm ERR! A complete log of this run can be found in:
npm ERR!     /home/learner/.npm/_logs/2026-01-01T00_00_00_000Z-debug-0.log
"""
NPM9_USAGE = """\
npm ERR! code EUSAGE
npm ERR!
npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.
npm ERR!
npm ERR! Invalid: lock file's v86@0.5.462 does not satisfy v86@0.5.400
npm ERR!

npm ERR! A complete log of this run can be found in:
npm ERR!     /home/learner/.npm/_logs/2026-01-01T00_00_00_000Z-debug-0.log
"""


@pytest.fixture
def course():
    """A folder with a copy of book/ (chapter 1 only, no node_modules/ or
    out/) and links to the course's other files and folders (the steps,
    tools/ for the listings), as build.py expects them."""
    tmp = tempfile.mkdtemp(prefix="book-offline-")
    root = os.path.join(tmp, "course")
    book = os.path.join(root, "book")
    shutil.copytree(os.path.join(TOP, "book"), book,
                    ignore=shutil.ignore_patterns("node_modules", "out", "__pycache__"))
    for name in os.listdir(os.path.join(book, "chapters")):
        if name != CHAPTER + ".md":
            os.remove(os.path.join(book, "chapters", name))
    for name in os.listdir(TOP):
        if name not in ("book", ".git"):
            os.symlink(os.path.join(TOP, name), os.path.join(root, name))
    yield root
    shutil.rmtree(tmp, ignore_errors=True)


def fake_npm(root, words):
    """A stand-in `npm` on PATH: `npm ci` prints words and fails; `npm config
    get registry` names npm's default registry."""
    folder = os.path.join(root, "fake-bin")
    os.makedirs(folder)
    path = os.path.join(folder, "npm")
    with open(path, "w") as f:
        f.write("#!/bin/sh\nif [ \"$1\" = config ]; then echo https://registry.npmjs.org/; exit 0; fi\n"
                f"cat >&2 <<'EOF'\n{words}EOF\nexit 1\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return {"PATH": folder + os.pathsep + os.environ.get("PATH", "")}


def build(root, env):
    """book/build.py --html-only in the copy, npm with an empty cache and no retries."""
    env = dict(os.environ, npm_config_cache=os.path.join(root, "npm-cache"),
               npm_config_fetch_retries="0", npm_config_noproxy="127.0.0.1", **env)
    command = [sys.executable, os.path.join(root, "book", "build.py"),
               "--out", os.path.join(root, "out"), "--html-only"]
    return subprocess.run(command, cwd=root, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)


def check_built_without_machines(root, result, code, advice):
    """The build passed, said why and what to do, and the chapter's page has
    the note with its make run line where its machine would be."""
    said = result.stdout
    expect(result.returncode == 0, f"the book was not built when npm said {code}:\n{said[-3000:]}")
    expect("npm ci" in said, f"the build did not try npm ci:\n{said[-3000:]}")
    line = re.search(r"^book: no live machines in this build: .*$", said, re.M)
    expect(line and code in line.group(0) and "registry" in line.group(0),
           f"the build did not say, in one line naming {code} and the registry, that it has no "
           f"live machines:\n{said[-3000:]}")
    expect(advice in said and "make book again" in said,
           f"the build did not say what to do ({advice!r}, then make book again):\n{said[-3000:]}")
    folder = os.path.join(root, "out", "html")
    expect(not os.path.exists(os.path.join(folder, "machine")),
           "the build without v86 still made html/machine/")
    with open(os.path.join(folder, CHAPTER + ".html")) as f:
        page = f.read()
    expect('class="machine"' not in page and "machine/machine.js" not in page,
           f"{CHAPTER}.html still has a live machine, with no emulator to run it")
    notes = [html.unescape(re.sub(r"<[^>]+>", "", n)) for n in
             re.findall(r'<div class="machine-note">(.*?)</div>', page, re.S)]
    expect(len(notes) == 1 and NOTE in notes[0] and "make run STEP=01" in notes[0]
           and code in notes[0],
           f"{CHAPTER}.html should have one note ({NOTE!r}, {code}, make run STEP=01) where its "
           f"machine would be; it has: {notes}")


@pytest.mark.title("without the npm registry the book is still built: its website has a note with "
                   "the make run line where each machine would be, and the build says why "
                   "(ECONNREFUSED from the real npm; SELF_SIGNED_CERT_IN_CHAIN as npm 9 says it)")
def test_book_without_registry(course):
    if not shutil.which("npm"):
        pytest.fail("there is no npm command (tools/need book installs it)")
    refusing = socket.socket()          # bound, never listening: a connection is refused
    refusing.bind(("127.0.0.1", 0))
    try:
        registry = f"http://127.0.0.1:{refusing.getsockname()[1]}/"
        result = build(course, {"npm_config_registry": registry})
    finally:
        refusing.close()
    check_built_without_machines(course, result, "ECONNREFUSED", "npm config get proxy")
    expect(registry in result.stdout, f"the build's message does not name the registry {registry}")
    result = build(course, fake_npm(course, NPM9_CERTIFICATE))
    check_built_without_machines(course, result, "SELF_SIGNED_CERT_IN_CHAIN", "npm config set cafile")


@pytest.mark.title("any other failure of npm ci stops the book's build with npm's words (EUSAGE as "
                   "npm 9 says it; a package.json that package-lock.json was not made for)")
def test_npm_failure_stops_the_book(course):
    result = build(course, fake_npm(course, NPM9_USAGE))
    said = result.stdout
    expect(result.returncode != 0 and "npm ci failed" in said and "EUSAGE" in said,
           f"npm ci's EUSAGE did not stop the build, with npm's words:\n{said[-3000:]}")
    expect("no live machines" not in said and
           not os.path.exists(os.path.join(course, "out", "html", CHAPTER + ".html")),
           f"npm ci's EUSAGE gave a book without its machines:\n{said[-3000:]}")
    # Offline, npm would only say it could not fetch what settles this one.
    package = os.path.join(course, "book", "package.json")
    with open(package) as f:
        data = json.load(f)
    data["dependencies"]["v86"] = "0.5.400"
    with open(package, "w") as f:
        json.dump(data, f)
    result = build(course, fake_npm(os.path.join(course, "other"), NPM9_CERTIFICATE))
    said = result.stdout
    expect(result.returncode != 0 and "package-lock.json" in said and "no live machines" not in said,
           f"a package.json that the lockfile does not match did not stop the build:\n{said[-3000:]}")
