"""Training runs in background threads, shared by every session that waits for them.

A page asks for a result by key (:meth:`Board.join`). If no run computes it, one starts in a
worker thread; sessions asking for the same key while it runs wait for the same run, so 30
students opening one link train it once. A worker never touches Streamlit: it reports its
progress and its partial result (for live charts) to the :class:`Job`, which the waiting
scripts read.

Work nobody waits for stops: between epochs the worker asks :meth:`Job.wanted`, which is true
while at least one waiting session is still connected. A session stops waiting when its script
ends, is rerun (a newer request supersedes it) or its tab closes, and leaves the job.

At most :data:`WORKERS` runs train at once (one per core); the others queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from streamlit import runtime

#: Runs that may train at the same time.
WORKERS = 2


class Cancelled(Exception):
    """Raised inside a worker when nobody waits for its result any more."""


def session_alive(session_id: str | None) -> bool:
    """True while ``session_id``'s browser tab is connected (always True outside a server,
    e.g. under AppTest, where a session has no tab to close)."""
    if session_id is None or not runtime.exists():
        return True
    return runtime.get_instance().is_active_session(session_id)


class Job:
    """One background run: its progress, partial result, final value or error, waiters."""

    def __init__(self, key: Hashable):
        self.key = key
        self.done = threading.Event()
        self.started = threading.Event()
        self.value = None
        self.error: BaseException | None = None
        self.progress: tuple[float, dict] = (0.0, {})
        self.partial = None
        self.updates = 0  # counts calls to report(), so that readers see what is new
        self._waiters: dict[int, str | None] = {}
        self._lock = threading.Lock()
        self._next_ticket = 0

    def add_waiter(self, session_id: str | None) -> int:
        with self._lock:
            self._next_ticket += 1
            self._waiters[self._next_ticket] = session_id
            return self._next_ticket

    def remove_waiter(self, ticket: int) -> None:
        with self._lock:
            self._waiters.pop(ticket, None)

    def wanted(self) -> bool:
        """True while a waiting session is still connected."""
        with self._lock:
            sessions = list(self._waiters.values())
        return any(session_alive(s) for s in sessions)

    def report(self, fraction: float, state: dict, partial=None) -> None:
        """Progress from the worker (``partial``: what is finished so far, for live charts)."""
        self.progress = (fraction, dict(state))
        if partial is not None:
            self.partial = partial
        self.updates += 1


class Board:
    """The jobs of this server: start, share, finish (storing into ``store``) and cancel."""

    def __init__(self, store, workers: int = WORKERS):
        self.store = store  # a ui.cache.BoundedCache: finished values
        self._jobs: dict[Hashable, Job] = {}
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(workers)
        self._queued = 0

    @property
    def queued(self) -> int:
        """Runs waiting for a free worker."""
        return self._queued

    def join(self, key: Hashable, work: Callable[[Job], object], session_id: str | None):
        """The running job for ``key`` (starting ``work(job)`` in a worker if none runs) and
        this session's ticket in it. ``work`` calls ``job.report`` and raises
        :class:`Cancelled` when ``job.wanted()`` turns False."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.done.is_set():
                job = Job(key)
                self._jobs[key] = job
                ticket = job.add_waiter(session_id)
                threading.Thread(
                    target=self._run, args=(job, work), name="gradient-lab-run", daemon=True
                ).start()
            else:
                ticket = job.add_waiter(session_id)
        return job, ticket

    def leave(self, job: Job, ticket: int) -> None:
        job.remove_waiter(ticket)

    def _run(self, job: Job, work: Callable[[Job], object]) -> None:
        with self._lock:
            self._queued += 1
        try:
            with self._slots:
                with self._lock:
                    self._queued -= 1
                job.started.set()
                if not job.wanted():
                    raise Cancelled
                job.value = work(job)
                self.store.put(job.key, job.value)
        except BaseException as error:  # handed to every waiting session
            job.error = error
        finally:
            with self._lock:
                if self._jobs.get(job.key) is job:
                    del self._jobs[job.key]
            job.done.set()
