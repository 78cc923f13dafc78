"""Fair queueing and memory in ui/runs/jobs.py: among runs of one priority the lighter goes first
unless a heavier one has waited long enough (aging); a run starts only while the memory it is
charged fits beside what the server holds and the runs in flight (a lone run always starts);
a session waits for one run at a time; a run drops its network as soon as it ends."""

import time

import pytest
from test_warmup import VISITOR, Gate, started, wait_until

from core.compare import Variant, compare
from core.training import TrainConfig
from ui.caches.cache import BoundedCache
from ui.runs import jobs


class Clock:
    """A clock the test sets (seconds)."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def queue_behind_a_busy_worker(board, clock, log, runs):
    """Holds the only worker with a run, then queues ``runs`` ``[(name, seconds, when)]`` at
    those times of ``clock``; returns the busy run's gate and every job."""
    first = Gate(log, "first")
    jobs_ = [board.join("first", first, VISITOR)[0]]
    assert first.running.wait(5)
    for n, (name, seconds, when) in enumerate(runs, start=1):
        clock.now = when
        gate = Gate(log, name)
        gate.go.set()
        jobs_.append(board.join(name, gate, VISITOR, seconds=seconds)[0])
        wait_until(lambda n=n: board.queued == n)
    return first, jobs_


@pytest.mark.parametrize(
    ("runs", "order"),
    [
        # a light run queued a second after a heavy one goes first (turn 1 + 2 < 0 + 32)
        ([("heavy", 8.0, 0.0), ("light", 0.5, 1.0)], ["light", "heavy"]),
        # the heavy run has waited 40 s: its turn (32) came before the light run's (42)
        ([("heavy", 8.0, 0.0), ("light", 0.5, 40.0)], ["heavy", "light"]),
        # equal charges: first come, first served
        ([("a", 2.0, 0.0), ("b", 2.0, 0.0), ("c", 2.0, 0.0)], ["a", "b", "c"]),
    ],
)
def test_the_lighter_run_goes_first_unless_the_heavier_has_waited_long_enough(runs, order):
    clock = Clock()
    board, log = jobs.Board(BoundedCache(8), workers=1, clock=clock), []
    first, queued = queue_behind_a_busy_worker(board, clock, log, runs)
    first.go.set()
    assert all(job.done.wait(10) for job in queued)
    assert started(log) == ["first", *order]
    # the turn is the queueing time plus WAIT_PER_SECOND seconds per charged second
    for job, (_, seconds, when) in zip(queued[1:], runs):
        assert job.turn == when + jobs.WAIT_PER_SECOND * seconds


def test_a_run_waits_for_memory_until_the_runs_in_flight_end():
    held = [30]
    board = jobs.Board(BoundedCache(8), workers=2, memory_limit=100, held=lambda: held[0])
    log = []
    big, second = Gate(log, "big"), Gate(log, "second")
    big_job, _ = board.join("big", big, VISITOR, memory=50)
    assert big.running.wait(5)
    second.go.set()
    second_job, _ = board.join("second", second, VISITOR, memory=30)  # 30 + 50 + 30 > 100
    wait_until(lambda: board.queued == 1)
    assert board.scheduler.training == 1 and not second_job.started.is_set()
    held[0] = 0  # a cache let go: 0 + 50 + 30 fits, and the scheduler looks again
    board.scheduler.changed()
    assert second_job.done.wait(5) and second_job.value == "second"
    assert not big_job.done.is_set()  # it started beside the big run, a worker being free
    big.go.set()
    assert big_job.done.wait(5)


def test_a_run_alone_starts_even_over_the_memory_bound():
    board = jobs.Board(BoundedCache(8), workers=2, memory_limit=100, held=lambda: 90)
    gate = Gate([], "alone")
    gate.go.set()
    job, _ = board.join("alone", gate, VISITOR, memory=500)
    assert job.done.wait(5) and job.value == "alone"


def test_a_session_waits_for_one_run_at_a_time():
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    first = Gate(log, "first")
    busy, _ = board.join("first", first, "other-tab")
    assert first.running.wait(5)
    a, b = Gate(log, "a"), Gate(log, "b")
    b.go.set()
    job_a, ticket_a = board.join("a", a, "tab")
    wait_until(lambda: board.queued == 1)
    job_b, ticket_b = board.join("b", b, "tab")  # the same tab asks for something else
    # its first run lost its only waiter: it leaves the queue, cancelled, without a worker
    assert job_a.done.wait(5) and isinstance(job_a.error, jobs.Cancelled)
    assert not job_a.waits(ticket_a) and job_b.waits(ticket_b)
    first.go.set()
    assert job_b.done.wait(5) and busy.done.wait(5)
    assert started(log) == ["first", "b"]


def test_a_run_another_session_waits_for_goes_on_when_one_session_moves_on():
    board, log = jobs.Board(BoundedCache(8), workers=1), []
    shared = Gate(log, "shared")
    job, _ = board.join("shared", shared, "tab")
    board.join("shared", shared, "class-mate")
    assert shared.running.wait(5)
    other = Gate(log, "other")
    other.go.set()
    board.join("other", other, "tab")  # the first tab moves on; the class-mate still waits
    shared.go.set()
    assert job.done.wait(5) and job.error is None and job.value == "shared"


def test_a_comparison_holds_one_network_at_a_time():
    """compare's on_done sees each run as it ends, before the next starts: dropping the
    network there leaves at most one alive."""
    from core import datasets
    from core.network import Network

    data = datasets.load("moons", seed=0)
    alive, most = set(), [0]
    real_init = Network.__init__

    def counting_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        alive.add(id(self))
        most[0] = max(most[0], len(alive))

    def on_done(variant, seed, history):
        alive.discard(id(history.net))
        history.net = None

    train = TrainConfig(epochs=1, batch_size=64)
    variants = [Variant(i, small_model(init=i), train) for i in ("he_normal", "glorot_uniform")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Network, "__init__", counting_init)
        comp = compare(variants, data, seeds=(0, 1), on_done=on_done)
    assert most[0] == 1
    assert all(run.net is None for run in comp.runs.values()) and len(comp.runs) == 4


def small_model(**kw):
    from core.network import ModelConfig

    return ModelConfig(**{"hidden": (16,) * 3, "activation": "relu", **kw})


def test_freed_memory_goes_back_to_the_system_on_glibc():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is glibc's")
    assert jobs.return_freed_memory() is True


def burn(cpu_seconds: float) -> None:
    """Use ``cpu_seconds`` of this thread's CPU time."""
    start = time.thread_time()
    while time.thread_time() - start < cpu_seconds:
        sum(range(1000))


def test_a_run_that_uses_far_more_cpu_than_its_charge_is_stopped(monkeypatch):
    monkeypatch.setattr(jobs, "CPU_GRACE", 0.0)
    EPOCHS = 40  # 0.4 CPU-s in all: ten times the limit of the run charged 0.01 s
    board, epochs = jobs.Board(BoundedCache(8), workers=1), []

    def work(job: jobs.Job):
        for epoch in range(EPOCHS):
            burn(0.01)
            epochs.append(epoch)
            job.checkpoint()
        return "done"

    # charged 0.01 s, limit 4 × 0.01: stopped at the checkpoint after the limit is passed
    over, _ = board.join("over", work, VISITOR, seconds=0.01)
    assert over.done.wait(30) and isinstance(over.error, jobs.OverBudget)
    assert over.error.charged == 0.01 and over.error.used > jobs.CPU_FACTOR * 0.01
    assert len(epochs) < EPOCHS and board.store.get("over") is None  # nothing cached
    # charged enough, the same work ends; a run charged nothing has no limit
    for key, seconds in (("within", 100.0), ("uncharged", 0.0)):
        epochs.clear()
        job, _ = board.join(key, work, VISITOR, seconds=seconds)
        assert job.done.wait(60) and job.error is None and len(epochs) == EPOCHS


def test_the_page_says_why_a_run_was_stopped_over_its_cpu_limit(monkeypatch):
    from apptest_helpers import open_page

    monkeypatch.setattr(jobs, "CPU_FACTOR", 0.0)
    monkeypatch.setattr(jobs, "CPU_GRACE", 0.0)  # every run stops at its first checkpoint
    at = open_page("initialization", seed="97")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "This run was stopped after" in warnings and "times the" in warnings
