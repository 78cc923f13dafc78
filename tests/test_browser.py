"""The app in a real headless Chromium (Playwright), against `streamlit run app.py`.

Skipped, with the reason, when no Chromium is installed; `.ci/run` installs Debian's so that
CI always runs them. Screenshots are saved under test-artifacts/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PAGES = ["", "initialization", "activations", "batch-normalization", "gradient-clipping", "lab"]

if CHROMIUM is None:
    pytest.skip(
        "no Chromium found (install Debian's chromium or set CHROMIUM_PATH)",
        allow_module_level=True,
    )
playwright = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


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
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium (named so as not to clash with pytest-playwright's own fixtures)."""
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def settle(page, timeout=90):
    """Wait until the app has rendered and stopped running."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_timeout(800)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            break
        page.wait_for_timeout(300)
    page.wait_for_timeout(800)


def open_app(browser, url, width=1400, height=2400):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    settle(page)
    return context, page


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_charts_and_no_exception(server, chromium, path, lang):
    context, page = open_app(chromium, f"{server}/{path}?lang={lang}")
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        page.wait_for_function(
            "document.querySelectorAll('.vega-embed').length >= 2", timeout=120000
        )
        settle(page)
        heading = page.locator("h1").first.inner_text()
        assert heading and (lang == "en" or any("\uac00" <= ch <= "\ud7a3" for ch in heading))
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}-{lang}.png"), full_page=True)
    finally:
        context.close()


def test_widget_change_updates_url_and_a_new_browser_restores_it(server, chromium):
    context, page = open_app(chromium, f"{server}/initialization")
    try:
        page.get_by_label("Hidden activation (the same for every variant)").click()
        page.get_by_role("option", name="tanh").click()
        page.wait_for_url(
            lambda url: parse_qs(urlparse(url).query).get("activation") == ["tanh"], timeout=90000
        )
        settle(page)
        shared = page.url
    finally:
        context.close()
    context, page = open_app(chromium, shared)
    try:
        assert (
            "tanh" in page.locator('[data-testid="stSelectbox"]').first.inner_text()
            or "tanh" in page.content()
        )
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_switching_pages_keeps_the_shared_settings(server, chromium):
    context, page = open_app(chromium, f"{server}/?depth=7&lang=ko")
    try:
        page.get_by_role("link", name="초기화").first.click()
        page.wait_for_url(lambda url: "initialization" in url and "depth=7" in url, timeout=90000)
        settle(page)
        query = parse_qs(urlparse(page.url).query)
        assert "initialization" in page.url
        assert query.get("depth") == ["7"] and query.get("lang") == ["ko"]
    finally:
        context.close()


def test_several_browsers_at_once_all_finish_and_the_server_stays_healthy(server):
    # Playwright's sync API is bound to its thread: use one browser per worker thread.
    def worker(i):
        with playwright.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return visit_with(b, i)
            finally:
                b.close()

    def visit_with(b, i):
        context = b.new_context(viewport={"width": 1200, "height": 1200})
        page = context.new_page()
        page.goto(f"{server}/gradient-clipping?seed={i % 2}")
        settle(page)
        page.wait_for_selector(".vega-embed", timeout=60000)
        errors = page.locator('[data-testid="stException"]').count()
        context.close()
        return errors

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(worker, range(4)))
    assert results == [0, 0, 0, 0]
    assert healthy(server)


def test_a_lesson_asks_before_it_shows_its_charts(server, chromium):
    url = f"{server}/initialization?lesson=symmetry&inits=zeros,constant,he_normal&depth=3&width=16&epochs=1"
    context, page = open_app(chromium, url)
    try:
        page.wait_for_selector('[data-testid="stForm"]', timeout=120000)
        settle(page)
        form = page.locator('[data-testid="stForm"]')
        assert form.count() == 1
        charts_before = page.locator(".vega-embed").count()
        assert charts_before == 0  # nothing of the run is drawn yet
        groups = form.locator('[role="radiogroup"]')
        assert groups.count() == 2
        groups.nth(0).locator("label").first.click()  # "1: all units are still identical"
        form.get_by_role("button").click()
        page.wait_for_function(
            "document.querySelectorAll('.vega-embed').length >= 5", timeout=120000
        )
        settle(page)
        assert page.get_by_text("Right:").count() == 1
        assert page.get_by_text("Not answered; this run shows").count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "lesson-questions-en.png"), full_page=True)
    finally:
        context.close()
