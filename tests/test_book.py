"""The book: it builds, its pages load in a browser without errors, the PDF
has every chapter, the EPUB is well formed, and a stale listing stops the
build. The book is built once, into a temporary folder, for all these tests."""

import html
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import zipfile

import pytest

from harness import TOP, Failure, expect
from test_book_live import import_selenium

# The book is built once in a run, for the checks of every worker (the
# book fixture, in conftest.py).
pytestmark = pytest.mark.group("book")

BOOK = os.path.join(TOP, "book")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def chapter_titles():
    folder = os.path.join(BOOK, "chapters")
    titles = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".md"):
            with open(os.path.join(folder, name)) as f:
                titles.append(next(line[2:].strip() for line in f if line.startswith("# ")))
    return titles


@pytest.mark.title("make book builds the website, the PDF and the EPUB")
def test_builds(book):
    out = book
    for path in ("html/index.html", "book.pdf", "book.epub"):
        expect(os.path.getsize(os.path.join(out, path)) > 0, f"make book made no {path}")
    pages = sorted(f for f in os.listdir(os.path.join(out, "html")) if f.endswith(".html"))
    expect(len(pages) == len(chapter_titles()) + 1,
           f"expected a page per chapter ({len(chapter_titles())}) and index.html, found {pages}")


# --- the website, in headless Chromium driven by selenium --------------------

def chromium():
    """Headless Chromium under chromedriver, its console log kept. (selenium
    is imported here, not at the top: the checks that need no browser, and
    every make grade, do not wait for it.)"""
    webdriver = import_selenium()
    from selenium.webdriver.chrome.service import Service as ChromeService
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = ChromeService(executable_path=shutil.which("chromedriver") or
                                      "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


PAGE_SCRIPT = """
return {
  images: Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth]),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  resources: Array.from(document.querySelectorAll('script[src], link[href], img[src], iframe[src]'))
               .map(e => e.getAttribute('src') || e.getAttribute('href')),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  title: document.title
};
"""


@pytest.mark.title("every HTML page loads in Chromium: no console errors, images load, internal links resolve")
def test_html_pages(book):
    folder = os.path.join(book, "html")
    pages = sorted(f for f in os.listdir(folder) if f.endswith(".html"))
    driver = chromium()
    problems, seen = [], {}
    try:
        for page in pages:
            driver.get("file://" + os.path.join(folder, page))
            info = driver.execute_script(PAGE_SCRIPT)
            seen[page] = info
            for entry in driver.get_log("browser"):
                if entry.get("level") == "SEVERE":
                    problems.append(f"{page}: console error: {entry.get('message')}")
            for src, complete, width in info["images"]:
                if not complete or not width:
                    problems.append(f"{page}: image {src} did not load (naturalWidth {width})")
            for url in info["resources"]:
                if re.match(r"^(https?:)?//", url or ""):
                    problems.append(f"{page}: loads {url} from the network; the book must work offline")
    finally:
        driver.quit()
    for page, info in seen.items():
        for href in info["links"]:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href):
                continue  # http:, https:, mailto: - not ours to check
            target, _, anchor = href.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(page), target)) if target else page
            if not os.path.exists(os.path.join(folder, target)):
                problems.append(f"{page}: link {href}: {target} does not exist")
            elif anchor and target in seen and urllib.parse.unquote(anchor) not in seen[target]["ids"]:
                problems.append(f"{page}: link {href}: {target} has no id {anchor!r}")
    if problems:
        raise Failure("wrong output", f"{len(problems)} problems in the HTML pages:\n" + "\n".join(problems[:30]))


# --- the PDF and the EPUB -----------------------------------------------------

@pytest.mark.title("the PDF has every chapter, each starting a page")
def test_pdf(book):
    path = os.path.join(book, "book.pdf")
    info = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    expect(info.returncode == 0, f"pdfinfo cannot read {path}:\n{info.stdout}")
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    titles = chapter_titles()
    expect(pages >= len(titles), f"the PDF has {pages} pages for {len(titles)} chapters")
    text = subprocess.run(["pdftotext", "-layout", path, "-"], stdout=subprocess.PIPE, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    missing = [t for t in titles if flat.count(re.sub(r"\s+", " ", t)) < 2]
    expect(not missing, "these chapter titles are not both in the contents and in the text "
           f"of the PDF: {missing}")
    page_tops = [" ".join(page.split())[:200] for page in text.split("\f")]
    not_first = [t for t in titles if not any(top.startswith(re.sub(r"\s+", " ", t)) for top in page_tops)]
    expect(not not_first, f"these chapters do not start a page of the PDF: {not_first}")
    numbers = sorted(set(int(n) for n in re.findall(r"Chapter (\d+):", flat)))
    expected = sorted(int(m.group(1)) for m in (re.match(r"Chapter (\d+):", t) for t in titles) if m)
    expect(numbers == expected, f"the PDF has chapters {numbers}, expected {expected}")


@pytest.mark.title("the EPUB is well formed: mimetype first and stored, container, manifest")
def test_epub(book):
    path = os.path.join(book, "book.epub")
    with zipfile.ZipFile(path) as z:
        first = z.infolist()[0]
        expect(first.filename == "mimetype", f"the first entry is {first.filename}, not mimetype")
        expect(first.compress_type == zipfile.ZIP_STORED, "mimetype is compressed; it must be stored")
        expect(z.read("mimetype") == b"application/epub+zip",
               f"mimetype says {z.read('mimetype')!r}")
        names = set(z.namelist())
        expect("META-INF/container.xml" in names, "there is no META-INF/container.xml")
        container = z.read("META-INF/container.xml").decode()
        match = re.search(r'full-path="([^"]+)"', container)
        expect(match and match.group(1) in names, f"container.xml names no OPF that exists:\n{container}")
        opf_path = match.group(1)
        opf = z.read(opf_path).decode()
        base = os.path.dirname(opf_path)
        hrefs = re.findall(r'<item\b[^>]*\bhref="([^"]+)"', opf)
        expect(hrefs, "the OPF manifest lists no files")
        missing = [h for h in hrefs
                   if os.path.normpath(os.path.join(base, urllib.parse.unquote(h))) not in names]
        expect(not missing, f"the OPF manifest lists files that are not in the EPUB: {missing}")
        images = [h for h in hrefs if h.endswith((".png", ".svg"))]
        expect(len(images) >= 3, f"the EPUB holds only these images: {images}")


# --- the listing filter -------------------------------------------------------

def run_filter(markdown):
    with tempfile.TemporaryDirectory(prefix="booktest-") as tmp:
        source = os.path.join(tmp, "t.md")
        with open(source, "w") as f:
            f.write(markdown)
        return subprocess.run(["pandoc", "--lua-filter", os.path.join(BOOK, "filters", "include.lua"),
                               "-t", "html", source], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=dict(os.environ, BOOK_ROOT=TOP))


@pytest.mark.title("a listing of a missing function, file or pattern stops the build, naming it")
def test_stale_listing():
    good = run_filter('```{.c include="step02-vga/vga.c" function="vga_puts"}\n```\n')
    expect(good.returncode == 0 and "numberSource" in good.stdout and "vga_putc" in good.stdout,
           f"the filter could not include vga_puts:\n{good.stderr}")
    # An exercise's markers and stub stay out of the book; its solution shows.
    marked = run_filter('```{.c include="step02-vga/vga.c" function="scroll"}\n```\n')
    text = html.unescape(re.sub(r"<[^>]+>", "", marked.stdout))
    expect(marked.returncode == 0 and "EXERCISE" not in text
           and "VGA_COLS * (VGA_ROWS - 1)" in text and "without the exercise markers" in text,
           f"the listing of scroll shows the exercise markers or lacks the solution:\n"
           f"{marked.stdout[-2000:]}{marked.stderr}")
    cases = [
        ('```{.c include="step02-vga/vga.c" function="no_such_function"}\n```\n',
         ["step02-vga/vga.c", "no_such_function"]),
        ('```{.c include="step02-vga/no_such_file.c"}\n```\n', ["step02-vga/no_such_file.c"]),
        ('```{include="step01-boot/boot.asm" from="^no_such_label:"}\n```\n',
         ["step01-boot/boot.asm", "^no_such_label:"]),
    ]
    for markdown, names in cases:
        result = run_filter(markdown)
        if result.returncode == 0:
            raise Failure("wrong output", f"the filter accepted a stale listing:\n{markdown}")
        missing = [n for n in names if n not in result.stderr]
        expect(not missing, f"the filter failed without naming {missing}:\n{result.stderr}")
