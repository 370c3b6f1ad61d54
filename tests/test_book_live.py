"""The book's live machines, in a real browser: each step chapter's page,
opened from disk in headless Chromium, boots its own step in v86 until the
step says "stepNN: ready" on COM1; chapter 6's machine runs `hello` typed on
its keyboard, and boots again after Reset; the same page served over HTTP
boots too; no page logs a console error.

The checks are plain functions that take a Selenium driver (open_page,
boot, type_text, type_outside, run_command, reset, screen_text, serial_text,
console_errors; serve for HTTP; check_chapter, check_chapter6, check_served
for a built book's html/ folder), so another test runner can call them as
they are. The test at the end runs them all in one browser, on the book
that the book fixture (conftest.py) builds once per run; it skips only
where that build says npm could not reach its registry, so the book has
no machines.

Selenium comes from Debian (python3-selenium), with chromium and
chromium-driver; tools/need test installs them."""

import functools
import http.server
import os
import re
import shutil
import sys
import threading
import time

import pytest

from harness import Failure, expect

pytestmark = pytest.mark.group("book")

DEBIAN_PYTHON = "/usr/lib/python3/dist-packages"
BOOT_TIMEOUT = 30      # seconds; a boot takes about one
COMMAND_TIMEOUT = 15


def import_selenium():
    """Selenium from Debian's python3-selenium. A python3 other than Debian's
    (a pyenv build, for one) does not see Debian's packages: look there too."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        if os.path.isdir(os.path.join(DEBIAN_PYTHON, "selenium")) and DEBIAN_PYTHON not in sys.path:
            sys.path.append(DEBIAN_PYTHON)
    try:
        from selenium import webdriver
        return webdriver
    except ImportError as error:
        raise Failure("build failed", f"cannot import selenium ({error}): install Debian's "
                      "python3-selenium (tools/need test)")


def start_browser(webdriver):
    """Headless Chromium, its console kept for console_errors()."""
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    from selenium.webdriver.chrome.service import Service
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver), options=options)


def open_page(driver, path):
    """Open an HTML file from disk (file://), as a reader without a server
    does, or a URL. Returns how many machines the page has."""
    driver.get(path if re.match(r"https?://", path) else "file://" + os.path.abspath(path))
    return driver.execute_script("return document.querySelectorAll('div.machine').length")


def serve(folder):
    """Serve folder over HTTP on 127.0.0.1, as a website does. Returns the
    base URL and the server (call its shutdown() when done)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def machine_state(driver):
    return driver.execute_script("""
        const m = document.querySelector('div.machine');
        return m && {state: m.dataset.state, status: m.querySelector('.machine-status').textContent,
                     loadMs: m.dataset.loadMs, bootMs: m.dataset.bootMs};""")


def serial_text(driver):
    return driver.execute_script(
        "const s = document.querySelector('.machine-serial'); return s ? s.textContent : '';")


def screen_text(driver):
    """The 80x25 text screen as v86 draws it: one DOM row per line."""
    return driver.execute_script("""
        const t = document.querySelector('.machine-text');
        return t ? Array.from(t.children).map(r => r.textContent).join('\\n') : '';""")


def wait_for(driver, condition, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            state = machine_state(driver) or {}
            raise Failure("hang", f"{what} did not happen within {timeout} s; the machine says "
                          f"{state.get('state')!r}: {state.get('status')!r}\n"
                          f"screen:\n{screen_text(driver)}\nserial:\n{serial_text(driver)[-800:]}")
        time.sleep(0.05)


def boot(driver, step, timeout=BOOT_TIMEOUT):
    """Click the machine's screen and wait for "stepNN: ready" on its COM1.
    Returns the page's own figures: load_ms (click to first instruction) and
    boot_ms (first instruction to ready)."""
    driver.find_element("css selector", "div.machine .machine-cover").click()
    ready = f"step{step}: ready"

    def ready_or_error():
        state = (machine_state(driver) or {}).get("state")
        if state == "error":
            raise Failure("wrong output", f"the page's machine did not start: "
                          f"{machine_state(driver)['status']}")
        return ready in serial_text(driver)
    wait_for(driver, ready_or_error, timeout, f"'{ready}' on COM1")
    state = wait_for(driver, lambda: (lambda s: s if s and s.get("bootMs") else None)(machine_state(driver)),
                     5, "the page's ready state")
    expect(state["state"] == "ready", f"COM1 says ready, but the page says {state}")
    return {"load_ms": int(state["loadMs"]), "boot_ms": int(state["bootMs"])}


def type_text(driver, text):
    """Type as a reader does: keys go to the focused screen, through the
    browser's key events and v86's PS/2 keyboard."""
    screen = driver.find_element("css selector", "div.machine .machine-screen")
    screen.click()
    screen.send_keys(text)


def type_outside(driver, text):
    """Type with the focus on the page, not on the screen: keys the PC must not get."""
    from selenium.webdriver.common.action_chains import ActionChains
    driver.find_element("css selector", "h1").click()
    ActionChains(driver).send_keys(text).perform()


def run_command(driver, command, expected, timeout=COMMAND_TIMEOUT):
    """Type command and Enter; wait for one more match of expected (a regular
    expression) on the screen than there was before."""
    before = len(re.findall(expected, screen_text(driver)))
    type_text(driver, command + "\n")
    wait_for(driver, lambda: len(re.findall(expected, screen_text(driver))) > before,
             timeout, f"{expected!r} on the screen after typing {command!r}")
    return screen_text(driver)


def reset(driver, step, timeout=BOOT_TIMEOUT):
    """Press Reset: COM1's pane empties and the step says ready again."""
    driver.find_element("css selector", "div.machine .machine-reset").click()
    expect(f"step{step}: ready" not in serial_text(driver), "Reset left the old serial output")
    ready = f"step{step}: ready"
    wait_for(driver, lambda: ready in serial_text(driver), timeout, f"'{ready}' on COM1 after Reset")
    wait_for(driver, lambda: (machine_state(driver) or {}).get("state") == "ready", 5,
             "the page's ready state after Reset")


def console_errors(driver):
    """The page's console errors since the last call (warnings are left out)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


# --- the test ------------------------------------------------------------------------------------
# One test, one browser, every chapter in turn: a browser boot takes a core,
# and tests that queued for a shared browser would hold the runner's other
# worker idle. Each chapter is still checked on its own, and each failure is
# reported with its chapter.

# What each chapter's "Try it" asks the reader to type in its machine, and
# what the screen then shows.
TRIES = {
    "04": [("crash gp", r"KERNEL PANIC: general protection \(exception 13\)")],
    "05": [("meminfo", r"free +\d+ bytes in \d+ blocks?, the largest \d+")],
}


def chapter_page(folder, step):
    pages = [name for name in sorted(os.listdir(folder)) if name.startswith(f"{step}-")]
    expect(pages, f"the book has no chapter page {step}-*.html in {folder}")
    return os.path.join(folder, pages[0])


def boot_chapter(driver, folder, step, url=None):
    """Open chapter step's page (from disk, or at url) and boot its machine."""
    console_errors(driver)  # drop what an earlier page said
    found = open_page(driver, url or chapter_page(folder, step))
    expect(found == 1, f"the page has {found} machines, expected 1")
    figures = boot(driver, step)
    errors = console_errors(driver)
    expect(not errors, "the page logged console errors:\n" + "\n".join(errors))
    return figures


def check_chapter(driver, folder, step):
    boot_chapter(driver, folder, step)
    for command, expected in TRIES.get(step, []):
        run_command(driver, command, expected)


def check_chapter6(driver, folder):
    boot_chapter(driver, folder, "06")
    # Keys typed while the screen has no focus stay with the page: the
    # command line must read "hello", not "lshello".
    type_outside(driver, "ls")
    run_command(driver, "hello", r"(?m)^> hello *\nhello, world")
    run_command(driver, "trace hello", r'write\(1, "hello, world\\n", 13\) = 13')
    reset(driver, "06")
    errors = console_errors(driver)
    expect(not errors, "the page logged console errors:\n" + "\n".join(errors))


def check_served(driver, folder):
    """Chapter 6's page from a web server, as the website serves it."""
    base, server = serve(folder)
    try:
        boot_chapter(driver, folder, "06", url=base + os.path.basename(chapter_page(folder, "06")))
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.title("the live machines in Chromium: each step's chapter, opened from disk, boots its "
                   "step to 'stepNN: ready'; its Try it commands work (crash gp, meminfo, hello, "
                   "trace hello); keys go to the focused screen only; Reset; served over HTTP too")
def test_live_machines(book, book_build):
    folder = os.path.join(book, "html")
    # Only where make book said npm could not reach its registry, and built
    # no machines (tests/test_book_offline.py checks that build).
    unreachable = re.search(r"^book: (no live machines in this build: .*)$", book_build[1].stdout, re.M)
    if unreachable and not os.path.exists(os.path.join(folder, "machine")):
        pytest.skip(unreachable.group(1))
    checks = [(f"chapter {step}", functools.partial(check_chapter, folder=folder, step=step))
              for step in ("01", "02", "03", "04", "05")]
    checks += [("chapter 06", functools.partial(check_chapter6, folder=folder)),
               ("chapter 06 served over HTTP", functools.partial(check_served, folder=folder))]
    driver = start_browser(import_selenium())
    failures = []
    try:
        for name, check in checks:
            try:
                check(driver)
            except Failure as failure:
                failures.append(f"{name}: {failure}")
    finally:
        driver.quit()
    if failures:
        raise Failure("wrong output", f"{len(failures)} of {len(checks)} checks failed:\n"
                      + "\n".join(failures))
