"""Benchmark: server memory after 10 browser sessions that each visit every page.

Starts `streamlit run app.py` on a free loopback port, opens 10 sessions in headless Chromium
(each with its own seed, so that runs are not shared between sessions), visits every page in
each, and prints the server's resident memory (VmRSS) after each session and at the end.
Target: under 600 MB.

Usage: python bench/memory_benchmark.py [--sessions 10] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
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
