"""Benchmark: the server's memory under heavy links, and a light page's wait behind them.

Starts `streamlit run app.py` on a free loopback port (its warm-up off, so that only the
visits below run) and, in headless Chromium:

- by default, 10 sessions one after the other, each visiting every page with its own seed (so
  that runs are not shared between sessions), printing the server's resident memory (VmRSS)
  after each session and at the end;
- with ``--links``, the heaviest single links (:data:`LINKS`), one after the other on one
  fresh server, printing for each its outcome, the server's CPU seconds it took, the peak
  resident memory while it ran and the resident memory after it;
- with ``--heavy``, 10 tabs opened at once, each on one of the heaviest links a visitor can
  write (each with its own seed), then a light page nobody has asked for yet
  (:data:`LIGHT`): it prints each link's outcome, how long the light page waited and how many
  heavy tabs were still running when it was served, and the server's peak memory.

Peak memory is the kernel's high-water mark of the server's resident set (VmHWM in
/proc/PID/status), reset before each link where the kernel allows it (writing 5 to
/proc/PID/clear_refs), otherwise sampled every 50 ms. Target: peak under 800 MB in every mode.

Usage: python bench/memory_benchmark.py [--sessions 10] [--links | --heavy]
       [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "initialization", "activations", "batch-normalization", "gradient-clipping", "lab"]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_MB = 800

#: The single links that held the most memory or CPU for their charge (issue 32): five seeds
#: of 2.7 M parameters each, twice (a server that kept what the first freed shows it in the
#: second), four GELU initializations 100 layers deep, and the Lab's four GELU variants on
#: spirals with their decision boundaries.
LINKS = [
    "?depth=11&width=512&seeds=5",
    "?depth=11&width=512&seeds=5&seed=10",
    "initialization?activation=gelu&inits=glorot_normal,glorot_uniform,lecun_normal,"
    "lecun_uniform&depth=100&width=200&batch_size=64&epochs=1",
    "lab?dataset=spirals&variants=4&v1_activation=gelu&v2_activation=gelu&v3_activation=gelu"
    "&v4_activation=gelu&depth=100&width=240&batch_size=64&epochs=2",
]

#: The heaviest links a hostile visitor can write (the budget refuses or shrinks each one).
HEAVY = [
    "?depth=11&width=512&seeds=5",
    "?depth=100&width=512&seeds=5",
    "activations?selu=1&width=512&depth=1&epochs=1&acts=relu",
    "batch-normalization?depth=8&width=512&epochs=1&batch_size=1024&fold=1",
    "lab?variants=4&seeds=5&depth=100&width=2&epochs=200&batch_size=1024",
    "batch-normalization?epochs=16&grid=1&sweep=1",
    "?depth=40&width=512",
    "lab?variants=4&depth=20&width=256&epochs=3",
    "gradient-clipping?clip_sweep=1&epochs=10",
    "initialization?depth=100&width=64&epochs=20",
    "activations?depth=50&width=128&epochs=5",
    "lab?variants=4&depth=30&width=128&epochs=2",  # the largest that fit, run at once
    "?depth=100&width=256",
    "initialization?depth=20&width=256&epochs=2",
    "batch-normalization?depth=20&width=128&epochs=3&fold=1",
    "gradient-clipping?depth=10&width=200&epochs=8",
]
#: A light page (about half a CPU-second) that no heavy tab has computed.
LIGHT = "?seed=42"

#: True once the page shows its title and no longer runs.
FINISHED = """() => document.querySelector('h1') &&
                    !document.querySelector('[data-testid="stStatusWidget"]')"""


def status(pid: int, field: str) -> float:
    """``field`` (VmRSS, VmHWM) of process ``pid``, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    return status(pid, "VmRSS")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Peak:
    """The server's peak resident memory since :meth:`reset`: the kernel's high-water mark
    when it can be reset, else the largest of samples taken every 50 ms."""

    def __init__(self, pid: int):
        self.pid, self.sampled = pid, 0.0
        self.kernel = self._reset_kernel()
        self._stop = threading.Event()
        if not self.kernel:
            threading.Thread(target=self._sample, daemon=True).start()

    def _reset_kernel(self) -> bool:
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            return True
        except OSError:
            return False

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.sampled = max(self.sampled, rss_mb(self.pid))
            time.sleep(0.05)

    def reset(self) -> None:
        self.sampled = rss_mb(self.pid)
        if self.kernel:
            self._reset_kernel()

    def mb(self) -> float:
        return status(self.pid, "VmHWM") if self.kernel else max(self.sampled, rss_mb(self.pid))

    def stop(self) -> None:
        self._stop.set()


def outcome(page) -> str:
    warnings = " ".join(page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts())
    return "over budget: refused" if "of computing" in warnings else "ran"


def new_page(browser):
    return browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()


def links(browser, base: str, pid: int) -> None:
    """Each of :data:`LINKS` on its own, one after the other."""
    peak = Peak(pid)
    print(f"{'link':64s} {'outcome':22s} {'CPU s':>6s} {'peak MB':>8s} {'after MB':>9s}")
    overall = 0.0
    for link in LINKS:
        peak.reset()
        used = cpu_seconds(pid)
        page = new_page(browser)
        page.goto(f"{base}/{link}")
        page.wait_for_function(FINISHED, timeout=900_000)
        result = outcome(page)
        page.context.close()
        time.sleep(1.0)  # the session's end, and memory handed back
        top = peak.mb()
        overall = max(overall, top)
        shown = link if len(link) <= 64 else link[:61] + "..."
        print(
            f"{shown:64s} {result:22s} {cpu_seconds(pid) - used:6.1f} {top:8.0f} {rss_mb(pid):9.0f}"
        )
    peak.stop()
    print(f"peak server RSS: {overall:.0f} MB (target < {TARGET_MB} MB)")


def heavy(browser, base: str, pid: int, sessions: int) -> None:
    """Open ``sessions`` tabs at once on the heavy links, then the light page: report each
    link's outcome, the light page's wait and the peak memory."""
    peak = Peak(pid)
    peak.reset()
    pages = []
    for i in range(sessions):
        page = new_page(browser)
        link = HEAVY[i % len(HEAVY)]
        page.goto(f"{base}/{link}{'&' if '?' in link else '?'}seed={100 + i}")
        pages.append((link, page))
    time.sleep(2.0)  # every heavy tab's script has asked for its runs
    light = new_page(browser)
    start = time.perf_counter()
    light.goto(f"{base}/{LIGHT}")
    light.wait_for_function(FINISHED, timeout=900_000)
    waited = time.perf_counter() - start
    running = sum(not page.evaluate(FINISHED) for _, page in pages)
    print(
        f"light page {LIGHT}: served after {waited:.1f} s, "
        f"with {running} of {sessions} heavy tabs still running"
    )
    start = time.perf_counter()
    for link, page in pages:
        page.wait_for_function(FINISHED, timeout=900_000)
        print(f"{link:72s} {outcome(page):22s} +{time.perf_counter() - start:5.1f} s")
    print(
        f"peak server RSS: {peak.mb():.0f} MB, now {rss_mb(pid):.0f} MB (target < {TARGET_MB} MB)"
    )
    peak.stop()


def sessions_one_after_another(browser, base: str, pid: int, sessions: int) -> None:
    peak = Peak(pid)
    peak.reset()
    for session in range(sessions):
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        page = context.new_page()
        start = time.perf_counter()
        for path in PAGES:
            page.goto(f"{base}/{path}?seed={session}")
            page.wait_for_selector('[data-testid="stApp"]')
            page.wait_for_function(
                "document.querySelectorAll('.vega-embed').length >= 2", timeout=180000
            )
            page.wait_for_timeout(500)
        context.close()
        print(
            f"session {session + 1:2d}: {time.perf_counter() - start:5.1f} s, "
            f"server {rss_mb(pid):.0f} MB"
        )
    print(
        f"final server RSS: {rss_mb(pid):.0f} MB, peak {peak.mb():.0f} MB (target < {TARGET_MB} MB)"
    )
    peak.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--links", action="store_true", help="the heavy links one at a time")
    mode.add_argument("--heavy", action="store_true", help="tabs at once on heavy links")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # no warm-up: the figures are those of the visits below alone
    env = {**os.environ, "GRADIENT_LAB_WARMUP": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        print(f"server started: {rss_mb(server.pid):.0f} MB")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
            if args.links:
                links(browser, base, server.pid)
            elif args.heavy:
                heavy(browser, base, server.pid, args.sessions)
            else:
                sessions_one_after_another(browser, base, server.pid, args.sessions)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
