"""Warm the server's shared caches when it starts, so that no visitor waits for a first run.

On a freshly started server the first visitor of a page waits for its training (several
seconds), and in a class that visitor is the teacher. The warm-up (:func:`warm`) opens every
page at its defaults (English) and every lesson link once, one after the other, each in a
headless session of the server's own (:func:`visit`): the real page scripts run, so the shared
results (:mod:`ui.runs.shared`) and the charts and read-outs built from them (:mod:`ui.caches.memo`) are
computed as a visitor's first visit would compute them, and kept for every visitor after. The
pages are those the router's navigation lists, so a new page is warmed without a change here.

- Lowest priority: the session is a background session (:func:`ui.runs.jobs.mark_background`), so
  its runs queue behind visitors' runs and give their worker to a waiting visitor's run at
  the next epoch; a visitor asking for the run it is computing joins it.
- Charged to no visitor: the session has its own session state, so the budget it spends
  (per script run, :func:`ui.runs.runner.afford`) is its own.
- Bounded: it only fills the existing caches, whose limits hold as for any visitor.
- Off with ``GRADIENT_LAB_WARMUP=0``: an environment variable, as hosts and containers set
  them (Streamlit's config ignores, with a warning, options it does not know, and secrets are
  for secrets). It never starts without a real Streamlit server (AppTest installs a stand-in
  runtime), and stops when the server shuts down. It logs a line when it starts and one when
  it ends.

It starts at most once per server process, either when the server starts (:func:`lifespan`,
for ``streamlit_app.py``'s ``st.App``) or, under ``streamlit run app.py``, which runs no app
code until a session connects, with the first script run (:func:`begin`, called by app.py).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING

from streamlit import runtime
from streamlit.logger import get_logger
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime, RuntimeState
from streamlit.runtime.runtime import RuntimeStoppedError

from ..story.lessons import LESSONS
from . import jobs

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

#: The environment variable that turns the warm-up off ("0", "false", "no" or "off").
ENV = "GRADIENT_LAB_WARMUP"
#: How the log lines begin (tests and the benchmark wait for the last).
STARTED, FINISHED, STOPPED = "Warm-up started", "Warm-up finished", "Warm-up stopped"

_STOPPING = (RuntimeState.STOPPING, RuntimeState.STOPPED)
_lock = threading.Lock()
_claimed = False  # set once per process, by whichever trigger comes first
_task: asyncio.Task | None = None  # kept so that the event loop's weak reference holds


def lesson_links() -> tuple[tuple[str, str], ...]:
    """Every lesson link as ``(page url_path, query string)``, with ``ask=0``: it runs the
    comparisons the lesson's questions lead to (a lesson asks first otherwise)."""
    return tuple(tuple(lesson.link(ask="0").split("?", 1)) for lesson in LESSONS)


def enabled() -> bool:
    """False when :data:`ENV` turns the warm-up off."""
    return os.environ.get(ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def begin() -> None:
    """Start the warm-up from a script run, once per server (app.py calls this on every run:
    under ``streamlit run app.py`` the first session's first run is the earliest moment app
    code runs). Does nothing when turned off, under AppTest, or once started."""
    server = _server()
    if server is None or not enabled() or not _claim():
        return
    # the runtime's methods must be called on its event loop, not this script's thread
    server.stopped.get_loop().call_soon_threadsafe(_launch, server)


@asynccontextmanager
async def lifespan(app) -> AsyncIterator[None]:
    """``st.App``'s lifespan (``streamlit_app.py``): start the warm-up as soon as the server
    has started, and stop it when the server shuts down."""
    server = _server()
    task = _launch(server) if server is not None and enabled() and _claim() else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task


def _server() -> Runtime | None:
    """The running Streamlit runtime, or None (no server, AppTest's stand-in, stopping)."""
    if not runtime.exists():
        return None
    server = runtime.get_instance()
    if type(server) is not Runtime or server.state in _STOPPING:  # AppTest's is a mock
        return None
    return server


def _claim() -> bool:
    """True for the first caller in this process, False for every later one."""
    global _claimed
    with _lock:
        claimed, _claimed = _claimed, True
    return not claimed


def _launch(server: Runtime) -> asyncio.Task:
    """Start :func:`warm` on the running event loop (the runtime's)."""
    global _task
    _task = asyncio.get_running_loop().create_task(warm(server), name="warm-up")
    return _task


class HeadlessClient:
    """A session client with no browser: drops what the session sends, noting when its
    script run ends, whether it showed an exception, and the pages its navigation lists.
    Called on the event loop, inside the runtime's message loop, so it never raises."""

    def __init__(self):
        self.finished = asyncio.Event()
        self.failed = False
        self.pages: list[str] = []  # url_path of every page but the default one

    def write_forward_msg(self, msg: ForwardMsg) -> None:
        try:
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.new_element.WhichOneof("type") == "exception":
                self.failed = True
            elif kind == "navigation":
                pages = msg.navigation.app_pages
                self.pages = [p.url_pathname for p in pages if not (p.is_default or p.external_url)]
            elif kind == "script_finished" and (
                msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                self.finished.set()
        except Exception:  # an error here would end the messages of every session
            self.failed = True
            self.finished.set()

    @property
    def client_context(self):
        return None  # no headers, cookies or address: nobody is there


async def visit(server: Runtime, page: str, query: str) -> HeadlessClient:
    """Run ``page`` (its url_path; "" for the default page) with ``query`` in a new
    background session, as a visitor's first visit would, until its script run ends or the
    server stops; returns the session's client (what the run showed). Runs on the runtime's
    event loop, as the runtime's methods require."""
    client = HeadlessClient()
    session = server.connect_session(client=client, user_info={})
    jobs.mark_background(session)
    try:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page
        server.handle_backmsg(session, message)
        finished = asyncio.ensure_future(client.finished.wait())
        try:
            await asyncio.wait({finished, server.stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            finished.cancel()
    finally:
        server.close_session(session)  # its script has ended, or is stopped with it
        jobs.mark_background(session, False)
    return client


async def warm(server: Runtime) -> None:
    """Open the default page, then every other page its navigation lists, at their
    defaults, then every lesson link (:func:`lesson_links`), one after the other; log a line
    when it starts and one when it ends."""
    log = get_logger(__name__)
    began, done, failed, total = time.monotonic(), 0, [], 1 + len(LESSONS)
    log.info("%s: every page at its defaults, then %d lesson links", STARTED, len(LESSONS))
    todo = [("", "")]
    try:
        while todo and server.state not in _STOPPING:
            page, query = todo.pop(0)
            opened = time.monotonic()
            try:
                client = await visit(server, page, query)
            except RuntimeStoppedError:  # the server began to stop just now
                break
            log.debug("Warm-up: %s in %.1f s", shown(page, query), time.monotonic() - opened)
            if not client.finished.is_set():
                break  # the server stopped during the run
            if client.failed:
                failed.append(shown(page, query))
            if done == 0:  # the default page: its navigation names the others
                todo += [(other, "") for other in client.pages] + list(lesson_links())
                total = len(todo) + 1
            done += 1
    except asyncio.CancelledError:  # the server stops (st.App's lifespan ends)
        log.info("%s, as the server stops: %d links done", STOPPED, done)
        raise
    except Exception:  # a task's error would otherwise go unseen
        log.exception("%s by an error after %d links", STOPPED, done)
        return
    seconds = time.monotonic() - began
    if done < total:
        log.info("%s, as the server stops: %d links done in %.1f s", STOPPED, done, seconds)
        return
    try:
        held = footprint()
    except Exception as error:  # the line is still worth writing
        held = f"caches unread ({error!r})"
    log.info(
        "%s: %d links (%d pages, %d lessons) in %.1f s; %s%s",
        FINISHED,
        done,
        done - len(LESSONS),
        len(LESSONS),
        seconds,
        held,
        f"; failed: {', '.join(failed)}" if failed else "",
    )


def shown(page: str, query: str) -> str:
    """A link as the log names it."""
    return (page or "(default page)") + (f"?{query}" if query else "")


def footprint() -> str:
    """What the shared caches hold (the results, and the charts and read-outs built from
    them): entries and MiB against their limits."""
    # imported here: they load NumPy, which app.py configures before it first loads
    from ..caches import memo
    from . import shared

    held = []
    for name, store in (("results", shared.BOARD.store), ("charts", memo.STORE)):
        held.append(
            f"{name} {len(store)} of {store.max_entries} entries, "
            f"{store.total_bytes / 2**20:.1f} of {store.max_bytes / 2**20:.0f} MiB"
        )
    return "shared " + "; ".join(held)
