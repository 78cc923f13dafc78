"""Runs as a visitor sees them in headless Chromium: the curves fill in while a comparison
trains, and closing the tab stops the run (the server goes idle instead of finishing it)."""

import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, healthy

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

#: A Lab comparison that trains for a few seconds, many short epochs.
LONG_RUN = "lab?depth=3&width=32&epochs=60&batch_size=64"


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while not healthy(base):
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("streamlit did not become healthy")
        time.sleep(0.3)
    yield base, proc.pid
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


#: Sets window.sawProgress once a progress bar has appeared on the page (a run trained).
WATCH_PROGRESS = """
new MutationObserver(() => {
  if (document.querySelector('[data-testid="stProgress"]')) window.sawProgress = true;
}).observe(document, {childList: true, subtree: true});
"""


def visit(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    context.add_init_script(WATCH_PROGRESS)
    page = context.new_page()
    page.goto(url)
    return context, page


def wait_until_idle(pid: int, timeout: float = 90.0) -> None:
    """Until the server uses less than a tenth of a core over a second."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < 0.1:
            return
    pytest.fail("the server stayed busy")


def finished(page) -> bool:
    """The page has drawn its charts and stopped running."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]') &&
                 !document.querySelector('[data-testid="stProgress"]') &&
                 document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 3""",
        timeout=120_000,
    )
    return True


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_curves_fill_in_while_it_trains_and_a_closed_tab_stops_the_run(server, browser):
    base, pid = server
    url = f"{base}/{LONG_RUN}&seed=11"
    context, page = visit(browser, url)
    # While the progress bar is up, the training curves are drawn and redrawn.
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stProgress"]') &&
                 document.querySelector('.vega-embed canvas, .vega-embed svg')""",
        timeout=60_000,
    )
    context.close()  # the visitor leaves in the middle of the run
    wait_until_idle(pid)

    # Had the run gone on, its result would be cached now; it stopped, so it trains again.
    context, page = visit(browser, url)
    assert finished(page) and page.evaluate("window.sawProgress === true")
    context.close()

    # Now it finished: a new tab gets it from the cache without training.
    context, page = visit(browser, url)
    assert finished(page) and page.evaluate("window.sawProgress !== true")
    context.close()
