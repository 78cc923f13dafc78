"""What every test shares, set up once here.

- **One BLAS thread** for NumPy, here and in every process a test starts (they inherit the
  environment), as the app's server runs (app.py): the networks are small, so a second thread
  saves little, and on a busy 2-core machine OpenBLAS's spinning threads made the same runs take
  twice the time and CPU. Set before NumPy is first imported (Streamlit imports it below).
  test_lesson_seeds runs a process with two on purpose.
- **Two patches of Streamlit internals**, both caches of work that cannot change during a test
  session, so that an AppTest run behaves as without them, only sooner:
  ``manifest_scanner.scan_component_manifests`` (every new AppTest scans all installed
  distributions for Streamlit components, most of a page test's time) runs once, and
  ``ScriptCache.get_bytecode`` (every AppTest run reads app.py and its page, rewrites them for
  Streamlit's magic and compiles them again) compiles each script once per path.
- **test_export's runs of the exported scripts** (a subprocess per framework, tens of seconds
  each, one after the other) start in the background when the first test of a session that
  includes them runs (:func:`exports_in_background`), so that they go on beside the tests
  before test_export's instead of holding the suite up. Collecting tests starts nothing.
- **No warm-up** in any server a test starts (``GRADIENT_LAB_WARMUP=0``, inherited): it would
  load the machine under the tests that watch a server's runs and make pages cached that the
  tests expect to train. tests/test_warmup.py turns it on for its own servers.
- **The browser tests' server, Chromium and shared context**, one each for the whole session.
"""

import functools
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
for _name in BLAS_THREADS:
    os.environ.setdefault(_name, "1")
os.environ["GRADIENT_LAB_WARMUP"] = "0"

from streamlit.components.v2 import manifest_scanner  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)
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


@pytest.fixture(scope="session", autouse=True)
def exports_in_background(request, tmp_path_factory):
    """Start test_export's runs (``start_early``) in a thread when the session's first test
    runs, if the session includes a test that waits for them; stop any still running when the
    session ends."""
    exporting = [
        item
        for item in request.session.items
        if {"torch_runs", "keras_runs"} & set(getattr(item, "fixturenames", ()))
    ]
    if exporting:
        folder, module = tmp_path_factory.mktemp("export"), exporting[0].module

        def start_exports():
            for process in module.start_early(folder):
                BACKGROUND.append(process)
                if _STOPPED.is_set():  # the session ended while the one before ran
                    process.kill()
                    break

        _STARTING.append(threading.Thread(target=start_exports, daemon=True))
        _STARTING[0].start()
    yield
    _STOPPED.set()
    for process in BACKGROUND:
        if process.poll() is None:
            process.kill()
            process.wait()


# The browser fixtures live here, not in tests/test_browser.py, so that every browser test file
# shares them; test_browser is imported only when a browser test runs (it skips its module where
# no Chromium is found).


@pytest.fixture(scope="session")
def server():
    """`streamlit run streamlit_app.py`, the app's address (see test_browser.serve)."""
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
