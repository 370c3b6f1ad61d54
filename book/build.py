#!/usr/bin/env python3
"""Build the book: python3 book/build.py [--out DIR]

From book/chapters/*.md (in file-name order) it makes
  DIR/html/       a page per chapter, a contents page (index.html), images
  DIR/book.pdf    the whole book printed by headless Chromium from one page,
                  DIR/print/book.html
  DIR/book.epub   the whole book as an EPUB
DIR is book/out unless given. Listings come from the source files through
filters/include.lua; a missing file, function or pattern stops the build.

A chapter with a `::: {.machine step="NN"}` div gets a live PC on its page
(filters/machine.lua, machine/machine.js): the build makes stepNN's
build/os.img (make -C stepNN-* all), installs v86 from npm as pinned by
package-lock.json (npm ci), and writes the emulator, Debian's BIOS files and
each image into html/machine/ as script files, which a page opened from disk
can load. The PDF and the EPUB say where the live version is instead:
--live-url URL (or $BOOK_LIVE_URL), the website's address, when known.

Two editions (filters/edition.lua): where the steps hold the exercises'
solutions (their EXERCISE markers), the reference edition, the teacher's,
which prints them; in a student tree (tools/workshop), the student's
edition, whose exercise sections teach the idea without the code.
--edition (or $BOOK_EDITION) picks one by hand. --html-only and
--no-machines make a quicker website only, for the tests.

Where npm cannot reach its registry (no network, or a proxy's certificate
that npm does not trust), the book is built all the same, with a note in
place of each machine, and the build says why and what to do; any other
failure of npm stops the build."""

import argparse
import base64
import concurrent.futures
import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BOOK = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(BOOK)
TITLE = "Write an OS in six steps"
FILTER = os.path.join(BOOK, "filters", "include.lua")
EDITION_FILTER = os.path.join(BOOK, "filters", "edition.lua")
MACHINE_FILTER = os.path.join(BOOK, "filters", "machine.lua")
LINKS = os.path.join(BOOK, "filters", "links.lua")   # links between the website's pages
COMMON = ["--from=markdown", "--lua-filter", EDITION_FILTER, "--lua-filter", FILTER, "--lua-filter", MACHINE_FILTER,
          "--highlight-style=tango", "--resource-path", BOOK, "--lua-filter", LINKS]
# Debian's packages seabios and vgabios (tools/need book installs them).
BIOS = "/usr/share/seabios/bios.bin"
VGA_BIOS = "/usr/share/vgabios/vgabios.bin"
V86 = os.path.join(BOOK, "node_modules", "v86")


def chapters():
    folder = os.path.join(BOOK, "chapters")
    result = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".md"):
            path = os.path.join(folder, name)
            with open(path) as f:
                heading = next((line[2:].strip() for line in f if line.startswith("# ")), None)
            if not heading:
                sys.exit(f"book: {path} has no '# ' title line")
            result.append((name[:-3], path, heading))
    return result


def in_parallel(jobs):
    """Run the jobs (functions) on every core; the first failure stops the build."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def edition():
    """"reference" when a step's source holds a solution between EXERCISE
    markers, else "student": tools/workshop replaces every one by its stub."""
    marker = re.compile(rb"EXERCISE step\d\d-[a-z0-9-]+ BEGIN")
    for path in glob.glob(os.path.join(TOP, "step*-*", "**", "*"), recursive=True):
        if path.endswith((".c", ".h", ".asm")) and os.sep + "build" + os.sep not in path:
            with open(path, "rb") as f:
                if marker.search(f.read()):
                    return "reference"
    return "student"


EDITION = "reference"     # main() sets it


def pandoc(*args):
    env = dict(os.environ, BOOK_ROOT=TOP, BOOK_EDITION=EDITION)
    result = subprocess.run(["pandoc", *args], cwd=BOOK, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"book: pandoc failed:\n{result.stderr.strip()}")
    for line in result.stderr.splitlines():
        print(f"book: pandoc: {line}", file=sys.stderr)


# --- the live machines ----------------------------------------------------------

def machines(items):
    """{step: page} for every chapter with a machine div, e.g. {"06": "06-syscalls.html"}."""
    found = {}
    for name, path, _ in items:
        with open(path) as f:
            for step in re.findall(r'^:::+\s*\{\.machine step="(\d\d)"\}', f.read(), re.M):
                found[step] = name + ".html"
    return found


def step_image(step):
    """Build stepNN's build/os.img, the image `make run STEP=NN` boots."""
    folders = sorted(glob.glob(os.path.join(TOP, f"step{step}-*", "Makefile")))
    if not folders:
        sys.exit(f"book: a chapter has a machine for step {step}, but there is no step{step}-*/ folder")
    folder = os.path.dirname(folders[0])
    result = subprocess.run(["make", "--no-print-directory", "-C", folder, "all"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.exit(f"book: make -C {os.path.basename(folder)} all failed:\n{result.stdout[-2000:]}")
    return os.path.join(folder, "build", "os.img")


# npm's error codes that say the registry could not be reached, or that its
# certificate is not trusted (a proxy's own, for one): the code on npm's line
# "npm ERR! code X" (npm 9, Debian 12's) or "npm error code X" (npm 10 and later).
# Node names the network ones after the system's errno, the certificate ones
# after OpenSSL's verify errors.
NPM_UNREACHABLE = {
    "ENOTFOUND": "network", "EAI_AGAIN": "network", "ECONNREFUSED": "network",
    "ECONNRESET": "network", "ETIMEDOUT": "network", "ERR_SOCKET_TIMEOUT": "network",
    "EHOSTUNREACH": "network", "ENETUNREACH": "network",
    "SELF_SIGNED_CERT_IN_CHAIN": "certificate", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY": "certificate",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE": "certificate", "CERT_HAS_EXPIRED": "certificate",
    "DEPTH_ZERO_SELF_SIGNED_CERT": "certificate", "ERR_TLS_CERT_ALTNAME_INVALID": "certificate",
}
WHAT_TO_DO = {
    "network": "check that this machine reaches the registry (the network, a proxy: "
               "npm config get proxy), then make book again",
    "certificate": "a proxy on the way shows its own certificate, which npm does not trust: "
                   "give npm the proxy's CA certificate (npm config set cafile /path/to/ca.crt; "
                   "your network's admin has it), then make book again",
}


class NpmUnreachable(Exception):
    """npm ci could not reach its registry: why (reason) and what to do (advice)."""

    def __init__(self, code, registry):
        self.code = code
        self.reason = f"npm ci could not install v86 from the npm registry ({registry}): npm says {code}"
        self.advice = WHAT_TO_DO[NPM_UNREACHABLE[code]]
        super().__init__(self.reason)


def npm_unreachable(output):
    """The code of npm's output if it says the registry was unreachable, else None."""
    found = re.search(r"^npm (?:ERR!|error) code (\S+)", output, re.M)
    return found.group(1) if found and found.group(1) in NPM_UNREACHABLE else None


def npm_registry():
    result = subprocess.run(["npm", "config", "get", "registry"], cwd=BOOK,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() \
        else "the registry npm is set to"


def install_v86():
    """npm ci unless node_modules holds the v86 that package-lock.json pins
    (npm keeps a copy of what it installed in node_modules/.package-lock.json).
    Raises NpmUnreachable when npm could not reach its registry; any other
    failure of npm stops the build."""
    def read(path):
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def pinned(lock):
        return lock.get("packages", {}).get("node_modules/v86")
    lock = read(os.path.join(BOOK, "package-lock.json"))
    wanted = pinned(lock)
    if not wanted:
        sys.exit("book: book/package-lock.json does not pin v86")
    # Checked here, not left to npm: offline, npm only says it could not
    # fetch what would settle the difference.
    asked = read(os.path.join(BOOK, "package.json")).get("dependencies")
    if asked != lock["packages"].get("", {}).get("dependencies"):
        sys.exit(f"book: book/package.json asks for {asked}, but book/package-lock.json was "
                 "made for other dependencies: run npm install in book/ and commit both")
    if pinned(read(os.path.join(BOOK, "node_modules", ".package-lock.json"))) == wanted \
            and os.path.exists(os.path.join(V86, "build", "v86.wasm")):
        return
    if not shutil.which("npm"):
        sys.exit("book: the live machines need npm, and there is no npm command "
                 "(tools/need book installs it)")
    print(f"book: installing v86 {wanted['version']} from npm, as book/package-lock.json "
          "pins it: npm ci (in book/)", flush=True)
    result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BOOK,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode == 0:
        return
    code = npm_unreachable(result.stdout)
    if code:
        raise NpmUnreachable(code, npm_registry())
    sys.exit(f"book: npm ci failed:\n{result.stdout[-2000:]}")


def data_script(path, assignments):
    """A script file that sets BOOK_MACHINE.KEY = VALUE (JSON) for each pair."""
    with open(path, "w") as f:
        f.write("// Generated by book/build.py: data for machine/machine.js.\n"
                "window.BOOK_MACHINE = window.BOOK_MACHINE || {};\n")
        for key, value in assignments:
            f.write(f"BOOK_MACHINE[{json.dumps(key)}] = {json.dumps(value)};\n")


def b64(data):
    return base64.b64encode(data).decode("ascii")


def build_machines(steps, out, images=None):
    """html/machine/: the page script, the emulator, its WebAssembly, the BIOS
    files and one image per step, all loadable by <script> from file://.
    images may give a step's image instead ({"06": path}; make bench does)."""
    folder = os.path.join(out, "machine")
    os.makedirs(folder, exist_ok=True)
    try:
        install_v86()
    except NpmUnreachable as error:
        sys.exit(f"book: the live machines need v86: {error.reason}.\n"
                 f"book: to install it: {error.advice}.")
    shutil.copy(os.path.join(BOOK, "machine", "machine.js"), folder)
    shutil.copy(os.path.join(V86, "build", "libv86.js"), os.path.join(folder, "v86.js"))
    shutil.copy(os.path.join(V86, "LICENSE"), os.path.join(folder, "v86-LICENSE.txt"))
    with open(os.path.join(V86, "build", "v86.wasm"), "rb") as f:
        data_script(os.path.join(folder, "v86-wasm.js"), [("wasm", b64(f.read()))])
    write_sources(folder)
    for path in (BIOS, VGA_BIOS):
        if not os.path.exists(path):
            sys.exit(f"book: {path} is missing (Debian packages seabios and vgabios; "
                     "tools/need book installs them)")
    with open(BIOS, "rb") as bios, open(VGA_BIOS, "rb") as vga:
        data_script(os.path.join(folder, "bios.js"),
                    [("bios", b64(bios.read())), ("vga_bios", b64(vga.read()))])
    for step in sorted(steps):
        with open((images or {}).get(step) or step_image(step), "rb") as f:
            image = f.read()
        # The image is mostly zeros at its end: leave them out, keep its size.
        data_script(os.path.join(folder, f"step{step}.js"),
                    [(f"step{step}", {"size": len(image), "data": b64(image.rstrip(b"\0"))})])


def write_sources(folder):
    """machine/SOURCES.txt: where each binary in the folder comes from, and its licence."""
    def debian_version(package):
        result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) \
            if shutil.which("dpkg-query") else None
        return result.stdout if result and result.returncode == 0 else "(version unknown)"
    with open(os.path.join(V86, "package.json")) as f:
        v86 = json.load(f)["version"]
    with open(os.path.join(folder, "SOURCES.txt"), "w") as f:
        f.write(f"""The files in this folder and where they come from:

machine.js     the book's own page script (book/machine/machine.js)
v86.js         v86 {v86}, an x86 PC emulator (npm package v86; BSD-2-Clause,
               v86-LICENSE.txt; source: https://github.com/copy/v86)
v86-wasm.js    the same package's build/v86.wasm, as base64
bios.js        SeaBIOS, Debian package seabios {debian_version("seabios")}, {BIOS}
               (LGPL-3.0), and the LGPL VGA BIOS, Debian package vgabios
               {debian_version("vgabios")}, {VGA_BIOS} (LGPL-2.1), as base64;
               their source: https://sources.debian.org/src/seabios/ and
               https://sources.debian.org/src/vgabios/
stepNN.js      each step's build/os.img, built from this book's own source
""")


def note_metadata(steps, live_url, missing=None):
    """pandoc options for print and the EPUB: notes instead of machines.
    With missing (npm's error code), the website's note: no machine in this build."""
    options = ["--metadata", "machine=missing" if missing else "machine=note"]
    if missing:
        options += ["--metadata", f"machine-missing={missing}"]
    for step, page in steps.items():
        options += ["--metadata", f"machine-page-{step}={page}"]
    if live_url:
        options += ["--metadata", f"live-url={live_url}"]
    return options


def nav(items, index, tmp):
    """The previous / contents / next bar for page index, as an HTML file."""
    def link(i, rel):
        if 0 <= i < len(items):
            return f'<a rel="{rel}" href="{items[i][0]}.html">{html.escape(items[i][2])}</a>'
        return "<span></span>"
    bar = (f'<nav class="pager">{link(index - 1, "prev")}'
           f'<a href="index.html">Contents</a>{link(index + 1, "next")}</nav>\n')
    path = os.path.join(tmp, f"nav-{index}.html")
    with open(path, "w") as f:
        f.write(bar)
    return path


def build_html(items, out, tmp, images=None, notes=None):
    os.makedirs(out, exist_ok=True)
    for sub in ("images", "diagrams"):
        shutil.copytree(os.path.join(BOOK, sub), os.path.join(out, sub), dirs_exist_ok=True)
    shutil.copy(os.path.join(BOOK, "book.css"), out)
    steps = {} if notes else machines(items)
    if steps:
        build_machines(steps, out, images)
    script = os.path.join(tmp, "machine-script.html")
    with open(script, "w") as f:
        f.write('<script src="machine/machine.js"></script>\n')
    # No icon: else a browser asks a web server for /favicon.ico, and logs the 404.
    header = os.path.join(tmp, "header.html")
    with open(header, "w") as f:
        f.write('<link rel="icon" href="data:,">\n')
    pages = []
    for i, (name, path, heading) in enumerate(items):
        bar = nav(items, i, tmp)
        after = ["--include-after-body", script] if name + ".html" in steps.values() else []
        pages.append([*COMMON, "--standalone", "--to=html5", "--toc", "--toc-depth=2",
                      "--css=book.css", "--metadata", f"pagetitle={heading} - {TITLE}",
                      "--include-in-header", header,
                      "--include-before-body", bar, "--include-after-body", bar, *after,
                      *(notes or []), "--output", os.path.join(out, name + ".html"), path])
    in_parallel([lambda args=args: pandoc(*args) for args in pages])
    contents = os.path.join(tmp, "index.md")
    with open(contents, "w") as f:
        f.write(f"# {TITLE}\n\nA small operating system in C for 32-bit x86, "
                "built in six steps, with a chapter for each step. " +
                ("Each step's chapter boots that step in your browser, on a PC you can type at."
                 if not notes else "Each step's chapter gives the command that boots that step "
                 "on your own machine (this build has no live machines).") + "\n\n")
        for name, _, heading in items:
            f.write(f"- [{heading}]({name}.html)\n")
    pandoc("--standalone", "--to=html5", "--css=book.css", "--metadata", f"pagetitle={TITLE}",
           "--include-in-header", header, "--output", os.path.join(out, "index.html"), contents)


def build_print(items, out, tmp, notes):
    """One page with every chapter, printed to PDF by headless Chromium."""
    page = os.path.join(tmp, "print", "book.html")
    os.makedirs(os.path.dirname(page))
    for sub in ("images", "diagrams"):
        shutil.copytree(os.path.join(BOOK, sub), os.path.join(tmp, "print", sub))
    shutil.copy(os.path.join(BOOK, "book.css"), os.path.join(tmp, "print"))
    pandoc(*COMMON, "--standalone", "--to=html5", "--toc", "--toc-depth=1",
           "--css=book.css", "--metadata", f"title={TITLE}", *notes,
           "--output", page, *[p for _, p, _ in items])
    # Mark the body so book.css can start every chapter on a new page.
    with open(page) as f:
        text = f.read()
    text = text.replace("<body>", '<body class="print">', 1)
    with open(page, "w") as f:
        f.write(text)
    pdf = os.path.join(out, "book.pdf")
    profile = tempfile.mkdtemp(prefix="book-chromium-", dir=tmp)
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--no-first-run", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", "file://" + page]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=120)
    if result.returncode != 0 or not os.path.exists(pdf) or os.path.getsize(pdf) == 0:
        sys.exit(f"book: chromium could not print the PDF:\n{result.stdout[-2000:]}")
    # The page the PDF was printed from, for a look in a browser (and the tests).
    shutil.rmtree(os.path.join(out, "print"), ignore_errors=True)
    shutil.copytree(os.path.dirname(page), os.path.join(out, "print"))


def build_epub(items, out, notes):
    pandoc(*COMMON, "--to=epub3", "--toc", "--toc-depth=2", "--epub-chapter-level=1", *notes,
           "--css", os.path.join(BOOK, "book.css"), "--metadata", f"title={TITLE}",
           "--metadata", "lang=en", "--output", os.path.join(out, "book.epub"),
           *[p for _, p, _ in items])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(BOOK, "out"))
    parser.add_argument("--live-url", default=os.environ.get("BOOK_LIVE_URL", ""),
                        help="the website's address, for the PDF's and the EPUB's links to it")
    parser.add_argument("--edition", choices=("student", "reference"),
                        default=os.environ.get("BOOK_EDITION") or None,
                        help="the student's or the teacher's; by default, the student's in a "
                             "student tree")
    parser.add_argument("--html-only", action="store_true", help="the website only")
    parser.add_argument("--no-machines", action="store_true",
                        help="a note where each live machine would be, as in print")
    args = parser.parse_args()
    global EDITION
    EDITION = args.edition or edition()
    out = os.path.abspath(args.out)
    items = chapters()
    notes = note_metadata(machines(items), args.live_url)
    html_notes = notes if args.no_machines else None
    missing = None
    if machines(items) and not args.no_machines:
        # Without the registry the book is still built, with a note in
        # place of each machine; any other failure of npm stops the build.
        try:
            install_v86()
        except NpmUnreachable as error:
            print(f"book: no live machines in this build: {error.reason}.\n"
                  "book: the book is built all the same; where each machine would be, its "
                  "chapter says so and gives its `make run STEP=NN` line.\n"
                  f"book: to have them: {error.advice}.", file=sys.stderr, flush=True)
            missing = error.code
            html_notes = note_metadata(machines(items), args.live_url, missing=missing)
    with tempfile.TemporaryDirectory(prefix="book-") as tmp:
        html_dir = os.path.join(out, "html")
        shutil.rmtree(html_dir, ignore_errors=True)
        # The website, the EPUB and the PDF are made side by side. The PDF
        # starts first: it is the longest chain (pandoc, then Chromium's
        # print), and the website's pages and the EPUB fill the other cores.
        jobs = [lambda: build_html(items, html_dir, tmp, notes=html_notes)]
        if not args.html_only:
            jobs = [lambda: build_print(items, out, tmp, notes), *jobs,
                    lambda: build_epub(items, out, notes)]
        in_parallel(jobs)
    made = f"{out}/html/ ({len(items)} chapters)"
    if not args.html_only:
        made += f", {out}/book.pdf (from {out}/print/book.html), {out}/book.epub"
    if missing:
        made += f"; no live machines (npm: {missing}, see above)"
    whose = ("the student's edition: no solutions" if EDITION == "student"
             else "the reference edition, the teacher's: it prints every solution")
    print(f"built {made}; {whose}")


if __name__ == "__main__":
    main()
