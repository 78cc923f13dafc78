"""The server's warm-up (ui/runs/warmup.py) and the scheduler that keeps it behind visitors
(ui/runs/jobs.py): a visitor's run gets a free worker first, a background run gives its worker to a
waiting visitor's run at its next epoch, a visitor joining a background run promotes it, the
worker limit holds; the warm-up never starts under AppTest; and on a real server the pages and
lesson links it warmed open without training."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT

from ui.caches.cache import BoundedCache
from ui.runs import jobs, warmup

VISITOR = None  # a session without an id is a visitor (as under AppTest)


@pytest.fixture
def background():
    """A background session's id (as the warm-up's headless sessions are), unmarked after."""
    marked = []

    def mark(name: str) -> str:
        jobs.mark_background(name)
        marked.append(name)
        return name

    yield mark
    for name in marked:
        jobs.mark_background(name, False)


class Gate:
    """Fake work of ``epochs`` epochs that logs its steps into ``log`` and, before its first
    epoch, waits until the test opens ``go`` (so that a run holds its worker as long as the
    test needs)."""

    def __init__(self, log: list, name: str, epochs: int = 1):
        self.log, self.name, self.epochs = log, name, epochs
        self.go, self.running = threading.Event(), threading.Event()

    def __call__(self, job: jobs.Job):
        self.log.append(("start", self.name))
        self.running.set()
        assert self.go.wait(10)
        for epoch in range(self.epochs):
            self.log.append(("epoch", self.name, epoch))
            time.sleep(0.01)
            job.checkpoint()
        self.log.append(("end", self.name))
        return self.name


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.005)


def started(log: list) -> list[str]:
    return [entry[1] for entry in log if entry[0] == "start"]


def test_a_free_worker_goes_to_a_visitors_run_before_an_earlier_background_run(background):
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    first, warm, visit = Gate(log, "first"), Gate(log, "warm"), Gate(log, "visit")
    busy, _ = board.join("first", first, VISITOR)
    assert first.running.wait(5)
    queued_warm, _ = board.join("warm", warm, background("warm-up"))
    wait_until(lambda: board.queued == 1)
    queued_visit, _ = board.join("visit", visit, VISITOR)
    wait_until(lambda: board.queued == 2)
    for gate in (first, warm, visit):
        gate.go.set()
    assert all(job.done.wait(10) for job in (busy, queued_warm, queued_visit))
    assert started(log) == ["first", "visit", "warm"]
    assert queued_warm.value == "warm" and queued_warm.error is None


@pytest.mark.parametrize("kind", ["visitor", "background"])
def test_among_runs_of_the_same_priority_the_first_queued_goes_first(background, kind):
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    first = Gate(log, "first")
    busy, _ = board.join("first", first, VISITOR)
    assert first.running.wait(5)
    queued = []
    for n, name in enumerate("abc", start=1):
        gate = Gate(log, name)
        gate.go.set()
        session = VISITOR if kind == "visitor" else background(f"warm-up-{name}")
        queued.append(board.join(name, gate, session)[0])
        wait_until(lambda n=n: board.queued == n)
    first.go.set()
    assert all(job.done.wait(10) for job in [busy, *queued])
    assert started(log) == ["first", "a", "b", "c"]


def test_a_background_run_gives_its_worker_to_a_waiting_visitor_at_its_next_epoch(background):
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    warm, visit = Gate(log, "warm", epochs=50), Gate(log, "visit", epochs=3)
    warm.go.set()
    warm_job, _ = board.join("warm", warm, background("warm-up"))
    wait_until(lambda: ("epoch", "warm", 2) in log)
    visit.go.set()
    visit_job, _ = board.join("visit", visit, VISITOR)
    assert visit_job.done.wait(10) and warm_job.done.wait(10)
    # the visitor's run went on while the warm-up's was under way, which then finished
    visit_start, visit_end = log.index(("start", "visit")), log.index(("end", "visit"))
    warm_epochs = [i for i, entry in enumerate(log) if entry[:2] == ("epoch", "warm")]
    assert warm_epochs[0] < visit_start and warm_epochs[-1] > visit_end
    assert not any(visit_start < i < visit_end for i in warm_epochs)  # one worker: it waited
    assert warm_job.value == "warm" and warm_job.error is None
    assert board.store.get("warm") == "warm" and board.store.get("visit") == "visit"


def test_a_visitors_run_never_gives_way(background):
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    first, warm = Gate(log, "first", epochs=30), Gate(log, "warm")
    first.go.set()
    warm.go.set()
    first_job, _ = board.join("first", first, VISITOR)
    wait_until(lambda: ("epoch", "first", 1) in log)
    warm_job, _ = board.join("warm", warm, background("warm-up"))
    assert first_job.done.wait(10) and warm_job.done.wait(10)
    assert log.index(("end", "first")) < log.index(("start", "warm"))


def test_a_visitor_joining_a_queued_background_run_promotes_it(background):
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    first, warm, other = Gate(log, "first"), Gate(log, "warm", epochs=20), Gate(log, "other")
    busy, _ = board.join("first", first, VISITOR)
    assert first.running.wait(5)
    warm_job, _ = board.join("warm", warm, background("warm-up"))
    wait_until(lambda: board.queued == 1)
    other_job, _ = board.join("other", other, VISITOR)
    wait_until(lambda: board.queued == 2)
    assert warm_job.background()
    joined, _ = board.join("warm", warm, VISITOR)  # a visitor opens the page being warmed
    assert joined is warm_job and not warm_job.background()
    for gate in (first, warm, other):
        gate.go.set()
    assert all(job.done.wait(10) for job in (busy, warm_job, other_job))
    # promoted, it was queued before the other visitor's run and went first; as a visitor's
    # run it did not give way to the other while it trained
    assert started(log) == ["first", "warm", "other"]
    assert log.index(("end", "warm")) < log.index(("start", "other"))


def test_a_queued_run_everyone_left_leaves_the_queue_without_a_worker(background):
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    first, warm = Gate(log, "first"), Gate(log, "warm")
    busy, _ = board.join("first", first, VISITOR)
    assert first.running.wait(5)
    queued, ticket = board.join("warm", warm, "a-tab")
    wait_until(lambda: board.queued == 1)
    board.leave(queued, ticket)
    assert queued.done.wait(5) and isinstance(queued.error, jobs.Cancelled)
    assert board.queued == 0 and not queued.started.is_set()
    first.go.set()
    assert busy.done.wait(5) and started(log) == ["first"]


@pytest.mark.parametrize("workers", [1, 2])
def test_the_worker_limit_holds_while_runs_give_way_and_queue_again(background, workers):
    board = jobs.Board(BoundedCache(64), workers=workers)
    gauge, peak, lock = [0], [0], threading.Lock()  # runs inside an epoch now, and at most

    def work(job: jobs.Job):
        for _ in range(15):
            with lock:
                gauge[0] += 1
                peak[0] = max(peak[0], gauge[0])
            time.sleep(0.002)
            with lock:
                gauge[0] -= 1
            job.checkpoint()  # a background run may give its worker away here
        return job.key

    running = []
    for i in range(12):
        session = background(f"warm-up-{i}") if i % 2 else VISITOR
        running.append(board.join(i, work, session)[0])
        time.sleep(0.003)
    assert all(job.done.wait(30) for job in running)
    assert [job.value for job in running] == list(range(12))
    assert 1 <= peak[0] <= workers
    assert board.queued == 0 and board.scheduler._free == workers  # every worker given back


def test_the_warmup_is_off_when_its_variable_says_so(monkeypatch):
    for value in ("0", "false", "Off", " no "):
        monkeypatch.setenv(warmup.ENV, value)
        assert not warmup.enabled()
    for value in ("1", "true", "yes"):
        monkeypatch.setenv(warmup.ENV, value)
        assert warmup.enabled()
    monkeypatch.delenv(warmup.ENV)
    assert warmup.enabled()


def test_every_lesson_link_is_warmed_without_its_questions():
    from ui.story.lessons import LESSONS

    links = warmup.lesson_links()
    assert len(links) == len(LESSONS)
    for lesson, (page, query) in zip(LESSONS, links):
        assert page == lesson.page and f"lesson={lesson.name}" in query
        assert query.endswith("ask=0")


def test_the_headless_client_notes_the_end_of_a_run_an_exception_and_the_pages():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    client = warmup.HeadlessClient()
    navigation = ForwardMsg()
    for url_path, default in (("overview", True), ("lab", False), ("lessons", False)):
        page = navigation.navigation.app_pages.add()
        page.url_pathname, page.is_default = url_path, default
    client.write_forward_msg(navigation)
    assert client.pages == ["lab", "lessons"]  # the default page is the one just run
    rerun = ForwardMsg()
    rerun.script_finished = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # st.rerun(): it goes on
    client.write_forward_msg(rerun)
    assert not client.finished.is_set() and not client.failed
    error = ForwardMsg()
    error.delta.new_element.exception.message = "boom"
    client.write_forward_msg(error)
    done = ForwardMsg()
    done.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    client.write_forward_msg(done)
    assert client.finished.is_set() and client.failed
    assert client.client_context is None


def test_the_warmup_never_starts_under_apptest(monkeypatch):
    from apptest_helpers import open_page

    monkeypatch.setenv(warmup.ENV, "1")
    at = open_page("overview", depth="2", width="4", epochs="1")
    assert not at.exception
    assert not warmup._claimed and warmup._task is None


# --- on a real server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: str, log: Path, port: int) -> subprocess.Popen:
    """`streamlit run script` with the warm-up on, its output (the log lines) into ``log``."""
    env = {**os.environ, warmup.ENV: "1"}
    with open(log, "w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_for_line(proc: subprocess.Popen, log: Path, pattern: str, timeout: float) -> str:
    """The first line of ``log`` that matches ``pattern``, waiting up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(f"^.*{pattern}.*$", log.read_text(), re.MULTILINE)
        if found:
            return found.group(0)
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"no line matching {pattern!r}:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop the server as a host does (SIGTERM) and check that it exits by itself: Streamlit's
    own server exits with 0, uvicorn (``st.App``) re-raises the signal once it has shut down."""
    proc.terminate()
    assert proc.wait(timeout=30) in (0, -signal.SIGTERM)


@pytest.mark.browser
def test_after_the_warmup_a_page_and_a_lesson_link_open_without_training(chromium, tmp_path):
    import test_browser
    from test_browser_runs import finished, trains, visit

    from ui.story.lessons import BY_NAME

    port, log = free_port(), tmp_path / "server.log"
    proc = start_server("streamlit_app.py", log, port)
    try:
        base = f"http://127.0.0.1:{port}"
        # st.App's lifespan starts it with the server, before anyone connects
        wait_for_line(proc, log, warmup.STARTED, timeout=120)
        ended = wait_for_line(proc, log, f"{warmup.FINISHED}|{warmup.STOPPED}", timeout=900)
        assert warmup.FINISHED in ended and "failed" not in ended, ended
        context = test_browser.new_context(chromium)
        try:
            lesson = BY_NAME["he2015"].link(ask="0")  # 30 layers: seconds of training
            for path in ("initialization", lesson):
                page = visit(context, f"{base}/{path}")
                # no progress bar, ever: the comparison came from the cache, not trained
                assert finished(page) and page.evaluate("window.sawProgress !== true"), path
                page.close()
            # the same page with settings the warm-up did not use trains (for seconds, so that
            # its progress bar shows), and the watch sees it
            page = visit(context, f"{base}/initialization?seed=3&epochs=20")
            trains(page)
            page.close()
        finally:
            context.close()
    finally:
        stop(proc)
    assert "Traceback" not in log.read_text()


@pytest.mark.browser
def test_under_streamlit_run_app_py_the_first_visit_starts_it_and_shutdown_stops_it(
    chromium, tmp_path
):
    import test_browser

    port, log = free_port(), tmp_path / "server.log"
    proc = start_server("app.py", log, port)
    try:
        base = f"http://127.0.0.1:{port}"
        test_browser.wait_healthy(base, proc)
        assert warmup.STARTED not in log.read_text()  # no app code runs before a session
        context = test_browser.new_context(chromium)
        try:
            page = context.new_page()
            page.goto(f"{base}/lab")
            wait_for_line(proc, log, warmup.STARTED, timeout=120)
        finally:
            context.close()
    finally:
        stop(proc)  # in the middle of the warm-up
    text = log.read_text()
    assert warmup.STOPPED in text or warmup.FINISHED in text
    assert "Traceback" not in text and "Task was destroyed" not in text


def test_a_server_that_stops_during_the_warmup_stops_it(tmp_path):
    log = tmp_path / "server.log"
    proc = start_server("streamlit_app.py", log, free_port())
    try:
        wait_for_line(proc, log, warmup.STARTED, timeout=120)
    finally:
        stop(proc)  # while the first page still runs: its imports alone take seconds
    text = log.read_text()
    assert warmup.STOPPED in text or warmup.FINISHED in text, text
    assert "Traceback" not in text and "Task was destroyed" not in text
