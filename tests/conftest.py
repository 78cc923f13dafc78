import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

# One BLAS thread for NumPy here and in the servers the browser tests start (they inherit the
# environment): the networks are small, so a second thread saves little, and on a busy 2-core
# machine OpenBLAS's spinning threads made the same runs take twice the time and CPU. Set
# before NumPy is first imported (Streamlit imports it below). The app sets the same for its
# server (app.py).
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
for _name in BLAS_THREADS:
    os.environ.setdefault(_name, "1")


from streamlit.components.v2 import manifest_scanner  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Every new AppTest scans all installed distributions for Streamlit components (most of a page
# test's time). The installed set cannot change during a test session, so
# the scan runs once and its result is reused.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)

# Every AppTest run makes a new ScriptCache, so app.py and its page are read, rewritten for
# Streamlit's magic and compiled again on every run. The scripts do not change during a test session: their bytecode is compiled once per path.
_bytecode = functools.cache(lambda path: _get_bytecode(ScriptCache(), path))
_get_bytecode = ScriptCache.get_bytecode
ScriptCache.get_bytecode = lambda self, script_path: _bytecode(os.path.abspath(script_path))


#: Subprocesses started ahead of the tests that wait for them (test_export's runs).
BACKGROUND: list[subprocess.Popen] = []
#: The thread that starts the export runs.
_STARTING: list[threading.Thread] = []
#: Set when the session ends: no export run starts after that.
_STOPPED = threading.Event()


def background_started(timeout: float = 600) -> None:
    """Wait until the export runs have been started (one after the other), if they will be."""
    for thread in _STARTING:
        thread.join(timeout)


def _stop_background() -> None:
    _STOPPED.set()
    for process in BACKGROUND:
        if process.poll() is None:
            process.kill()
            process.wait()


def pytest_collection_finish(session):
    """Start test_export's runs of the exported scripts (a subprocess per framework, tens of
    seconds each, one after the other) as soon as the tests are collected, so that they run on
    the second core while the first runs the tests before them."""
    if session.config.option.collectonly:
        return

    def waits_for(*fixtures):
        return [i for i in session.items if set(fixtures) & set(getattr(i, "fixturenames", ()))]

    exporting = waits_for("torch_runs", "keras_runs")
    if exporting:
        session.config.add_cleanup(_stop_background)
        folder = Path(tempfile.mkdtemp(prefix="gradient-lab-export-"))
        session.config.add_cleanup(functools.partial(shutil.rmtree, folder, True))
        module = exporting[0].module

        def start_exports():
            for process in module.start_early(folder):
                BACKGROUND.append(process)
                if _STOPPED.is_set():  # the session ended while the one before ran
                    process.kill()
                    break

        _STARTING.append(threading.Thread(target=start_exports, daemon=True))
        _STARTING[0].start()


# The browser tests' server, Chromium and shared context (tests/test_browser.py), one each for
# the whole session rather than one per test file: every browser test file uses them. Defined
# here so that the files share them; test_browser is imported only when a browser test runs
# (it skips its module where no Chromium is found).

# Every server a test starts inherits this environment: none warms its caches in the background
# (ui/runs/warmup.py), which would load the machine under the tests that watch a server's runs and
# make pages cached that the tests expect to train. tests/test_warmup.py turns it on for its own
# servers.
os.environ["GRADIENT_LAB_WARMUP"] = "0"


@pytest.fixture(scope="session")
def server():
    """`streamlit run app.py`, the app's address (see test_browser.serve)."""
    import test_browser

    yield from test_browser.serve()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium (named so as not to clash with pytest-playwright's own fixtures)."""
    import test_browser

    with test_browser.playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=test_browser.CHROMIUM, args=test_browser.CHROMIUM_ARGS
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def visitors(chromium):
    """One browser context whose tabs are visitors: each tab is a session of its own on the
    server, and the tabs share the context's HTTP cache, so that the app's scripts are fetched
    and compiled once rather than for every tab (a new context takes about two seconds more
    on a busy 2-core machine)."""
    import test_browser

    context = test_browser.new_context(chromium)
    yield context
    context.close()
