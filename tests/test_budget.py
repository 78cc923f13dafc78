"""The work budget: what it charges, that its seconds match CPU time, the byte-bounded cache,
and shared background runs that stop when nobody waits."""

import json
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest
from budget_samples import FOLD_SAMPLE, SAMPLES
from conftest import ROOT, wait_for_background

from core import ModelConfig, TrainConfig, Variant, datasets
from ui import budget, jobs
from ui.cache import BoundedCache, nbytes

DIGITS = budget.Shape(n_features=64, n_classes=10, n_train=1437, n_val=360)


def cost(hidden=(100,) * 10, epochs=5, **kw) -> budget.Cost:
    bn = kw.pop("batchnorm", "none")
    return budget.run_cost(
        DIGITS, ModelConfig(hidden=hidden, batchnorm=bn), TrainConfig(epochs=epochs, **kw)
    )


def test_measurement_runs_are_charged():
    """epochs=0 (the overview, the SELU check) still evaluates and measures every layer."""
    small, large = cost((100,) * 10, 0), cost((512,) * 100, 0)
    assert small.seconds > 0 and large.seconds > 50 * small.seconds
    assert 5 * large.seconds > budget.MAX_SECONDS  # /?depth=100&width=512&seeds=5 is refused


def test_diagnostics_tiny_batches_and_batch_norm_cost_more():
    assert cost(diagnostics=False).seconds < cost().seconds
    assert cost(batch_size=1).seconds > 3 * cost(batch_size=32).seconds
    assert cost(batchnorm="before").seconds > cost().seconds
    model, cfg = ModelConfig(hidden=(2,) * 100), TrainConfig(epochs=200, batch_size=1024)
    deep_narrow = budget.run_cost(DIGITS, model, cfg)
    no_diagnostics = cost((2,) * 100, 200, batch_size=1024, diagnostics=False)
    assert deep_narrow.seconds > no_diagnostics.seconds
    # /lab?variants=4&seeds=5&depth=100&width=2&epochs=200&batch_size=1024: refused
    assert budget.comparison_cost(DIGITS, [(model, cfg)] * 4, seeds=5).seconds > budget.MAX_SECONDS


def test_costs_add_over_runs_and_seeds():
    model, cfg = ModelConfig(hidden=(32,) * 3), TrainConfig(epochs=2)
    one = budget.run_cost(DIGITS, model, cfg)
    both = budget.comparison_cost(DIGITS, [(model, cfg), (model, cfg)], seeds=3)
    assert both.seconds == pytest.approx(6 * one.seconds)
    assert both.kept == 6 * one.kept and both.peak == one.peak  # runs one after the other


def test_kept_bytes_grow_with_epochs_and_layers():
    assert cost((8,) * 100, 200).kept > 10 * cost((8,) * 10, 20).kept
    assert cost((8,) * 100, 200, batch_size=1024).bytes > budget.MAX_BYTES / 4


def test_max_epochs_is_the_most_that_fits():
    runs = [(ModelConfig(hidden=(256,) * 10), TrainConfig(epochs=1))] * 4
    n = budget.max_epochs(DIGITS, runs, seeds=1)
    assert n >= 1

    def total(epochs):
        from dataclasses import replace

        return budget.comparison_cost(DIGITS, [(m, replace(c, epochs=epochs)) for m, c in runs], 1)

    assert total(n).seconds <= budget.MAX_SECONDS < total(n + 1).seconds
    default = [(ModelConfig(hidden=(100,) * 10), TrainConfig(epochs=5))] * 4
    assert budget.comparison_cost(DIGITS, default, 1).seconds <= budget.MAX_SECONDS


@pytest.fixture(scope="module")
def digits():
    return datasets.load("digits")


@pytest.fixture(scope="module")
def measured():
    """The samples timed in a process of their own, on one BLAS thread as a server runs them
    (app.py; tests/conftest.py sets the same): the charge is calibrated against the server's
    CPU time. The exported-script runs started in the background finish first
    (tests/conftest.py): they would compete for the CPU."""
    wait_for_background()
    code = "import json, budget_samples; print(json.dumps(budget_samples.measure()))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "tests",
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_charged_seconds_match_cpu_time(kind, measured):
    """Within a factor of 3: the model is fitted within 2 (bench/budget_calibration.py), and
    CPU time of the same work moves by half as much again on a shared machine."""
    model, cfg = SAMPLES[kind]
    charged = budget.run_cost(DIGITS, model, cfg).seconds
    assert 1 / 3 <= measured[kind] / charged <= 3, (kind, measured[kind], charged)


def test_the_folding_study_is_charged_what_it_costs(measured):
    charged = budget.fold_study_cost(DIGITS, *FOLD_SAMPLE).seconds
    assert 1 / 3 <= measured["folding study"] / charged <= 3, (measured, charged)


# --- the cache ---------------------------------------------------------------------------------


def test_nbytes_counts_buffers_once():
    a = np.zeros(1000, np.float32)
    frame = pd.DataFrame({"x": np.zeros(1000)})
    assert nbytes(a) == 4000
    assert nbytes([a, a]) < 4000 + 200  # the same array counted once
    assert 8000 <= nbytes({"f": frame}) < 9000


def test_cache_is_bounded_by_bytes():
    cache = BoundedCache(100, max_bytes=10_000)
    for i in range(5):
        cache.put(i, np.zeros(1000, np.float32))  # 4 kB each
    assert len(cache) == 2 and cache.total_bytes <= 10_000
    assert 4 in cache and 3 in cache and 0 not in cache
    cache.put("big", np.zeros(10_000, np.float32))  # larger than the whole cache: not kept
    assert "big" not in cache and len(cache) == 2


# --- shared runs -------------------------------------------------------------------------------


def slow_work(calls, epochs=50):
    def work(job):
        calls.append(1)
        for epoch in range(epochs):
            if not job.wanted():
                raise jobs.Cancelled
            job.report(epoch / epochs, {"epoch": epoch})
            time.sleep(0.01)
        return "done"

    return work


def test_sessions_asking_for_the_same_run_share_it():
    board, calls = jobs.Board(BoundedCache(4)), []
    first, t1 = board.join("k", slow_work(calls), None)
    second, t2 = board.join("k", slow_work(calls), None)
    assert first is second
    assert first.done.wait(10) and first.value == "done" and calls == [1]
    assert board.store.get("k") == "done"


def test_a_run_nobody_waits_for_stops_within_an_epoch():
    board, calls = jobs.Board(BoundedCache(4)), []
    job, ticket = board.join("k", slow_work(calls, epochs=10_000), None)
    assert job.started.wait(5)
    time.sleep(0.05)
    board.leave(job, ticket)
    assert job.done.wait(2)
    assert isinstance(job.error, jobs.Cancelled) and "k" not in board.store


def test_a_shared_run_continues_while_anyone_waits():
    board, calls = jobs.Board(BoundedCache(4)), []
    job, t1 = board.join("k", slow_work(calls, epochs=30), None)
    _, t2 = board.join("k", slow_work(calls), None)
    board.leave(job, t1)  # the first tab closes; the second still waits
    assert job.done.wait(10) and job.value == "done"


def test_runs_beyond_the_workers_queue():
    board, release = jobs.Board(BoundedCache(4), workers=1), threading.Event()

    def blocked(job):
        release.wait(5)
        return 1

    first, _ = board.join("a", blocked, None)
    second, _ = board.join("b", blocked, None)
    time.sleep(0.2)
    assert first.started.is_set() != second.started.is_set()  # one trains, one queues
    assert board.queued == 1
    release.set()
    assert first.done.wait(5) and second.done.wait(5) and first.value == second.value == 1


def test_a_cancelled_comparison_stores_nothing(digits):
    """The runner's worker function raises Cancelled from train()'s epoch callback."""
    from ui import runner

    board = jobs.Board(BoundedCache(4))
    variants = (Variant("a", ModelConfig(hidden=(32,) * 2), TrainConfig(epochs=500)),)
    key = (variants, "digits", (0,), None)
    job, ticket = board.join(key, lambda j: runner._train_all(j, *key), None)
    while job.updates < 3:
        time.sleep(0.01)
    board.leave(job, ticket)
    assert job.done.wait(10) and isinstance(job.error, jobs.Cancelled)
    assert job.progress[0] < 0.5 and key not in board.store
