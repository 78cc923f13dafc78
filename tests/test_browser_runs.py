"""Runs as a visitor sees them in headless Chromium: the curves and the gradient profile fill in
while a comparison trains, and closing the tab stops the run (the server goes idle instead of
finishing it); a "clear cache" message, which any client can send, empties nothing the
server computed."""

import os
import time

import pytest
from test_browser import SERVER_PIDS

pytestmark = pytest.mark.browser

#: A Lab comparison that trains for several seconds (two variants, many short epochs, within the
#: budget). Live charts appear only once a run has trained ui.runs.runner.LIVE_AFTER seconds, and the
#: visitor must leave while it still trains: a much shorter run can end before the tab closes.
LONG_RUN = "lab?depth=4&width=96&epochs=200&batch_size=32"


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


def visit(visitors, url: str):
    """A new visitor on ``url``: a new tab of the shared context (a session of its own on the
    server, which holds the runs and their cache; the browser holds no state of them)."""
    page = visitors.new_page()
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.add_init_script(WATCH_PROGRESS)
    page.goto(url)
    return page


def wait_until_idle(pid: int, timeout: float = 90.0) -> None:
    """Until the server uses less than a tenth of a core over a second: over the last second
    or a little more, looked at every 0.2 s (rather than over consecutive whole seconds, which
    waited up to a second longer than needed)."""
    deadline = time.monotonic() + timeout
    samples = [(time.monotonic(), cpu_seconds(pid))]  # (when, CPU seconds so far)
    while samples[-1][0] < deadline:
        time.sleep(0.2)
        now, used = time.monotonic(), cpu_seconds(pid)
        a_second_ago = [u for t, u in samples if now - t >= 1.0]
        if a_second_ago and used - a_second_ago[-1] < 0.1:
            return
        samples.append((now, used))
    pytest.fail("the server stayed busy")


def trains(page) -> None:
    """The page shows a progress bar (its run trains) and then finishes. Waited for
    explicitly: a page can look finished for a moment before its run starts."""
    page.wait_for_function("window.sawProgress === true", timeout=120_000)
    assert finished(page)


def finished(page) -> bool:
    """The page has drawn its charts (the played per-layer charts, with their controls) and
    stopped running."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]') &&
                 !document.querySelector('[data-testid="stProgress"]') &&
                 document.querySelector('.vega-embed svg') &&
                 document.querySelector('.vega-embed .vega-bindings')""",
        timeout=120_000,
    )
    return True


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_live_charts_fill_in_while_it_trains_and_a_closed_tab_stops_the_run(server, visitors):
    # the session's server: no test runs on it meanwhile, and no other test asks for this run
    pid = SERVER_PIDS[server]
    url = f"{server}/{LONG_RUN}&seed=11"
    page = visit(visitors, url)
    try:
        # While the progress bar is up, the training curves and the back-propagated gradient per
        # layer are drawn (and redrawn as epochs arrive), the latter titled with the epoch it shows.
        page.wait_for_function(
            """() => document.querySelector('[data-testid="stProgress"]') &&
                     document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 2 &&
                     [...document.querySelectorAll('.vega-embed text')].some(
                         t => /^Back-propagated gradient .* at epoch \\d+$/.test(t.textContent))""",
            timeout=60_000,
        )
        page.close()  # the visitor closes the tab in the middle of the run
        wait_until_idle(pid)

        # Had the run gone on, its result would be cached now; it stopped, so it trains again.
        page = visit(visitors, url)
        trains(page)
        page.close()

        # Now it finished: a new tab gets it from the cache without training.
        page = visit(visitors, url)
        assert finished(page) and page.evaluate("window.sawProgress !== true")
    finally:
        page.close()


def send_clear_cache(base: str) -> None:
    """What any client can send over a bare websocket: Streamlit's "clear cache" message,
    which empties every ``st.cache_resource`` and ``st.cache_data`` of the server. Returns once
    the server has handled it (it answers the heartbeat sent after it)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect  # installed with Streamlit

    with connect(
        base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"]
    ) as ws:
        ws.send(BackMsg(clear_cache=True).SerializeToString())
        ws.send(BackMsg(app_heartbeat=True).SerializeToString())
        while ForwardMsg.FromString(ws.recv(timeout=30)).WhichOneof("type") != "heartbeat_ack":
            pass


def test_a_clear_cache_message_from_any_client_keeps_what_the_server_computed(server, visitors):
    url = f"{server}/initialization?seed=23&epochs=20"  # seconds of training: a progress bar
    page = visit(visitors, url)
    trains(page)
    page.close()
    send_clear_cache(server)
    page = visit(visitors, url)
    try:
        assert finished(page) and page.evaluate("window.sawProgress !== true")
    finally:
        page.close()


def running(page) -> bool:
    """The page is still waiting for its run (queued or training)."""
    return page.evaluate(
        """() => !!document.querySelector('[data-testid="stProgress"]') ||
                 !document.querySelector('.vega-embed svg')"""
    )


def test_a_light_page_passes_heavy_runs_queued_before_it(server, visitors):
    # five tabs of several seconds of training each: two train, three queue
    heavy = [visit(visitors, f"{server}/{LONG_RUN}&seed={40 + i}") for i in range(5)]
    light = None
    try:
        heavy[-1].wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stProgress\"]')]"
            ".some(p => p.textContent.includes('Waiting for a free worker'))",
            timeout=60_000,
        )
        # a light page nobody has asked for yet (a run of about a second), opened after them
        light = visit(visitors, f"{server}/initialization?seed=41")
        trains(light)
        # it went before the three heavy runs that queued earlier (shortest charge first): they
        # are all still waiting or training now
        assert sum(running(page) for page in heavy) >= 3
        for page in heavy:
            assert finished(page)
    finally:
        for page in [*heavy, light]:
            if page is not None:
                page.close()
