import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# One BLAS thread for NumPy here and in the servers the browser tests start (they inherit the
# environment): the networks are small, so a second thread saves little, and on a busy 2-core
# machine OpenBLAS's spinning threads made the same runs take twice the time and CPU. Set
# before NumPy is first imported (Streamlit imports it below). The app sets the same for its
# server (app.py), so the budget's calibration check (tests/test_budget.py) times its samples
# with the thread count a server uses.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
for _name in BLAS_THREADS:
    os.environ.setdefault(_name, "1")


from streamlit.components.v2 import manifest_scanner  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Every new AppTest scans all installed distributions for Streamlit components (0.5-1.5 s
# each time, most of a page test). The installed set cannot change during a test session, so
# the scan runs once and its result is reused.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)


#: Subprocesses started ahead of the tests that wait for them (test_export's runs).
BACKGROUND: list[subprocess.Popen] = []


def wait_for_background(timeout: float = 600) -> None:
    """Let the background subprocesses finish (before timing CPU work they would compete
    with: tests/test_budget.py)."""
    for process in BACKGROUND:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass


def _stop_background() -> None:
    for process in BACKGROUND:
        if process.poll() is None:
            process.kill()
            process.wait()


def pytest_collection_finish(session):
    """Start test_export's runs of the exported scripts (a subprocess per framework, tens of
    seconds each) as soon as the tests are collected, if any test will wait for them: they run
    on the second core while the tests before test_export run on the first."""
    waiting = {"torch_runs", "keras_runs"}
    items = [item for item in session.items if waiting & set(getattr(item, "fixturenames", ()))]
    if items and not session.config.option.collectonly:
        folder = Path(tempfile.mkdtemp(prefix="gradient-lab-export-"))
        session.config.add_cleanup(functools.partial(shutil.rmtree, folder, True))
        session.config.add_cleanup(_stop_background)
        BACKGROUND.extend(items[0].module.start_early(folder))
