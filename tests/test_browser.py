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
from urllib.parse import parse_qs, quote, urlparse

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


def test_a_link_puts_no_link_image_or_request_to_another_site_into_the_page(server, chromium):
    """The review's phishing link and tracking pixel, through a number, a name and a list."""
    phishing = quote("\n\n[Session expired - sign in again](https://evil.example/login)")
    pixel = quote("![x](https://evil.example/p.png)<img src=https://evil.example/i.png>")
    url = f"{server}/?depth=2&width=8&epochs=1&seed={phishing}&lesson={pixel}&hide={pixel},depth"
    context = chromium.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(url)
        settle(page)
        notes = page.locator('[data-testid="stAlertContentWarning"]').first
        code = notes.locator("code").all_inner_texts()
        assert "seed=[Session expired - sign in again](https://…" in code, code
        assert sum(t.count("evil") for t in code) == notes.inner_text().count("evil") > 0
        assert page.locator('a[href*="evil"]').count() == 0
        assert page.locator('img[src*="evil"]').count() == 0
        assert not [u for u in requests if urlparse(u).hostname == "evil.example"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hostile-link-notes.png"))
    finally:
        context.close()


def test_a_failed_upload_keeps_the_settings_when_switching_pages(server, chromium):
    """The review's 5,000 nested lists: a clear error, then the shared settings survive."""
    context, page = open_app(chromium, f"{server}/lab?depth=3&width=8&epochs=1&lr=0.1")
    try:
        nested = b"[" * 5000 + b"]" * 5000
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "deep.json", "mimeType": "application/json", "buffer": nested}]
        )
        page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60000)
        assert (
            "nested more than" in page.locator('[data-testid="stAlertContentError"]').inner_text()
        )
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_role("link", name="Initialization").first.click()
        page.wait_for_url(lambda url: "initialization" in url, timeout=60000)
        settle(page)
        query = parse_qs(urlparse(page.url).query)
        assert query.get("depth") == ["3"] and query.get("width") == ["8"]
        assert query.get("lr") == ["0.1"] and query.get("epochs") == ["1"]
    finally:
        context.close()


def test_a_link_of_over_a_thousand_parameters_is_cleaned_from_the_address_bar(server, chromium):
    junk = "&".join(f"junk{i}=x" for i in range(1005))
    context, page = open_app(chromium, f"{server}/?{junk}")
    try:
        assert "junk" not in page.url
    finally:
        context.close()
