"""Training runs in background threads, shared by every session that waits for them.

A page asks for a result by key (:meth:`Board.join`). If no run computes it, one starts in a
worker thread; sessions asking for the same key while it runs wait for the same run, so 30
students opening one link train it once. A worker never touches Streamlit: it reports its
progress and its partial result (for live charts) to the :class:`Job`, which the waiting
scripts read.

Work nobody waits for stops: between epochs, and between the summaries made after training,
the worker calls :meth:`Job.checkpoint`, which raises :class:`Cancelled` once no waiting session
is still connected. A session stops waiting when its script ends, is rerun (a newer request
supersedes it) or its tab closes, and leaves the job. A session waits for one run at a time:
joining another run leaves the one it waited for (:meth:`Board.join`), so a visitor cannot
fill the queue with runs of its own.

At most :data:`WORKERS` runs train at once (one per core), and together with what the server
already holds they stay within a memory bound (:class:`Scheduler`); the others queue. A free
worker goes to the queued run of highest priority: a visitor's run before a background one;
among equals, the earliest *turn*, its time of queueing plus :data:`WAIT_PER_SECOND` times its
charge in seconds. A light run thus goes before heavy runs queued a little earlier (shortest
first), while a heavy run waits at most a bounded time for lighter ones that arrive after it
(aging). A run is a background run while every session waiting for it is a background session
(:func:`mark_background`: the server's own warm-up, which nobody watches); a visitor joining
it makes it a visitor's run. A background run that holds a worker while a visitor's run queues
gives its worker up at its next epoch and queues again, so that a visitor never waits behind
background work for more than an epoch.

The board lives at module level in :mod:`ui.runs.runner`, once per server process: Streamlit's
"clear cache" message, which any client can send, clears ``st.cache_resource`` and would start
a second board beside the first, with its own workers.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import threading
import time
from collections.abc import Callable, Hashable

from streamlit import runtime

#: Runs that may train at the same time.
WORKERS = 2
#: Seconds a queued run's turn moves back per second of its charge (see :class:`Scheduler`):
#: a run charged 0.5 s goes before one charged 8 s that queued up to 30 s before it.
WAIT_PER_SECOND = 4.0
#: A run stops once its worker has used more than CPU_FACTOR times the CPU-seconds it was
#: charged, plus CPU_GRACE seconds: the budget's model is fitted on one machine, and some work
#: costs far more than it foresees (arithmetic on subnormal floats in a network whose signal
#: has died away, a slower host); no link may hold a worker much longer than it was charged.
CPU_FACTOR, CPU_GRACE = 4.0, 2.0

#: Sessions whose runs yield to visitors' (see :func:`mark_background`).
_background: set[str] = set()
_background_lock = threading.Lock()


class Cancelled(Exception):
    """Raised inside a worker when nobody waits for its result any more."""


class OverBudget(Exception):
    """Raised inside a worker whose run has used ``used`` CPU-seconds, more than
    :data:`CPU_FACTOR` times the ``charged`` seconds plus :data:`CPU_GRACE`."""

    def __init__(self, used: float, charged: float):
        super().__init__(f"used {used:.1f} CPU-s, charged {charged:.1f}")
        self.used, self.charged = used, charged


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


def _libc():
    """The C library (None where ctypes cannot load it)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def return_freed_memory() -> bool:
    """Hand the memory the C allocator holds free back to the system; True if it could.

    glibc's malloc keeps what a program frees for its next allocations, in one arena per
    thread that allocated: a network's arrays freed in the middle of an arena stay counted in
    the server's resident memory, so that after one heavy comparison the server held several
    hundred MB nobody used, and a second one added its own on top. ``malloc_trim(0)`` gives the
    free pages of every arena back (it takes milliseconds). Elsewhere (musl, macOS) it does
    nothing and returns False."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is None:
        return False
    trim(0)
    return True


class Job:
    """One background run: its progress, partial result, final value or error, waiters, and
    its charge (estimated CPU ``seconds`` and bytes ``memory``, from :mod:`ui.runs.budget`)."""

    def __init__(
        self,
        key: Hashable,
        scheduler: Scheduler | None = None,
        seconds: float = 0.0,
        memory: int = 0,
    ):
        self.key = key
        self.seconds, self.memory = seconds, memory
        #: CPU-seconds the worker may use (None: not charged, no limit), from when it starts
        self.cpu_limit = CPU_FACTOR * seconds + CPU_GRACE if seconds > 0 else None
        self._cpu_start: float | None = None
        self.done = threading.Event()
        self.started = threading.Event()
        self.value = None
        self.error: BaseException | None = None
        self.progress: tuple[float, dict] = (0.0, {})
        self.partial = None
        self.updates = 0  # counts calls to report(), so that readers see what is new
        self.arrival: int | None = None  # its place in the scheduler's queue, kept for good
        self.turn: float | None = None  # when it goes, among equals (see Scheduler)
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

    def start(self) -> None:
        """Called by the worker once it holds a worker: the run has started, and its CPU time
        counts from now, on this thread's own clock (:meth:`checkpoint`)."""
        self._cpu_start = time.thread_time()
        self.started.set()

    def waits(self, ticket: int) -> bool:
        """True while ``ticket`` is still among the waiters (it leaves when its session
        leaves, or joins another run)."""
        with self._lock:
            return ticket in self._waiters

    def session_of(self, ticket: int) -> str | None:
        """The session that holds ``ticket`` (None once it has left)."""
        with self._lock:
            return self._waiters.get(ticket)

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
        """Called by the worker between epochs and between summaries: raise
        :class:`Cancelled` when nobody waits any more, :class:`OverBudget` when the worker has
        used more CPU time than the run's limit; a background run gives its worker to a queued
        visitor's run and waits for a worker again (a wait that uses no CPU time)."""
        if not self.wanted():
            raise Cancelled
        if self.cpu_limit is not None and self._cpu_start is not None:
            used = time.thread_time() - self._cpu_start  # this worker thread's CPU only
            if used > self.cpu_limit:
                raise OverBudget(used, self.seconds)
        if self._scheduler is not None and self.background():
            self._scheduler.give_way(self)

    def report(self, fraction: float, state: dict, partial=None) -> None:
        """Progress from the worker (``partial``: what is finished so far, for live charts)."""
        self.progress = (fraction, dict(state))
        if partial is not None:
            self.partial = partial
        self.updates += 1


class Scheduler:
    """At most ``workers`` runs hold a worker at once, and a run starts only if the memory it
    is charged fits beside what the server holds (``held()``, bytes: finished results, data
    sets) and the charges of the runs holding a worker, within ``memory_limit`` bytes; a run
    that is alone always starts (each request's charge is bounded by the budget, and what is
    held by the caches' own bounds), so nothing waits for ever. A free worker goes to the queued
    run of highest priority: a visitor's run before a background run, then the earliest
    ``turn`` (when it queued, from ``clock``, plus :data:`WAIT_PER_SECOND` times its charge in
    seconds), then the earliest queued. A run that gave way keeps its turn. Priorities are read
    when a worker is granted, as waiters come and go; the run first in line waits for memory
    rather than let a smaller one pass, which could starve it."""

    def __init__(
        self,
        workers: int = WORKERS,
        memory_limit: int | None = None,
        held: Callable[[], int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.workers = workers
        self.memory_limit = memory_limit
        self._held = held or (lambda: 0)
        self._clock = clock
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

    @property
    def training(self) -> int:
        """Runs holding a worker."""
        with self._changed:
            return len(self._holding)

    def acquire(self, job: Job) -> None:
        """Block until ``job`` holds a worker; raise :class:`Cancelled` (holding none) if
        nobody waits for it any more meanwhile."""
        with self._changed:
            if job.arrival is None:
                job.arrival = next(self._arrivals)
                job.turn = self._clock() + WAIT_PER_SECOND * job.seconds
            self._queue.add(job)
            try:
                while not (self._free and self._first() is job and self._fits(job)):
                    if not job.wanted():
                        raise Cancelled
                    # woken by every change; the timeout notices a tab closed, or memory
                    # freed by a cache, in between
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
        """Wake the queued runs: a priority, a waiter or the memory held has changed."""
        with self._changed:
            self._changed.notify_all()

    def _first(self) -> Job:
        return min(self._queue, key=lambda job: (job.background(), job.turn, job.arrival))

    def _fits(self, job: Job) -> bool:
        if self.memory_limit is None or not self._holding:
            return True
        in_flight = sum(other.memory for other in self._holding)
        return self._held() + in_flight + job.memory <= self.memory_limit


class Board:
    """The jobs of this server: start, share, finish (storing into ``store``) and cancel.
    ``memory_limit``, ``held`` and ``clock``: see :class:`Scheduler`."""

    def __init__(
        self,
        store,
        workers: int = WORKERS,
        memory_limit: int | None = None,
        held: Callable[[], int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.store = store  # a ui.caches.cache.BoundedCache: finished values
        self.scheduler = Scheduler(workers, memory_limit, held, clock)
        self._jobs: dict[Hashable, Job] = {}
        self._sessions: dict[str, tuple[Job, int]] = {}  # each session's run and ticket
        self._lock = threading.Lock()

    @property
    def queued(self) -> int:
        """Runs waiting for a free worker."""
        return self.scheduler.queued

    def join(
        self,
        key: Hashable,
        work: Callable[[Job], object],
        session_id: str | None,
        seconds: float = 0.0,
        memory: int = 0,
    ):
        """The running job for ``key`` (starting ``work(job)`` in a worker if none runs,
        charged ``seconds`` and ``memory`` bytes) and this session's ticket in it. ``work``
        calls ``job.checkpoint()`` between epochs (which raises :class:`Cancelled` when nobody
        waits any more) and ``job.report``.

        A session waits for one run at a time: its ticket in the run it waited for before,
        if any, is withdrawn (that run stops, or leaves the queue, unless another session
        waits for it). A session without an id (AppTest) is not tracked."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.done.is_set():
                job = Job(key, self.scheduler, seconds, memory)
                self._jobs[key] = job
                ticket = job.add_waiter(session_id)
                threading.Thread(
                    target=self._run, args=(job, work), name="gradient-lab-run", daemon=True
                ).start()
            else:
                ticket = job.add_waiter(session_id)
            if session_id is not None:
                before = self._sessions.get(session_id)
                self._sessions[session_id] = (job, ticket)
        if session_id is not None and before is not None and before != (job, ticket):
            before[0].remove_waiter(before[1])  # superseded by this request
        return job, ticket

    def leave(self, job: Job, ticket: int) -> None:
        session = job.session_of(ticket)
        job.remove_waiter(ticket)
        if session is not None:
            with self._lock:
                if self._sessions.get(session) == (job, ticket):
                    del self._sessions[session]

    def _run(self, job: Job, work: Callable[[Job], object]) -> None:
        try:
            self.scheduler.acquire(job)
            try:
                job.start()
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
            job.partial = None  # the live charts' copy: nobody reads it once the job is done
            job.done.set()
            if job.started.is_set():
                return_freed_memory()  # what the run held is free now
