#!/usr/bin/env python3
"""Build the book: python3 book/build.py [--out DIR]

From book/chapters/*.md (in file-name order) it makes
  DIR/html/       a page per chapter, a contents page (index.html), images
  DIR/book.pdf    the whole book printed by headless Chromium
  DIR/book.epub   the whole book as an EPUB
DIR is book/out unless given. Listings come from the source files through
filters/include.lua; a missing file, function or pattern stops the build."""

import argparse
import html
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
LINKS = os.path.join(BOOK, "filters", "links.lua")   # links between the website's pages
COMMON = ["--from=markdown", "--lua-filter", FILTER, "--highlight-style=tango",
          "--resource-path", BOOK, "--lua-filter", LINKS]


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


def pandoc(*args):
    env = dict(os.environ, BOOK_ROOT=TOP)
    result = subprocess.run(["pandoc", *args], cwd=BOOK, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"book: pandoc failed:\n{result.stderr.strip()}")
    for line in result.stderr.splitlines():
        print(f"book: pandoc: {line}", file=sys.stderr)


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


def build_html(items, out, tmp):
    os.makedirs(out, exist_ok=True)
    for sub in ("images", "diagrams"):
        shutil.copytree(os.path.join(BOOK, sub), os.path.join(out, sub), dirs_exist_ok=True)
    shutil.copy(os.path.join(BOOK, "book.css"), out)
    for i, (name, path, heading) in enumerate(items):
        bar = nav(items, i, tmp)
        pandoc(*COMMON, "--standalone", "--to=html5", "--toc", "--toc-depth=2",
               "--css=book.css", "--metadata", f"pagetitle={heading} - {TITLE}",
               "--include-before-body", bar, "--include-after-body", bar,
               "--output", os.path.join(out, name + ".html"), path)
    contents = os.path.join(tmp, "index.md")
    with open(contents, "w") as f:
        f.write(f"# {TITLE}\n\nA small operating system in C for 32-bit x86, "
                "built in six steps, with a chapter for each step.\n\n")
        for name, _, heading in items:
            f.write(f"- [{heading}]({name}.html)\n")
    pandoc("--standalone", "--to=html5", "--css=book.css", "--metadata", f"pagetitle={TITLE}",
           "--output", os.path.join(out, "index.html"), contents)


def build_print(items, out, tmp):
    """One page with every chapter, printed to PDF by headless Chromium."""
    page = os.path.join(tmp, "print", "book.html")
    os.makedirs(os.path.dirname(page))
    for sub in ("images", "diagrams"):
        shutil.copytree(os.path.join(BOOK, sub), os.path.join(tmp, "print", sub))
    shutil.copy(os.path.join(BOOK, "book.css"), os.path.join(tmp, "print"))
    pandoc(*COMMON, "--standalone", "--to=html5", "--toc", "--toc-depth=1",
           "--css=book.css", "--metadata", f"title={TITLE}",
           "--output", page, *[p for _, p, _ in items])
    # Mark the body so book.css can start every chapter on a new page.
    with open(page) as f:
        text = f.read()
    text = text.replace("<body>", '<body class="print">', 1)
    with open(page, "w") as f:
        f.write(text)
    pdf = os.path.join(out, "book.pdf")
    profile = tempfile.mkdtemp(prefix="book-chromium-", dir=tmp)
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--no-first-run", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", "file://" + page]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=120)
    if result.returncode != 0 or not os.path.exists(pdf) or os.path.getsize(pdf) == 0:
        sys.exit(f"book: chromium could not print the PDF:\n{result.stdout[-2000:]}")


def build_epub(items, out):
    pandoc(*COMMON, "--to=epub3", "--toc", "--toc-depth=2", "--epub-chapter-level=1",
           "--css", os.path.join(BOOK, "book.css"), "--metadata", f"title={TITLE}",
           "--metadata", "lang=en", "--output", os.path.join(out, "book.epub"),
           *[p for _, p, _ in items])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(BOOK, "out"))
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    items = chapters()
    with tempfile.TemporaryDirectory(prefix="book-") as tmp:
        html_dir = os.path.join(out, "html")
        shutil.rmtree(html_dir, ignore_errors=True)
        build_html(items, html_dir, tmp)
        build_epub(items, out)
        build_print(items, out, tmp)
    print(f"built {out}/html/ ({len(items)} chapters), {out}/book.pdf, {out}/book.epub")


if __name__ == "__main__":
    main()
