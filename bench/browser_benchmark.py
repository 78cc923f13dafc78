"""Benchmark: what a visitor waits for, per page, in headless Chromium, side by side with a bare
Streamlit page that draws three small Altair charts (the floor Streamlit itself sets).

For every page, in one run:

- cold: a fresh server (nothing cached, nothing imported) and a fresh browser, the page's
  first visit;
- warm: a new tab on the same server once the page has been seen, in the same browser (median
  of ``--visits``): the run is in the server's shared cache and Streamlit's scripts are in the
  browser's cache (they are served as immutable), as for a class opening a link the teacher
  has already opened, or a visitor coming back;
- new browser: a new tab in a fresh browser profile on the same warm server (median of
  ``--rounds``): a first-time visitor to a page someone else has seen, who downloads every
  script from the Python server;
- after warm-up: a fresh server with its warm-up on (ui/runs/warmup.py), at the same address as
  the cold one, once the warm-up has logged its end: the page's first visit on it, a new tab
  in the browser that saw the page on the earlier server (so that Streamlit's scripts are in
  its cache, as in the warm visit): a teacher who tried the page the day before opening it
  first in class, minutes after the server started (median of ``--rounds`` servers, one
  after the other). Its aim is the warm visit's time, and it is printed as a ratio to that too
  (``×warm``), beside the bare page's warm visit taken just before it.

A page is done when the script is idle and every chart on it has drawn: no status widget
("Running…"), every ``.vega-embed`` holds its canvas or SVG, and that state has held for
``SETTLE_MS`` (the time is taken at the start of that quiet spell). The bare page is measured
the same way beside every page, on a fresh server of its own: its cold visit just before the
page's, its warm and new-browser visits alternating with the page's. Each page is printed
under its own floor and as a ratio to it, in wall time and in CPU time (the tab's main thread
plus the server process), so that the machine's drift between pages stays out of a page's
ratio. The servers run as hosted: ``streamlit_app.py`` (whose lifespan starts the warm-up
with the server), no file watcher (as in the Dockerfile and ``.streamlit/config.toml``), the
warm-up off (``GRADIENT_LAB_WARMUP=0``) but for the after-warm-up server. Each warm-up's
seconds, from its log line, are printed after the table.

``--quick`` leaves out the new browser and after-warm-up visits (their columns print as 0),
for comparing warm visits before and after a change in a few minutes.

Usage: python bench/browser_benchmark.py [--rounds 5] [--visits 9] [--pages overview,lab] [--quick]
Goals (issue tracker): cold within 2.5x and warm within 1.5x of the bare page; after warm-up
within 1.2x of warm.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.runs import warmup  # noqa: E402

PAGES = {
    "overview": "",
    "initialization": "initialization",
    "activations": "activations",
    "batch-normalization": "batch-normalization",
    "gradient-clipping": "gradient-clipping",
    "lab": "lab",
}
SETTLE_MS = 300
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]

BARE_APP = """
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Bare page")
x = np.linspace(-6, 6, 200)
frame = pd.DataFrame({"x": x, "sigmoid": 1 / (1 + np.exp(-x)), "tanh": np.tanh(x)})
for y in ("sigmoid", "tanh", "x"):
    st.altair_chart(alt.Chart(frame).mark_line().encode(x="x", y=y), width="stretch")
"""

# True once the app shows content, is not running, and every chart has drawn.
DONE_JS = """() => {
  if (!document.querySelector('[data-testid="stApp"] h1')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const charts = [...document.querySelectorAll('.vega-embed')];
  return charts.length > 0 && charts.every(c => c.querySelector('canvas, svg'));
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(script: Path, cwd: Path, warm: bool = False, log: Path | None = None, port: int = 0):
    """A headless Streamlit server for ``script`` on ``port`` (a free one if 0), its warm-up on
    if ``warm``, its output into ``log``; yields (its base URL, its pid) once healthy."""
    port = port or free_port()
    env = {**os.environ, warmup.ENV: "1" if warm else "0"}
    out = open(log, "w") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"{script} did not start") from None
                time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if log is not None:
            out.close()


def warmed(log: Path, timeout: float = 900) -> float:
    """Wait until the server writing ``log`` has logged its warm-up's end; its seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = re.search(f"{warmup.FINISHED}: .* in ([0-9.]+) s", log.read_text())
        if found:
            return float(found.group(1))
        time.sleep(0.5)
    raise TimeoutError(f"no end of the warm-up in {log}")


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process ``pid`` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def new_context(browser):
    return browser.new_context(viewport={"width": 1400, "height": 900})


def visit(context, url: str, pid: int) -> tuple[float, float]:
    """(seconds from navigation until the page is done, CPU seconds of the tab's main thread
    and the server ``pid`` meanwhile) for a new tab of ``context`` (closed afterwards); see
    the module docstring."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cpu_before = server_cpu(pid)
    start = time.perf_counter()
    page.goto(url)
    quiet_since = None
    while True:
        now = time.perf_counter()
        if page.evaluate(DONE_JS):
            quiet_since = quiet_since or now
            if now - quiet_since >= SETTLE_MS / 1000:
                break
        else:
            quiet_since = None
        if now - start > 300:
            raise TimeoutError(url)
        page.wait_for_timeout(25)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cpu = metrics["TaskDuration"] + server_cpu(pid) - cpu_before
    page.close()
    return quiet_since - start, cpu


def typical(visits: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall time and the median CPU time of ``visits``. Not the least: the bare
    page's visits spread by about a quarter of its time, and the least of a few is set by one
    lucky sample, on either side of a ratio."""
    return statistics.median(w for w, _ in visits), statistics.median(c for _, c in visits)


def measure(
    browser, tmp: Path, path: str, rounds: int, visits: int, quick: bool = False
) -> tuple[list, list, list[float]]:
    """(wall, CPU) seconds for the app's ``path`` and, measured alongside it, for the bare
    page: cold, after warm-up (on each of ``rounds`` fresh servers in turn), warm (``visits``
    new tabs in the browser that saw it) and in a new browser (``rounds``), the last three the
    medians of visits that alternate between the bare page and the app's, so that both meet the same load
    on the machine (the bare page's after-warm-up figure is a warm visit, taken just before
    the app's). With ``quick``, only cold and warm (the others are (0, 0)). Returns (the app's,
    the bare page's, each warm-up's seconds)."""
    bare_script = tmp / "bare.py"
    bare_script.write_text(BARE_APP)
    app_script, port = ROOT / "streamlit_app.py", free_port()
    with serve(bare_script, tmp) as bare:
        bare_site = (f"{bare[0]}/", bare[1])
        with serve(app_script, ROOT, port=port) as app:
            sites = [bare_site, (f"{app[0]}/{path}", app[1])]
            seen = [new_context(browser) for _ in sites]
            cold = [visit(context, url, pid) for context, (url, pid) in zip(seen, sites)]
            warm: list[list] = [[], []]
            fresh: list[list] = [[], []]
            for _ in range(visits):
                for i, (url, pid) in enumerate(sites):
                    warm[i].append(visit(seen[i], url, pid))
            for _ in range(0 if quick else rounds):
                for i, (url, pid) in enumerate(sites):
                    context = new_context(browser)
                    fresh[i].append(visit(context, url, pid))
                    context.close()
        after: list[list] = [[], []]
        seconds = []
        for round_ in range(0 if quick else rounds):
            log = tmp / f"warm-up-{round_}.log"
            with serve(app_script, ROOT, warm=True, log=log, port=port) as app:
                seconds.append(warmed(log))
                after[0].append(visit(seen[0], *bare_site))
                after[1].append(visit(seen[1], f"{app[0]}/{path}", app[1]))
        for context in seen:
            context.close()
    skipped = [(0.0, 0.0)]
    bare_times, app_times = (
        [cold[i], typical(after[i] or skipped), typical(warm[i]), typical(fresh[i] or skipped)]
        for i in range(2)
    )
    return app_times, bare_times, seconds


def row(name: str, times: list[tuple], bare: list[tuple]) -> str:
    """One printed line: wall and CPU seconds, cold, after warm-up, warm and new browser, each
    with its ratio to the bare page's, then after warm-up's wall time as a ratio to warm's."""
    cells = []
    for (wall, cpu), (bare_wall, bare_cpu) in zip(times, bare):
        cells += [
            f"{wall:6.2f}",
            f"{wall / (bare_wall or 1):5.2f}",  # a kind left out (--quick) is 0 for both
            f"{cpu:6.2f}",
            f"{cpu / (bare_cpu or 1):5.2f}",
        ]
    return f"{name:20s} " + " ".join(cells) + f" {times[1][0] / times[2][0]:6.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="servers after warm-up and new-browser visits per page (median kept)",
    )
    parser.add_argument("--visits", type=int, default=9, help="warm visits per page (median kept)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    parser.add_argument(
        "--quick", action="store_true", help="cold and warm only: no new browser, no warm-up"
    )
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    warmups = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        groups = ("cold", "after warm-up", "warm (new tab)", "new browser")
        print(f"{'':20s} " + " ".join(f"{g:^26s}" for g in groups))
        heads = ("wall s", "×bare", "cpu s", "×bare") * len(groups)
        print(
            f"{'page':20s} "
            + " ".join(f"{h:>{6 if ' s' in h else 5}s}" for h in heads)
            + f" {'×warm':>6s}"
        )
        for name in args.pages.split(","):
            times, bare, seconds = measure(
                browser, Path(tmp), PAGES[name], args.rounds, args.visits, args.quick
            )
            warmups += seconds
            print(row("  bare page, beside", bare, bare))
            print(row(name, times, bare), flush=True)
        browser.close()
    print("warm-up seconds, server by server: " + ", ".join(f"{s:.1f}" for s in warmups))


if __name__ == "__main__":
    main()
