"""Training runs in background threads, shared by every session that waits for them.

A page asks for a result by key (:meth:`Board.join`). If no run computes it, one starts in a
worker thread; sessions asking for the same key while it runs wait for the same run, so 30
students opening one link train it once. A worker never touches Streamlit: it reports its
progress and its partial result (for live charts) to the :class:`Job`, which the waiting
scripts read.

Work nobody waits for stops: between epochs the worker calls :meth:`Job.checkpoint`, which
raises :class:`Cancelled` once no waiting session is still connected. A session stops waiting
when its script ends, is rerun (a newer request supersedes it) or its tab closes, and leaves
the job.

At most :data:`WORKERS` runs train at once (one per core); the others queue, and a free worker
goes to the queued run of highest priority (:class:`Scheduler`): a visitor's run before a
background one, first come first served among equals. A run is a background run while every
session waiting for it is a background session (:func:`mark_background`: the server's own
warm-up, which nobody watches); a visitor joining it makes it a visitor's run. A background
run that holds a worker while a visitor's run queues gives its worker up at its next epoch and
queues again, so that a visitor never waits behind background work for more than an epoch.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable

from streamlit import runtime

#: Runs that may train at the same time.
WORKERS = 2

#: Sessions whose runs yield to visitors' (see :func:`mark_background`).
_background: set[str] = set()
_background_lock = threading.Lock()


class Cancelled(Exception):
    """Raised inside a worker when nobody waits for its result any more."""


def session_alive(session_id: str | None) -> bool:
    """True while ``session_id``'s browser tab is connected (always True outside a server,
    e.g. under AppTest, where a session has no tab to close)."""
    if session_id is None or not runtime.exists():
        return True
    return runtime.get_instance().is_active_session(session_id)


def mark_background(session_id: str, background: bool = True) -> None:
    """Count ``session_id`` as a background session (``background=False``: no longer): work
    done for nobody watching, whose runs give way to visitors' runs."""
    with _background_lock:
        if background:
            _background.add(session_id)
        else:
            _background.discard(session_id)


def is_background(session_id: str | None) -> bool:
    """True for a session marked by :func:`mark_background` (a session without an id, as
    under AppTest, is a visitor)."""
    with _background_lock:
        return session_id in _background


class Job:
    """One background run: its progress, partial result, final value or error, waiters."""

    def __init__(self, key: Hashable, scheduler: Scheduler | None = None):
        self.key = key
        self.done = threading.Event()
        self.started = threading.Event()
        self.value = None
        self.error: BaseException | None = None
        self.progress: tuple[float, dict] = (0.0, {})
        self.partial = None
        self.updates = 0  # counts calls to report(), so that readers see what is new
        self.arrival: int | None = None  # its place in the scheduler's queue, kept for good
        self._scheduler = scheduler
        self._waiters: dict[int, str | None] = {}
        self._lock = threading.Lock()
        self._next_ticket = 0

    def add_waiter(self, session_id: str | None) -> int:
        with self._lock:
            self._next_ticket += 1
            self._waiters[self._next_ticket] = session_id
            ticket = self._next_ticket
        if self._scheduler is not None:
            self._scheduler.changed()  # a visitor joining a queued background run promotes it
        return ticket

    def remove_waiter(self, ticket: int) -> None:
        with self._lock:
            self._waiters.pop(ticket, None)
        if self._scheduler is not None:
            self._scheduler.changed()  # a queued run nobody waits for leaves the queue

    def wanted(self) -> bool:
        """True while a waiting session is still connected."""
        with self._lock:
            sessions = list(self._waiters.values())
        return any(session_alive(s) for s in sessions)

    def background(self) -> bool:
        """True while every session waiting for this run is a background session."""
        with self._lock:
            sessions = list(self._waiters.values())
        return bool(sessions) and all(is_background(s) for s in sessions)

    def checkpoint(self) -> None:
        """Called by the worker between epochs: raise :class:`Cancelled` when nobody waits
        any more; a background run gives its worker to a queued visitor's run and waits for
        a worker again."""
        if not self.wanted():
            raise Cancelled
        if self._scheduler is not None and self.background():
            self._scheduler.give_way(self)

    def report(self, fraction: float, state: dict, partial=None) -> None:
        """Progress from the worker (``partial``: what is finished so far, for live charts)."""
        self.progress = (fraction, dict(state))
        if partial is not None:
            self.partial = partial
        self.updates += 1


class Scheduler:
    """At most ``workers`` runs hold a worker at once; a free worker goes to the queued run
    of highest priority: a visitor's run before a background run, then the earliest queued
    (a run that gave way keeps its place). Priorities are read when a worker is granted, as
    waiters come and go."""

    def __init__(self, workers: int = WORKERS):
        self._free = workers
        self._queue: set[Job] = set()
        self._holding: set[Job] = set()
        self._arrivals = itertools.count()
        self._changed = threading.Condition()

    @property
    def queued(self) -> int:
        """Runs waiting for a worker."""
        with self._changed:
            return len(self._queue)

    def acquire(self, job: Job) -> None:
        """Block until ``job`` holds a worker; raise :class:`Cancelled` (holding none) if
        nobody waits for it any more meanwhile."""
        with self._changed:
            if job.arrival is None:
                job.arrival = next(self._arrivals)
            self._queue.add(job)
            try:
                while not (self._free and self._first() is job):
                    if not job.wanted():
                        raise Cancelled
                    # woken by every change; the timeout notices a tab closed in between
                    self._changed.wait(0.5)
                self._free -= 1
                self._holding.add(job)
            finally:
                self._queue.discard(job)
                self._changed.notify_all()  # the next in line may take a worker left free

    def release(self, job: Job) -> None:
        """Give ``job``'s worker back (nothing when it holds none)."""
        with self._changed:
            if job in self._holding:
                self._holding.discard(job)
                self._free += 1
                self._changed.notify_all()

    def give_way(self, job: Job) -> None:
        """If a visitor's run is queued, hand it ``job``'s worker and queue ``job`` again."""
        with self._changed:
            if not any(not queued.background() for queued in self._queue):
                return
            self.release(job)
            self.acquire(job)

    def changed(self) -> None:
        """Wake the queued runs: a priority or a waiter has changed."""
        with self._changed:
            self._changed.notify_all()

    def _first(self) -> Job:
        return min(self._queue, key=lambda job: (job.background(), job.arrival))


class Board:
    """The jobs of this server: start, share, finish (storing into ``store``) and cancel."""

    def __init__(self, store, workers: int = WORKERS):
        self.store = store  # a ui.cache.BoundedCache: finished values
        self.scheduler = Scheduler(workers)
        self._jobs: dict[Hashable, Job] = {}
        self._lock = threading.Lock()

    @property
    def queued(self) -> int:
        """Runs waiting for a free worker."""
        return self.scheduler.queued

    def join(self, key: Hashable, work: Callable[[Job], object], session_id: str | None):
        """The running job for ``key`` (starting ``work(job)`` in a worker if none runs) and
        this session's ticket in it. ``work`` calls ``job.checkpoint()`` between epochs (which
        raises :class:`Cancelled` when nobody waits any more) and ``job.report``."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.done.is_set():
                job = Job(key, self.scheduler)
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
        try:
            self.scheduler.acquire(job)
            try:
                job.started.set()
                if not job.wanted():
                    raise Cancelled
                job.value = work(job)
                self.store.put(job.key, job.value)
            finally:
                self.scheduler.release(job)
        except BaseException as error:  # handed to every waiting session
            job.error = error
        finally:
            with self._lock:
                if self._jobs.get(job.key) is job:
                    del self._jobs[job.key]
            job.done.set()
