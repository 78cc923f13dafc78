"""Benchmark: what a visitor waits for, per page, in headless Chromium, side by side with a bare
Streamlit page that draws three small Altair charts (the floor Streamlit itself sets).

For every page, in one run:

- cold: a fresh server (nothing cached, nothing imported), then a new tab on the page;
- warm: a new tab on the same server once the page has been seen (best of ``--rounds``).

A page is done when the script is idle and every chart on it has drawn: no status widget
("Running…"), every ``.vega-embed`` holds its canvas or SVG, and that state has held for
``SETTLE_MS`` (the time is taken at the start of that quiet spell). The bare page is measured
the same way, cold and warm, in the same run, and each page is printed as a ratio to it.

Usage: python bench/browser_benchmark.py [--rounds 3] [--pages overview,lab]
Goals (issue tracker): cold within 2.5x and warm within 1.5x of the bare page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
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
def serve(script: Path, cwd: Path):
    """A headless Streamlit server for ``script``; yields its base URL once healthy."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def visit(browser, url: str) -> float:
    """Seconds from navigation until the page is done (see the module docstring)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
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
    context.close()
    return quiet_since - start


def measure(browser, script: Path, cwd: Path, path: str, rounds: int) -> tuple[float, float]:
    """(cold, best warm) seconds for ``path`` of ``script``."""
    with serve(script, cwd) as base:
        cold = visit(browser, f"{base}/{path}")
        warm = min(visit(browser, f"{base}/{path}") for _ in range(rounds))
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="warm visits per page (best kept)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE_APP)
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        bare_cold, bare_warm = measure(browser, bare_script, Path(tmp), "", args.rounds)
        print(f"{'page':22s} {'cold s':>7s} {'× bare':>7s} {'warm s':>7s} {'× bare':>7s}")
        print(f"{'bare 3-chart page':22s} {bare_cold:7.2f} {1:7.2f} {bare_warm:7.2f} {1:7.2f}")
        for name in args.pages.split(","):
            cold, warm = measure(browser, ROOT / "app.py", ROOT, PAGES[name], args.rounds)
            print(
                f"{name:22s} {cold:7.2f} {cold / bare_cold:7.2f} "
                f"{warm:7.2f} {warm / bare_warm:7.2f}",
                flush=True,
            )
        browser.close()


if __name__ == "__main__":
    main()
