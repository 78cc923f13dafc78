"""Regenerate the README's screenshot, docs/overview.png.

Starts `streamlit run app.py` headless on port 8501 (another if taken), opens a page in headless
Chromium (Playwright) at 1400 x 900, waits until it has finished computing, scrolls by the
pixels asked for (none by default) and saves the window, reduced to 256 colours so that the PNG
stays small::

    python docs/screenshot.py                      # the landing page's first screen
    python docs/screenshot.py --path "initialization?lang=ko" --out /tmp/init-ko.png --scroll 700

Chromium is found as the browser tests find it: ``CHROMIUM_PATH``, then ``chromium`` or
``chromium-browser`` on the PATH, then Playwright's own (``python -m playwright install
chromium``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
WINDOW = {"width": 1400, "height": 900}


def chromium_path(playwright) -> str | None:
    """The Chromium to drive, or None when there is none."""
    named = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    own = playwright.chromium.executable_path
    return named or (own if os.path.exists(own) else None)


def free_port(wanted: int) -> int:
    """``wanted`` when it is free (the address the screenshot's link shows), else any free
    port."""
    for port in (wanted, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit("no free port")


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("streamlit did not start")


def capture(base: str, path: str, scroll: int, out: Path, theme: str) -> None:
    with sync_playwright() as p:
        executable = chromium_path(p)
        if executable is None:
            raise SystemExit("no Chromium: install one or set CHROMIUM_PATH (see the README)")
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport=WINDOW, color_scheme=theme)
        page.goto(f"{base}/{path}")
        # the sidebar's link to share is enabled when the page's run has ended
        page.wait_for_selector(
            '[data-testid="stSidebar"] [data-testid="stPopover"] button:not([disabled])',
            timeout=300000,
        )
        page.wait_for_timeout(1500)  # charts finish drawing
        page.locator('[data-testid="stMain"]').evaluate(f"m => m.scrollTo(0, {scroll})")
        page.wait_for_timeout(800)
        page.screenshot(path=str(out))
        browser.close()
    image = Image.open(out).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    image.save(out, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="", help="page and query, e.g. 'lab?variants=3'")
    parser.add_argument("--scroll", type=int, default=0, help="pixels to scroll the page")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "overview.png")
    parser.add_argument("--port", type=int, default=8501, help="taken if free, as the link shows")
    args = parser.parse_args()
    port = free_port(args.port)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=os.environ | {"GRADIENT_LAB_WARMUP": "0"},  # one page: no need to warm the others
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server)
        # the address a newcomer sees, so the link in the picture reads as theirs would
        capture(f"http://localhost:{port}", args.path, args.scroll, args.out, args.theme)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{args.out}: {args.out.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
