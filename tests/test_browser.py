"""The app in a real headless Chromium (Playwright), served as a hosted copy serves it:
`streamlit run streamlit_app.py` (the warm-up off, see conftest.py).

Skipped, with the reason, when no Chromium is found (see :func:`find_chromium`); `.ci/run`
installs Debian's so that CI always runs them. Screenshots are saved under test-artifacts/.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import parse_qs, parse_qsl, quote, urlparse

import pytest
from conftest import ROOT

from ui.story.lessons import LESSONS
from ui.text.i18n import Text

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PAGES = ["", "initialization", "activations", "batch-normalization", "gradient-clipping", "lab"]

playwright = pytest.importorskip("playwright.sync_api")


def find_chromium() -> str | None:
    """``CHROMIUM_PATH`` (any Chromium-based browser: Chrome, Edge, ...), then ``chromium`` or
    ``chromium-browser`` on the PATH, then Playwright's own build, if it has been installed
    (``python -m playwright install chromium``)."""
    named = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if named:
        return named
    with playwright.sync_playwright() as p:
        own = p.chromium.executable_path
    return own if os.path.exists(own) else None


CHROMIUM = find_chromium()
if CHROMIUM is None:
    pytest.skip(
        "no Chromium found: install one (README) or set CHROMIUM_PATH", allow_module_level=True
    )


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


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until the server ``proc`` at ``base`` answers its health check; fails (killing it) if
    it exits or has not answered within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not healthy(base):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("streamlit did not become healthy")
        time.sleep(0.3)


#: The server process behind each address :func:`serve` yields (tests that watch its CPU).
SERVER_PIDS: dict[str, int] = {}


def serve(*flags: str):
    """`streamlit run streamlit_app.py` (the hosted entry point: app.py behind ``st.App``) on
    a free loopback port, headless (no browser opened), with ``flags``; yields the app's
    address once it is healthy."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *flags],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    prefix = next((f"/{v.strip('/')}" for k, v in zip(flags, flags[1:]) if "baseUrlPath" in k), "")
    wait_healthy(base + prefix, proc)
    SERVER_PIDS[base + prefix] = proc.pid
    yield base + prefix
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def prefixed_server():
    """The app under a URL prefix, as behind a university's proxy: http://host/gl/..."""
    yield from serve("--server.baseUrlPath", "gl")


#: enabled when a page's first run ends (the link to share), or an exception shown instead
SHARE_BUTTON = '[data-testid="stSidebar"] [data-testid="stPopover"] button'
FIRST_RUN_DONE = f'{SHARE_BUTTON}:not([disabled]), [data-testid="stException"]'


#: True once the page has shown no status widget for a second (checked in the page itself, every
#: 100 ms: asking from the test would cost a round trip per check).
QUIET_FOR_A_SECOND = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) {
    window.__quietSince = null;
    return false;
  }
  window.__quietSince = window.__quietSince ?? performance.now();
  return performance.now() - window.__quietSince >= 1000;
}"""


def settle(page, timeout=90):
    """Wait until the app has rendered and stopped running: its first run has written what it
    writes last (on a busy machine the status widget can appear seconds after the page, so the
    first run's end is awaited by what it writes), then no status widget for a second (or
    ``timeout`` seconds, after which the test goes on and its own checks decide)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_selector(FIRST_RUN_DONE, timeout=2 * timeout * 1000)
    page.evaluate("window.__quietSince = null")
    try:
        page.wait_for_function(QUIET_FOR_A_SECOND, polling=100, timeout=timeout * 1000)
    except playwright.TimeoutError:
        pass


def new_context(browser, width=1400, height=2400, **kwargs):
    """A new visitor (a session of its own), preferring reduced motion: without Streamlit's
    animations Chromium spends about half the CPU time on a page (its compositor drew every
    frame of them in software)."""
    viewport = {"width": width, "height": height}
    return browser.new_context(viewport=viewport, reduced_motion="reduce", **kwargs)


def open_tab(visitors, url):
    """A new visitor on ``url`` in a new tab of the context ``visitors`` (the shared one, unless
    a test has its own), once the app has settled."""
    page = visitors.new_page()
    page.goto(url)
    settle(page)
    return page


def open_app(browser, url, width=1400, height=2400):
    context = new_context(browser, width, height)
    page = context.new_page()
    page.goto(url)
    settle(page)
    return context, page


def share_link(page) -> tuple[str, dict]:
    """The sidebar's link to share, read from its popover, and the popover's button in page
    pixels (the sidebar's layout does not depend on the window's height). The button appears
    once the page's first run ends."""
    button = page.locator(SHARE_BUTTON).first
    button.wait_for(timeout=180000)
    box = button.bounding_box()
    button.click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first
    code.wait_for(timeout=30000)
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    code.wait_for(state="hidden", timeout=30000)
    return link, box


def assert_clean(link: str) -> dict[str, str]:
    """The link's query has no empty values and none of the defaults a lesson-less page has."""
    pairs = parse_qsl(urlparse(link).query, keep_blank_values=True)
    assert all(value for _, value in pairs), link
    query = dict(pairs)
    assert query.get("lesson") != "none" and "hide" not in query, link
    return query


#: True once some chart draws Korean text: SVG text in a played chart (the rest draw on canvas).
CHART_IN_KOREAN = """() => [...document.querySelectorAll('.vega-embed svg text')].some(
  t => /[\\uac00-\\ud7a3]/.test(t.textContent))"""


def check_page(page, path: str, lang: str, expected_link: str) -> None:
    """No exception, the page's charts drawn, its heading in ``lang``, the link to share in the
    first screenful (900 px) and equal to ``expected_link``; a full-page screenshot saved."""
    # the lab, batch normalization and gradient clipping open on their played chart alone
    # (their other charts are tabs or folded sections, drawn once opened); the other pages
    # draw a second chart beside it
    charts = 1 if path in ("lab", "batch-normalization", "gradient-clipping") else 2
    page.wait_for_function(
        f"document.querySelectorAll('.vega-embed').length >= {charts}", timeout=120000
    )  # the page has settled: the charts are drawn by now
    assert page.locator('[data-testid="stException"]').count() == 0
    # the overview's heading is the app's name: its first sentence speaks the page's language
    first = "[data-testid=stMain] [data-testid=stMarkdownContainer] p" if not path else "h1"
    heading = page.locator(first).first.inner_text()
    korean = any("\uac00" <= ch <= "\ud7a3" for ch in heading)
    assert heading and korean == (lang == "ko"), heading
    # the shared settings, folded into their summary, opened once (a change of language keeps
    # them open): the data set's select box shows its choice in the page's language
    section = page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]')
    summary = section.locator("summary").inner_text().replace("\u00a0", " ")
    assert Text(lang)("dss_digits") + " · " in summary
    chosen = section.locator('[data-testid="stSelectbox"] input')
    if chosen.count() == 0:
        section.locator("summary").click()
        chosen.first.wait_for(timeout=60000)
    assert chosen.first.input_value() == Text(lang)("ds_digits")
    link, box = share_link(page)
    assert box["y"] + box["height"] <= 900
    assert link == expected_link
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}-{lang}.png"), full_page=True)


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_then_switches_to_korean_in_place(server, visitors, path):
    """Each page at its defaults in a tab of its own (a session of its own), then in Korean
    through the sidebar's language switch: a rerun of the open page, not a new visit (a new
    visit in Korean: the prefix, page-switching and export tests). At the defaults the link to
    share is the page's address alone, the language aside."""
    page = open_tab(visitors, f"{server}/{path}?lang=en")
    try:
        check_page(page, path, "en", f"{server}/{path}")
        page.locator('[data-testid="stSidebar"] [data-testid="stRadioOption"]').filter(
            has_text="한국어"
        ).click()
        page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("lang") == ["ko"])
        settle(page)
        page.wait_for_function(CHART_IN_KOREAN, timeout=60000)  # the charts redrawn in Korean
        check_page(page, path, "ko", f"{server}/{path}?lang=ko")
    finally:
        page.close()


def test_widget_change_updates_url_and_a_new_browser_restores_it(server, chromium, visitors):
    small = {"depth": "3", "width": "8", "epochs": "1"}  # the new run (tanh) trains quickly
    page = open_tab(visitors, f"{server}/initialization?depth=3&width=8&epochs=1")
    try:
        page.get_by_label("Hidden activation (the same for every variant)").click()
        page.get_by_role("option", name="tanh").click()
        page.wait_for_url(
            lambda url: parse_qs(urlparse(url).query).get("activation") == ["tanh"], timeout=90000
        )
        settle(page)
        shared = page.url
        link, _ = share_link(page)
        assert assert_clean(link) == small | {"activation": "tanh"}
    finally:
        page.close()
    # a new browser: a context of its own (none of the first visit's cookies, storage or
    # cache), so that the link alone restores the setting
    context, page = open_app(chromium, shared)
    try:
        assert (
            "tanh" in page.locator('[data-testid="stSelectbox"]').first.inner_text()
            or "tanh" in page.content()
        )
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_switching_pages_keeps_the_shared_settings(server, visitors):
    page = open_tab(visitors, f"{server}/?depth=7&lang=ko&width=8&epochs=1")
    try:
        page.get_by_role("link", name="초기화").first.click()
        page.wait_for_url(lambda url: "initialization" in url and "depth=7" in url, timeout=90000)
        settle(page)
        query = parse_qs(urlparse(page.url).query)
        assert "initialization" in page.url
        assert query.get("depth") == ["7"] and query.get("lang") == ["ko"]
    finally:
        page.close()


def test_several_visitors_at_once_all_finish_and_the_server_stays_healthy(server, visitors):
    """Four visitors at once, each in a tab of its own (its own connection and session on the
    server, as a browser of its own would have; the tabs share the context's cookies, which
    no session depends on, and its cache, from which the app's scripts load), two by two asking
    for the same new run (a small one)."""
    pages = []
    try:
        for _ in range(4):
            pages.append(visitors.new_page())
            pages[-1].set_viewport_size({"width": 1200, "height": 1200})
        for i, page in enumerate(pages):  # all four load at once
            url = f"{server}/gradient-clipping?seed={i % 2}&depth=4&width=16&epochs=2"
            page.goto(url, wait_until="commit")
        errors = []
        for page in pages:
            settle(page)
            page.wait_for_selector(".vega-embed", timeout=60000)
            errors.append(page.locator('[data-testid="stException"]').count())
    finally:
        for page in pages:
            page.close()
    assert errors == [0, 0, 0, 0]
    assert healthy(server)


def test_export_downloads_a_script_and_a_notebook_built_on_click(server, visitors):
    """The export offer's deferred downloads arrive in a real browser, named for the variant,
    and hold code that compiles (issue 21). A tab of the shared context (which accepts
    downloads, Playwright's default)."""
    page = visitors.new_page()
    page.set_viewport_size({"width": 1300, "height": 1400})
    try:
        page.goto(f"{server}/batch-normalization?lang=ko&depth=3&width=8&epochs=1&bns=before")
        settle(page)
        expander = page.locator('[data-testid="stExpander"]').filter(has_text="파이토치나 케라스로")
        expander.locator("summary").click(timeout=120000)  # drawn once the comparison has run
        got = {}
        for label in ("스크립트 (.py)", "노트북 (.ipynb)"):
            with page.expect_download(timeout=60000) as download:
                expander.get_by_role("button", name=label).click()
            got[download.value.suggested_filename] = download.value.path().read_text("utf-8")
        script = "gradient-lab_tanh-random_normal_std1-bn_before_pytorch.py"
        assert sorted(got) == [script.replace(".py", ".ipynb"), script]
        compile(got[script], script, "exec")
        assert "class KerasBatchNorm(nn.BatchNorm1d)" in got[script]
        cells = json.loads(got[script.replace(".py", ".ipynb")])["cells"]
        assert "PyTorch로 재현하기" in "".join(cells[0]["source"])
    finally:
        page.close()


def test_a_link_puts_no_link_image_or_request_to_another_site_into_the_page(server, visitors):
    """The review's phishing link and tracking pixel, through a number, a name and a list; the
    page asks no other site for anything."""
    phishing = quote("\n\n[Session expired - sign in again](https://evil.example/login)")
    pixel = quote("![x](https://evil.example/p.png)<img src=https://evil.example/i.png>")
    url = f"{server}/?depth=2&width=8&epochs=1&seed={phishing}&lesson={pixel}&hide={pixel},depth"
    page = visitors.new_page()
    page.set_viewport_size({"width": 1400, "height": 1600})
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
        # nor does the app itself ask another site for anything (its tab icon included)
        home = urlparse(server).hostname
        elsewhere = [
            u for u in requests if urlparse(u).scheme != "data" and urlparse(u).hostname != home
        ]
        assert not elsewhere
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hostile-link-notes.png"))
    finally:
        page.close()


def test_under_a_url_prefix_the_lesson_links_and_the_share_link_keep_it(prefixed_server, chromium):
    """Served at /gl (``--server.baseUrlPath``, as behind a proxy), a lesson link opens its page
    with the lesson's settings, and the link to share reopens exactly that experiment."""
    context, page = open_app(chromium, f"{prefixed_server}/lessons?lang=ko", height=900)
    try:
        lesson = page.locator('a[href*="lesson=exploding"]').first
        href = lesson.get_attribute("href")
        assert not href.startswith("/"), "an absolute path would drop the prefix"
        with context.expect_page() as opened:  # a link button opens its link in a new tab
            lesson.click()
        page = opened.value
        link, box = share_link(page)
        assert urlparse(page.url).path == "/gl/initialization"
        assert page.locator('[data-testid="stException"]').count() == 0
        assert box["y"] + box["height"] <= 900
        assert link.startswith(f"{prefixed_server}/initialization?")
        query = assert_clean(link)
        assert query == {"lang": "ko", "inits": "random_normal,he_normal", "lesson": "exploding"}
        # the link to share, opened by a new visitor: a new tab (a session of its own) of the
        # same context, which has the prefixed app's scripts already (see :func:`visitors`)
        page = open_tab(context, link)
        assert share_link(page)[0] == link  # every setting taken as written
        assert urlparse(page.url).path == "/gl/initialization"
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "신호 폭주" in page.locator('[data-testid="stAlert"]').first.inner_text()
    finally:
        context.close()


def test_a_page_connects_to_the_server_root_without_a_failed_first_try(
    server, prefixed_server, chromium
):
    """A page other than the overview, opened by its address (at the root and under a URL
    prefix), knows the server's root from the page the server sent (ui/page/server_root.py):
    it asks the root's health check only, never one under the page's own address."""
    for base, path in ((server, "/activations"), (prefixed_server, "/initialization")):
        context = new_context(chromium, height=900)
        asked: list[str] = []
        context.on("request", lambda r, asked=asked: asked.append(urlparse(r.url).path))
        try:
            page = context.new_page()
            page.goto(base + path)
            settle(page)
            assert page.evaluate("window.__streamlit.BACKEND_BASE_URL") == base + "/"
            assert page.locator('[data-testid="stException"]').count() == 0
            prefix = urlparse(base).path
            health = [p for p in asked if p.endswith("/_stcore/health")]
            assert health and set(health) == {f"{prefix}/_stcore/health"}, asked
        finally:
            context.close()


def test_a_failed_upload_keeps_the_settings_when_switching_pages(server, visitors):
    """The review's 5,000 nested lists: a clear error, then the shared settings survive."""
    page = open_tab(visitors, f"{server}/lab?depth=3&width=8&epochs=1&lr=0.1")
    try:
        nested = b"[" * 5000 + b"]" * 5000
        page.locator('[data-testid="stExpander"] summary').filter(
            has_text=Text("en")("lab_downloads")
        ).click()  # the files are drawn once their expander is opened
        dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        dropzone.wait_for(state="attached", timeout=60000)
        dropzone.set_input_files(
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
        page.close()


def test_a_link_of_over_a_thousand_parameters_is_cleaned_from_the_address_bar(server, visitors):
    junk = "&".join(f"junk{i}=x" for i in range(1005))
    page = open_tab(visitors, f"{server}/?{junk}")
    try:
        assert "junk" not in page.url
    finally:
        page.close()


def test_a_lesson_asks_before_it_shows_its_charts(server, visitors):
    url = f"{server}/initialization?lesson=symmetry&inits=zeros,constant,he_normal&depth=3&width=16&epochs=1"
    page = open_tab(visitors, url)
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
            "document.querySelectorAll('.vega-embed').length >= 3", timeout=120000
        )
        settle(page)
        assert page.get_by_text("Right:").count() == 1
        assert page.get_by_text("Not answered; this run shows").count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "lesson-questions-en.png"), full_page=True)
    finally:
        page.close()


#: Sets window.sawRunning once Streamlit's "running" status appears (a rerun under way).
WATCH_RUNNING = """
new MutationObserver(() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) window.sawRunning = true;
}).observe(document, {childList: true, subtree: true});
"""


def test_playback_animates_the_epochs_in_the_browser_without_a_rerun(server, visitors):
    """Play, step and the timeline on a technique page (issue 20): the epoch the drawn chart
    shows changes while the browser sends the server nothing and no rerun runs; a click on the
    timeline reruns once and puts the epoch into the link, which the histograms then open at."""
    page = visitors.new_page()  # a session of its own, its own connection to the server
    page.add_init_script(WATCH_RUNNING)
    sent = []  # every frame the browser sends the server (a rerun request is one)
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    try:
        page.goto(f"{server}/initialization?depth=3&width=16&epochs=4&epoch=1")
        settle(page)
        played = page.locator(".vega-embed:has(.vega-bindings)").first
        title = played.locator("g.role-title-text").filter(has_text=re.compile("^Epoch"))
        slider = played.locator('.vega-bindings input[type="range"]')
        play = played.locator('.vega-bindings input[type="checkbox"]')
        assert title.text_content() == "Epoch 1 of 4" and slider.input_value() == "1"
        page.evaluate("window.sawRunning = false")
        quiet = len(sent)

        # every epoch title the played chart shows, as the browser draws it (not sampled: a
        # fast machine could step past a sample)
        page.evaluate(
            """() => {
              window.shownTitles = new Set();
              new MutationObserver(() => document.querySelectorAll(
                  '.vega-embed:has(.vega-bindings) g.role-title-text').forEach(t => {
                    if (t.textContent.startsWith('Epoch')) window.shownTitles.add(t.textContent);
                  })
              ).observe(document, {childList: true, subtree: true, characterData: true});
            }"""
        )
        play.check()
        page.wait_for_function(
            """() => ['Epoch 2 of 4', 'Epoch 3 of 4', 'Epoch 4 of 4'].every(
                       t => window.shownTitles.has(t))""",
            timeout=30_000,
        )
        play.uncheck()
        paused = title.text_content()
        page.wait_for_timeout(1500)  # paused: it stays, and nothing is sent
        assert title.text_content() == paused
        slider.focus()
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")  # one step
        playwright.expect(title).to_have_text("Epoch 1 of 4", timeout=10000)  # drawn
        assert title.text_content() == "Epoch 1 of 4" and slider.input_value() == "1"
        page.wait_for_timeout(1000)  # longer than Streamlit waits before reporting a selection
        assert len(sent) == quiet, "playing or stepping sent the server something"
        assert page.evaluate("window.sawRunning") is False
        ARTIFACTS.mkdir(exist_ok=True)
        played.screenshot(path=str(ARTIFACTS / "playback-layers.png"))

        played.locator("g.timeline_marks path").nth(3).click()  # epoch 3
        page.wait_for_url(
            lambda url: parse_qs(urlparse(url).query).get("epoch") == ["3"], timeout=90000
        )
        settle(page)
        assert len(sent) == quiet + 1  # one rerun
        assert title.text_content() == "Epoch 3 of 4"

        page.get_by_role("tab", name="Gradient histograms").click()
        page.wait_for_function(
            "[...document.querySelectorAll('.vega-embed text')].some("
            "t => t.textContent.startsWith('Distribution of log10'))",
            timeout=90000,
        )
        settle(page)
        hist = page.locator(".vega-embed:has(.vega-bindings)").first
        hist_title = hist.locator("g.role-title-text").filter(has_text=re.compile("^Epoch"))
        assert hist_title.text_content() == "Epoch 3 of 4"  # the link's epoch
        quiet = len(sent)
        hist.locator('.vega-bindings input[type="checkbox"]').check()
        page.wait_for_function(
            "(t) => [...document.querySelectorAll('.vega-embed text')].some("
            "e => e.textContent === t)",
            arg="Epoch 4 of 4",
            timeout=10000,
        )
        assert len(sent) == quiet
    finally:
        page.close()


def test_the_landing_page_shows_the_phenomenon_and_the_way_in_without_scrolling(server, chromium):
    """At 1366 x 768, the first screen holds the app's name, the chart of the back-propagated
    gradient and the link to the lesson plan; one click opens the plan. The sidebar does not
    move while the page computes: the share button holds its place from the first paint."""
    context = new_context(chromium, 1366, 768)
    page = context.new_page()
    try:
        page.goto(f"{server}/")
        settings = '[data-testid="stSidebar"] [data-testid="stExpander"]'
        page.wait_for_selector(settings)  # below the share button, which is drawn first
        first = page.locator(settings).bounding_box()
        settle(page)
        page.wait_for_function("document.querySelectorAll('.vega-embed').length >= 1")
        assert page.locator(settings).bounding_box()["y"] == pytest.approx(first["y"], abs=1)
        assert page.evaluate("window.scrollY") == 0
        for what in ("h1", ".vega-embed", '[data-testid="stMain"] a[href$="lessons"]'):
            box = page.locator(what).first.bounding_box()
            assert box and box["y"] + box["height"] <= 768, what
        assert page.locator("h1").first.inner_text() == "Gradient Lab"
        page.locator('[data-testid="stMain"] a[href$="lessons"]').first.click()
        page.wait_for_url(lambda url: urlparse(url).path == "/lessons", timeout=60000)
        settle(page)
        assert page.locator("h1").first.inner_text() == "Lesson plan"
        lessons = page.locator('[data-testid="stMain"] a[href*="lesson="]')
        assert lessons.count() == 2 * len(LESSONS)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "lesson-plan-en.png"), full_page=True)
    finally:
        context.close()


#: A number as the pages write it: plain decimals, or a power of ten with superscript digits.
PAGE_NUMBER = re.compile(r"^(−?[0-9]+(\.[0-9]+)?|−?(-?[0-9](\.[0-9]+)?×)?10⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")


def test_log_axes_label_powers_of_ten_as_the_text_writes_them(server, visitors):
    """The labels Vega draws from the axes' own expression (not Python's formatting): an
    exploding network spans ten decades, labelled 10⁻⁴, 2×10⁻⁴ … 10¹⁰, never 1e-4."""
    page = open_tab(visitors, f"{server}/initialization?inits=random_normal,he_normal")
    try:
        played = page.locator(".vega-embed:has(.vega-bindings)").first
        playwright.expect(played.locator("g.role-axis-label text").first).to_be_visible()
        labels = played.locator("g.role-axis-label text").all_text_contents()
        assert labels and all(PAGE_NUMBER.match(label) for label in labels), labels
        assert any("×10⁻" in label for label in labels), labels  # a mantissa and a minus sign
        assert any(re.search("10[⁰¹²³⁴⁵⁶⁷⁸⁹]{2}$", label) for label in labels), labels  # 10¹⁰
    finally:
        page.close()
