"""Benchmark: each page's first load (training included, caches cleared) and a rerun that
changes nothing, measured with Streamlit's AppTest in one warm process.

Usage: python bench/page_benchmark.py [--repeats 3]
Targets (issue tracker): first load within 3 s, rerun within 0.3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from apptest_helpers import PAGES  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.caches import data, memo  # noqa: E402
from ui.runs import shared  # noqa: E402


def forget() -> None:
    """A fresh server's state: no data set read, no run finished, no chart memoized."""
    data.STORE.clear()
    shared.BOARD.store.clear()
    memo.STORE.clear()


def measure(page: str) -> tuple[float, float]:
    forget()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    if page == "overview":
        start = time.perf_counter()
        at.run()
    else:
        at.run()  # the router's first page; its runs are cleared again below
        forget()
        at.switch_page(PAGES[page])
        start = time.perf_counter()
        at.run()
    first = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    start = time.perf_counter()
    at.run()
    return first, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    measure("overview")  # warm the imports once
    print(f"{'page':22s} {'first load s':>13s} {'rerun s':>9s}   (best of {args.repeats})")
    for page in PAGES:
        runs = [measure(page) for _ in range(args.repeats)]
        print(f"{page:22s} {min(r[0] for r in runs):13.2f} {min(r[1] for r in runs):9.2f}")


if __name__ == "__main__":
    main()
