"""Benchmark: server memory with 10 browser sessions.

Starts `streamlit run app.py` on a free loopback port and, in headless Chromium:

- by default, 10 sessions one after the other, each visiting every page with its own seed (so
  that runs are not shared between sessions), printing the server's resident memory (VmRSS)
  after each session and at the end;
- with ``--heavy``, 10 tabs opened at once, each on one of the heaviest links a visitor can
  write (each with its own seed), printing the server's peak memory while they run (sampled
  every 0.1 s) and each link's outcome.

Target: under 600 MB in both.

Usage: python bench/memory_benchmark.py [--sessions 10] [--heavy] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
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


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


#: The heaviest links a hostile visitor can write (the budget refuses or shrinks each one).
HEAVY = [
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
    "lab?variants=4&depth=100&width=8&epochs=40&batch_size=256",
]


def heavy(browser, base: str, pid: int, sessions: int) -> None:
    """Open ``sessions`` tabs at once on the heavy links and report the peak memory."""
    peak, stop = [rss_mb(pid)], threading.Event()

    def sample():
        while not stop.is_set():
            peak.append(rss_mb(pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    pages = []
    for i in range(sessions):
        page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
        link = HEAVY[i % len(HEAVY)]
        page.goto(f"{base}/{link}{'&' if '?' in link else '?'}seed={100 + i}")
        pages.append((link, page))
    for link, page in pages:
        start = time.perf_counter()
        page.wait_for_function(
            """() => document.querySelector('h1') &&
                     !document.querySelector('[data-testid="stStatusWidget"]')""",
            timeout=600_000,
        )
        warnings = " ".join(page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts())
        outcome = "over budget: refused" if "of computing" in warnings else "ran"
        print(f"{link:72s} {outcome:30s} +{time.perf_counter() - start:5.1f} s")
    stop.set()
    sampler.join()
    print(f"peak server RSS: {max(peak):.0f} MB, now {rss_mb(pid):.0f} MB (target < 600 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--heavy", action="store_true", help="tabs at once on heavy links")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
            if args.heavy:
                heavy(browser, base, server.pid, args.sessions)
                return
            for session in range(args.sessions):
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
                    f"session {session + 1:2d}: {time.perf_counter() - start:5.1f} s, server {rss_mb(server.pid):.0f} MB"
                )
            browser.close()
        print(f"final server RSS: {rss_mb(server.pid):.0f} MB (target < 600 MB)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
