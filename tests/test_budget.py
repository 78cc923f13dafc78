"""The work budget: what it charges, counted by hand and against the engine's own counts, the
byte-bounded cache, and shared background runs that stop when nobody waits.

Whether the charged seconds match this machine's CPU time is a measurement, not a test: it
depends on the machine (bench/budget_calibration.py prints both, run by run)."""

import inspect
import threading
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from core import ModelConfig, TrainConfig, Variant, bn_studies, datasets, train
from core.data import Dataset
from core.diagnostics import ACT_EDGES, GRAD_LOG_EDGES
from ui import budget, jobs
from ui.cache import BoundedCache, nbytes

DIGITS = budget.Shape(n_features=64, n_classes=10, n_train=1437, n_val=360)


def cost(hidden=(100,) * 10, epochs=5, **kw) -> budget.Cost:
    bn = kw.pop("batchnorm", "none")
    return budget.run_cost(
        DIGITS, ModelConfig(hidden=hidden, batchnorm=bn), TrainConfig(epochs=epochs, **kw)
    )


TINY = budget.Shape(n_features=4, n_classes=3, n_train=10, n_val=5)


def test_a_charge_is_the_work_counted_by_hand():
    """A 4-6-3 network, 2 epochs of batches of 4 on 10 samples, 5 validation samples: every
    count the charge multiplies by a constant, counted here by hand."""
    # 4*6 + 6*3 = 42 kernel weights, 6 + 3 = 9 units, 2 Dense layers, 42 + 9 = 51 parameters;
    # 2 epochs of ceil(10 / 4) = 3 steps; the probe batch is all 10 samples (probe_size 64),
    # measured at epochs 0, 1 and 2; inference: both splits at epoch 0, then the validation
    # split after each epoch (10 + 5 + 2 * 5 = 25 samples)
    cost = budget.run_cost(TINY, ModelConfig(hidden=(6,)), TrainConfig(epochs=2, batch_size=4))
    macs = 3 * 2 * 10 * 42 + 25 * 42 + 3 * 3 * 10 * 42  # training, inference, diagnostics
    elements = (2 * 10 + 25 + 3 * 10) * 9
    seconds = (
        budget.C_MAC * macs
        + budget.C_ELEMENT * elements
        + budget.C_PARAM * 6 * 51
        + budget.C_LAYER_CALL * (6 + 2 + 1) * 2
        + budget.C_STEP * 6
        + budget.C_DIAG_LAYER * 3 * 2
    )
    assert (macs, elements) == (7350, 675)
    assert cost.seconds == pytest.approx(seconds, rel=1e-12)
    bins = len(GRAD_LOG_EDGES) + len(ACT_EDGES)
    assert cost.kept == 3 * 2 * (budget.LAYER_ROW_BYTES + bins * budget.HIST_ROW_BYTES) + 6 * 48
    # SGD: weights, gradients and two update copies of 51 float32s; four arrays of the largest
    # batch (the probe's 10 samples) by 9 units
    assert cost.peak == 4 * (4 * 51 + 4 * 10 * 9)


def test_batch_norm_and_diagnostics_change_the_hand_counted_charge():
    model, cfg = ModelConfig(hidden=(6,), batchnorm="before"), TrainConfig(epochs=2, batch_size=4)
    cost = budget.run_cost(TINY, model, cfg)
    # the validation split is evaluated twice at epoch 0 and after each epoch (moving and batch
    # statistics): 10 + 2 * 3 * 5 = 40 samples; element-wise work is half as much again
    macs = 3 * 2 * 10 * 42 + 40 * 42 + 3 * 3 * 10 * 42
    elements = (2 * 10 + 40 + 3 * 10) * 9 * 1.5
    plain = budget.run_cost(TINY, replace(model, batchnorm="none"), cfg)
    extra = budget.C_MAC * (macs - 7350) + budget.C_ELEMENT * (elements - 675)
    assert cost.seconds - plain.seconds == pytest.approx(extra, rel=1e-9)
    # an evaluation with batch statistics keeps every layer's output: 3 * 5 * 9 more floats
    assert cost.peak - plain.peak == 4 * 3 * 5 * 9
    # no diagnostics: no probe batch, no measured layers, no per-layer rows; Adam's two slots
    quiet = budget.run_cost(TINY, ModelConfig(hidden=(6,)), replace(cfg, diagnostics=False))
    macs, elements = 3 * 2 * 10 * 42 + 25 * 42, (2 * 10 + 25) * 9
    assert quiet.seconds == pytest.approx(
        budget.C_MAC * macs
        + budget.C_ELEMENT * elements
        + budget.C_PARAM * 6 * 51
        + budget.C_LAYER_CALL * 9 * 2
        + budget.C_STEP * 6,
        rel=1e-12,
    )
    assert quiet.kept == 6 * budget.STEP_ROW_BYTES
    adam = budget.run_cost(TINY, ModelConfig(hidden=(6,)), replace(cfg, optimizer="adam"))
    assert adam.peak - plain.peak == 4 * 2 * 51


def test_the_counts_charged_are_the_counts_the_engine_makes():
    """The engine, on a data set of the shape above, makes the steps, measurements, layers,
    parameters and evaluations the charge counts (a few milliseconds of training)."""
    rng = np.random.default_rng(0)
    tiny = Dataset(
        rng.normal(size=(10, 4)).astype(np.float32), np.arange(10) % 3,
        rng.normal(size=(5, 4)).astype(np.float32), np.arange(5) % 3,
        3, "tiny", np.zeros(4), np.ones(4),
    )  # fmt: skip
    history = train(ModelConfig(hidden=(6,)), TrainConfig(epochs=2, batch_size=4), tiny)
    weights, units, layers = budget.counts(TINY, ModelConfig(hidden=(6,)))
    assert history.n_params == weights + units == 51
    assert len(history.steps) == 6  # the last batch of each epoch is partial, and a step
    assert sorted(history.layers.epoch.unique()) == [0, 1, 2]  # measured at epochs 0..2
    assert (history.layers.groupby("epoch").layer.nunique() == layers).all()
    val = history.metrics[history.metrics.split == "val"]
    assert list(val.epoch) == [0, 1, 2]  # the validation split after every epoch and before
    # with batch norm, the validation split is evaluated with batch statistics as often
    bn = train(
        ModelConfig(hidden=(6,), batchnorm="before"), TrainConfig(epochs=2, batch_size=4), tiny
    )
    assert list(bn.metrics[bn.metrics.split == "val_batch_stats"].epoch) == [0, 1, 2]


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
        return budget.comparison_cost(DIGITS, [(m, replace(c, epochs=epochs)) for m, c in runs], 1)

    assert total(n).seconds <= budget.MAX_SECONDS < total(n + 1).seconds
    default = [(ModelConfig(hidden=(100,) * 10), TrainConfig(epochs=5))] * 4
    assert budget.comparison_cost(DIGITS, default, 1).seconds <= budget.MAX_SECONDS


def test_max_epochs_is_zero_when_not_even_one_epoch_fits():
    # measuring alone (epochs=0) of five seeds of 100 x 512 is over the budget (above)
    assert budget.max_epochs(DIGITS, [(ModelConfig(hidden=(512,) * 100), TrainConfig())], 5) == 0


def test_the_folding_study_is_charged_its_steps_and_passes_counted_by_hand():
    """The 4-6-3 network: 90 timed training steps of batches of 4 and 40 timed inference passes
    over the 5 validation samples; what it keeps is nothing, its transient a step's."""
    cost = budget.fold_study_cost(TINY, ModelConfig(hidden=(6,)), 4)
    step = (
        budget.C_MAC * 3 * 4 * 42
        + budget.C_ELEMENT * 4 * 9 * 2
        + budget.C_PARAM * 51
        + budget.C_LAYER_CALL * 2
        + budget.C_STEP
    )
    inference = budget.C_MAC * 5 * 42 + budget.C_ELEMENT * 5 * 9 + budget.C_LAYER_CALL * 2
    assert cost.seconds == pytest.approx(90 * step + 40 * inference, rel=1e-12)
    assert cost.kept == 0 and cost.peak == 4 * (4 * 51 + 4 * 4 * 9)  # SGD, batch 4 by 9 units


def test_the_folding_study_is_charged_the_steps_and_passes_the_engine_makes():
    """The page runs bn_studies.seconds_per_step and fold_report with their defaults (through
    ui.measure): ``steps`` x ``repeats`` timed steps, ``repeats`` passes before folding and as
    many after."""
    charged = inspect.signature(budget.fold_study_cost).parameters
    per_step = inspect.signature(bn_studies.seconds_per_step).parameters
    fold = inspect.signature(bn_studies.fold_report).parameters
    assert charged["steps"].default == per_step["steps"].default * per_step["repeats"].default
    assert charged["repeats"].default == 2 * fold["repeats"].default


@pytest.fixture(scope="module")
def digits():
    return datasets.load("digits")


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
    assert job.done.wait(10)  # a run that went on would take 100 s
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
        release.wait()
        return 1

    first, _ = board.join("a", blocked, None)
    second, _ = board.join("b", blocked, None)
    try:
        # both threads reach the worker or the queue, however long a busy machine takes to
        # start them; while the worker is blocked, the other cannot start
        deadline = time.monotonic() + 30
        while not (board.queued == 1 and (first.started.is_set() or second.started.is_set())):
            assert time.monotonic() < deadline, "the runs never reached the worker and queue"
            time.sleep(0.01)
        assert first.started.is_set() != second.started.is_set()  # one trains, one queues
    finally:
        release.set()
    assert first.done.wait(10) and second.done.wait(10) and first.value == second.value == 1
    assert board.queued == 0


def test_a_cancelled_comparison_stores_nothing(digits):
    """The runner's worker function raises Cancelled from train()'s epoch callback."""
    from ui import runner

    board = jobs.Board(BoundedCache(4))
    variants = (Variant("a", ModelConfig(hidden=(32,) * 2), TrainConfig(epochs=500)),)
    key = (variants, "digits", (0,), None)
    job, ticket = board.join(key, lambda j: runner._train_all(j, *key, {}), None)
    while job.updates < 3 and not job.done.is_set():
        time.sleep(0.01)
    board.leave(job, ticket)
    assert job.done.wait(10) and isinstance(job.error, jobs.Cancelled)
    assert job.progress[0] < 0.5 and key not in board.store
