"""The work budget: what it charges, counted by hand and against the engine's own counts, the
Lab's decision boundaries charged, the byte-bounded cache, and shared background runs that stop
when nobody waits.

Whether the charged seconds match this machine's CPU time is a measurement, not a test: it
depends on the machine (bench/budget_calibration.py prints both, sample by sample)."""

import inspect
import threading
import time
from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from core import (
    ModelConfig,
    TrainConfig,
    Variant,
    bn_studies,
    boundary,
    datasets,
    diagnostics,
    layers,
    network,
    train,
    training,
)
from core.data import Dataset
from core.diagnostics import ACT_EDGES, GRAD_LOG_EDGES
from ui.caches.cache import BoundedCache, nbytes
from ui.page import technique
from ui.runs import budget, counts, jobs
from ui.story import measure

DIGITS = counts.Shape(n_features=64, n_classes=10, n_train=1437, n_val=360)
TINY = counts.Shape(n_features=4, n_classes=3, n_train=10, n_val=5)


def cost(hidden=(100,) * 10, epochs=5, **kw) -> budget.Cost:
    bn = kw.pop("batchnorm", "none")
    return budget.run_cost(
        DIGITS, ModelConfig(hidden=hidden, batchnorm=bn), TrainConfig(epochs=epochs, **kw)
    )


def charge(counts: dict) -> float:
    """Seconds of ``counts`` by term, each term's constant times its count, summed here."""
    return sum(budget.SECONDS_PER[term] * n for term, n in counts.items())


def tiny_data(n_train=10, n_val=5, features=4, classes=3) -> Dataset:
    rng = np.random.default_rng(0)
    return Dataset(
        rng.normal(size=(n_train, features)).astype(np.float32), np.arange(n_train) % classes,
        rng.normal(size=(n_val, features)).astype(np.float32), np.arange(n_val) % classes,
        classes, "tiny", np.zeros(features), np.ones(features),
    )  # fmt: skip


# --- the model's arithmetic --------------------------------------------------------------------

#: The 4-6-3 ReLU network, 2 epochs of batches of 4 on 10 samples, 5 validation samples, every
#: count by hand. 4*6 + 6*3 = 42 kernel weights (24 in the first layer), 6 hidden units, 2 Dense
#: layers and 1 activation layer, 42 + 6 + 3 = 51 parameters; 2 epochs of ceil(10 / 4) = 3
#: steps; one chunk per prediction. Passes: training 20 samples forward and back (macs 3 * 42 -
#: 24 = 102 each) in 6 batches; evaluation of 10 + 3 * 5 samples forward (42 each) in 4 calls per
#: layer; the probe (all 10 samples) forward and back at epochs 0, 1, 2, its derivative again.
TINY_RELU = {
    "mac": 20 * 102 + 25 * 42 + 3 * 10 * 102,
    "activation_forward/relu": (20 + 25 + 3 * 10) * 6,
    "activation_backward/relu": (20 + 3 * 10 + 3 * 10) * 6,
    "dense_call": (2 * 6 + 4 + 3 * 2) * 2,
    "activation_call/relu": (2 * 6 + 4 + 3 * 2) * 1 + 3,
    "step": 6,
    "update/sgd": 6 * 51,
    "evaluation": 4,
    "weight_draw": 42,
    "diag_layer": 3 * 2,
    "diag_param": 3 * 51,
    "diag_element": 3 * 10 * 9,
}


def test_a_charge_is_each_term_times_its_count_counted_by_hand():
    model, cfg = ModelConfig(hidden=(6,)), TrainConfig(epochs=2, batch_size=4)
    assert TINY_RELU["mac"] == 6150 and TINY_RELU["activation_forward/relu"] == 450
    assert counts.run_work(TINY, model, cfg) == Counter(TINY_RELU)
    cost = budget.run_cost(TINY, model, cfg)
    assert cost.seconds == pytest.approx(charge(TINY_RELU), rel=1e-12)
    bins = len(GRAD_LOG_EDGES) + len(ACT_EDGES)
    assert cost.kept == 3 * 2 * (budget.LAYER_ROW_BYTES + bins * budget.HIST_ROW_BYTES) + 6 * 48
    # SGD: weights, gradients and two update copies of 51 float32s; four arrays of the largest
    # batch (the probe's 10 samples) by 9 units
    assert cost.peak == 4 * (4 * 51 + 4 * 10 * 9)


def test_a_gelu_run_costs_more_than_relu_by_its_elements_and_calls():
    """The same run with GELU instead of ReLU: the difference is exactly the activations'
    per-element costs (forward and back) and per-call costs times their counts."""
    cfg = TrainConfig(epochs=2, batch_size=4)
    relu = budget.run_cost(TINY, ModelConfig(hidden=(6,)), cfg).seconds
    gelu = budget.run_cost(TINY, ModelConfig(hidden=(6,), activation="gelu"), cfg).seconds
    per = budget.SECONDS_PER
    difference = sum(
        (per[f"{term}/gelu"] - per[f"{term}/relu"]) * TINY_RELU[f"{term}/relu"]
        for term in ("activation_forward", "activation_backward", "activation_call")
    )
    assert gelu - relu == pytest.approx(difference, rel=1e-9)
    assert per["activation_forward/gelu"] > 10 * per["activation_forward/relu"]
    assert gelu > relu


def test_batch_norm_adds_its_elements_calls_and_evaluations_counted_by_hand():
    model, cfg = ModelConfig(hidden=(6,), batchnorm="before"), TrainConfig(epochs=2, batch_size=4)
    work = counts.run_work(TINY, model, cfg)
    plain = Counter(TINY_RELU)
    # the BN layer in training mode: 20 training samples and 3 probes of 10, both ways, plus the
    # validation split with its own statistics (3 x 5 samples, forward); with the moving
    # averages: the 10 + 3 * 5 samples predicted
    assert work["bn_forward"] == (20 + 30 + 15) * 6 and work["bn_backward"] == (20 + 30) * 6
    assert work["bn_inference"] == 25 * 6
    # a BN layer is called wherever its Dense layer is, plus once per batch-statistics pass
    assert work["bn_call"] == (2 * 6 + 4 + 3 * 2) + 3
    # the batch-statistics passes: 3 more evaluations of 5 samples through every layer
    assert work["evaluation"] - plain["evaluation"] == 3
    assert work["mac"] - plain["mac"] == 3 * 5 * 42
    assert work["dense_call"] - plain["dense_call"] == 3 * 2
    # no hidden bias, gamma and beta: 42 + 3 + 2 * 6 = 57 parameters
    assert work["update/sgd"] == 6 * 57 and work["diag_param"] == 3 * 57
    cost = budget.run_cost(TINY, model, cfg)
    assert cost.seconds == pytest.approx(charge(work), rel=1e-12)
    extra = charge({t: work[t] - plain[t] for t in work})
    assert cost.seconds - charge(plain) == pytest.approx(extra, rel=1e-9)
    assert budget.SECONDS_PER["bn_call"] > 0 and budget.SECONDS_PER["bn_forward"] > 0


def test_batch_norm_layer_calls_dominate_at_batch_size_one():
    """At batch size 1 a BN layer's calls cost more than its elements: the charge grows with
    steps, not samples."""
    model = ModelConfig(hidden=(8,) * 30, batchnorm="before")
    work = counts.run_work(DIGITS, model, TrainConfig(epochs=1, batch_size=1))
    calls = budget.SECONDS_PER["bn_call"] * work["bn_call"]
    elements = budget.SECONDS_PER["bn_forward"] * work["bn_forward"]
    elements += budget.SECONDS_PER["bn_backward"] * work["bn_backward"]
    assert work["bn_call"] >= 2 * 1437 * 30 and calls > elements


def test_diagnostics_and_clipping_and_optimizers_are_counted():
    model, cfg = ModelConfig(hidden=(6,)), TrainConfig(epochs=2, batch_size=4)
    quiet = counts.run_work(TINY, model, replace(cfg, diagnostics=False))
    # no probe passes, no derivative again, no measurements
    assert quiet["mac"] == 20 * 102 + 25 * 42
    assert quiet["activation_backward/relu"] == 20 * 6
    assert not any(term.startswith("diag") for term in quiet)
    clipped = counts.run_work(TINY, model, replace(cfg, clip="value"))
    assert clipped - Counter(TINY_RELU) == Counter({"clip_update": 6 * 51})
    adam = counts.run_work(TINY, model, replace(cfg, optimizer="adam"))
    assert adam["update/adam"] == 6 * 51 and "update/sgd" not in adam


def test_predictions_go_in_chunks_as_the_network_passes_them():
    """``Network.predict`` passes at most PREDICT_CHUNK values per layer output: 1000 samples
    through a layer of 300 units go in ceil(1000 / (2^18 // 300)) = 2 chunks."""
    assert (
        counts.PREDICT_CHUNK
        == inspect.signature(network.Network.predict).parameters["chunk_elements"].default
    )
    net = counts.layout(counts.Shape(4, 3, 1000, 1000), ModelConfig(hidden=(300,)))
    assert counts.predict(net, 1000)["dense_call"] == 2 * 2
    assert counts.predict(net, 873)["dense_call"] == 1 * 2  # 2^18 // 300 = 873 rows a chunk
    assert counts.predict(net, 0)["dense_call"] == 2  # an empty prediction is still one pass


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


def test_two_heavy_gelu_links_are_refused():
    """/initialization?activation=gelu&inits=(four)&depth=100&width=200&batch_size=64&epochs=1
    and a Lab link on spirals with four GELU variants of 100 x 240, batch 64, 2 epochs (with
    their boundaries): each is over the budget."""
    cfg = TrainConfig(epochs=1, batch_size=64)
    inits = ("glorot_normal", "glorot_uniform", "lecun_normal", "lecun_uniform")
    runs = [(ModelConfig(hidden=(200,) * 100, activation="gelu", init=i), cfg) for i in inits]
    assert budget.comparison_cost(DIGITS, runs, 1).seconds > budget.MAX_SECONDS
    spirals = counts.Shape(n_features=2, n_classes=2, n_train=480, n_val=120)
    gelu = ModelConfig(hidden=(240,) * 100, activation="gelu")
    lab = [(gelu, TrainConfig(epochs=2, batch_size=64))] * 4
    drawn = budget.boundaries_cost(spirals, [gelu] * 4)
    assert drawn.seconds > budget.MAX_SECONDS  # the boundaries alone
    assert (budget.comparison_cost(spirals, lab, 1) + drawn).seconds > 2 * budget.MAX_SECONDS


def test_costs_add_over_runs_and_seeds():
    model, cfg = ModelConfig(hidden=(32,) * 3), TrainConfig(epochs=2)
    one = budget.run_cost(DIGITS, model, cfg)
    both = budget.comparison_cost(DIGITS, [(model, cfg), (model, cfg)], seeds=3)
    assert both.seconds == pytest.approx(6 * one.seconds)
    assert both.kept == 6 * one.kept and both.peak == one.peak  # runs one after the other


def test_kept_bytes_grow_with_epochs_and_layers():
    assert cost((8,) * 100, 200).kept > 10 * cost((8,) * 10, 20).kept
    assert cost((8,) * 100, 200, batch_size=1024).bytes > budget.MAX_BYTES / 4


def test_batch_norm_and_adam_change_the_transient_bytes():
    model, cfg = ModelConfig(hidden=(6,), batchnorm="before"), TrainConfig(epochs=2, batch_size=4)
    bn, plain = budget.run_cost(TINY, model, cfg), budget.run_cost(TINY, ModelConfig((6,)), cfg)
    # 6 more parameters in each of 4 slots; an evaluation with batch statistics keeps every
    # layer's output: 3 * 5 * 9 more floats
    assert bn.peak - plain.peak == 4 * (4 * 6 + 3 * 5 * 9)
    adam = budget.run_cost(TINY, ModelConfig(hidden=(6,)), replace(cfg, optimizer="adam"))
    assert adam.peak - plain.peak == 4 * 2 * 51


def test_max_epochs_is_the_most_that_fits():
    runs = [(ModelConfig(hidden=(256,) * 10), TrainConfig(epochs=1))] * 4
    n = budget.max_epochs(DIGITS, runs, seeds=1)
    assert n >= 1

    def total(epochs):
        return budget.comparison_cost(DIGITS, [(m, replace(c, epochs=epochs)) for m, c in runs], 1)

    assert total(n).seconds <= budget.MAX_SECONDS < total(n + 1).seconds
    default = [(ModelConfig(hidden=(100,) * 10), TrainConfig(epochs=5))] * 4
    assert budget.comparison_cost(DIGITS, default, 1).seconds <= budget.MAX_SECONDS
    # with work on top of the training (e.g. boundaries), fewer epochs fit
    extra = budget.Cost(seconds=total(n).seconds / 2)
    fewer = budget.max_epochs(DIGITS, runs, seeds=1, extra=extra)
    assert fewer < n and (total(fewer) + extra).seconds <= budget.MAX_SECONDS
    assert (total(fewer + 1) + extra).seconds > budget.MAX_SECONDS


def test_max_epochs_is_zero_when_not_even_one_epoch_fits():
    # measuring alone (epochs=0) of five seeds of 100 x 512 is over the budget (above)
    assert budget.max_epochs(DIGITS, [(ModelConfig(hidden=(512,) * 100), TrainConfig())], 5) == 0


def test_the_folding_study_is_charged_its_steps_and_passes_counted_by_hand():
    """The 4-6-3 network: 90 timed SGD steps of batches of 4 on a fresh network; with BN, 21
    predictions (20 timed, 1 compared) of the 5 validation samples by the network and by its
    folded copy. It keeps nothing; its transient is a step's."""
    model = ModelConfig(hidden=(6,))
    work = counts.fold_study_work(TINY, model, 4)
    step = {"mac": 4 * 102, "activation_forward/relu": 4 * 6, "activation_backward/relu": 4 * 6}
    step |= {"dense_call": 4, "activation_call/relu": 2, "step": 1, "update/sgd": 51}
    assert work == Counter({"weight_draw": 42, **{t: 90 * n for t, n in step.items()}})
    cost = budget.fold_study_cost(TINY, model, 4)
    assert cost.seconds == pytest.approx(charge(work), rel=1e-12)
    assert cost.kept == 0 and cost.peak == 4 * (4 * 51 + 4 * 4 * 9)  # SGD, batch 4 by 9 units
    bn = counts.fold_study_work(TINY, replace(model, batchnorm="after"), 4)
    assert bn["bn_inference"] == 21 * 5 * 6 and bn["bn_call"] == 90 * 2 + 21
    assert bn["mac"] - 90 * 4 * 102 == 2 * 21 * 5 * 42  # both networks, the same kernels


def test_the_folding_study_is_charged_the_steps_and_passes_the_engine_makes():
    """The page runs bn_studies.seconds_per_step and fold_report with their defaults (through
    ui.story.measure): ``steps`` x ``repeats`` timed steps, ``repeats`` timed passes of each network."""
    charged = inspect.signature(budget.fold_study_cost).parameters
    per_step = inspect.signature(bn_studies.seconds_per_step).parameters
    fold = inspect.signature(bn_studies.fold_report).parameters
    assert charged["steps"].default == per_step["steps"].default * per_step["repeats"].default
    assert charged["repeats"].default == fold["repeats"].default


def test_boundaries_are_charged_the_grid_counted_by_hand():
    """A 2-6-2 network's boundaries: 60 x 60 = 3600 points forward in one chunk, one grid."""
    plane = counts.Shape(n_features=2, n_classes=2, n_train=480, n_val=120)
    model = ModelConfig(hidden=(6,), activation="gelu", batchnorm="after")
    work = counts.boundary_work(plane, model)
    assert work == Counter(
        {
            "mac": 3600 * (2 * 6 + 6 * 2),
            "activation_forward/gelu": 3600 * 6,
            "bn_inference": 3600 * 6,
            "dense_call": 2,
            "activation_call/gelu": 1,
            "bn_call": 1,
            "evaluation": 1,
        }
    )
    cost = budget.boundary_cost(plane, model)
    assert cost.seconds == pytest.approx(charge(work), rel=1e-12)
    assert cost.kept == 3600 * budget.CELL_ROW_BYTES
    assert (
        counts.BOUNDARY_STEPS
        == inspect.signature(boundary.decision_grid).parameters["steps"].default
    )
    both = budget.boundaries_cost(plane, [model, replace(model, activation="relu")])
    assert both.seconds == pytest.approx(
        cost.seconds + budget.boundary_cost(plane, replace(model, activation="relu")).seconds
    )


# --- the counts against the engine's --------------------------------------------------------


class Tally:
    """Counts what the engine does while it is installed: every layer call made by a network
    (a layer's forward calling its own inference counts once), multiply-adds, elements through
    the activations and BN layers, evaluations and the slope statistics' derivatives."""

    def __init__(self, monkeypatch):
        self.counts = Counter()
        self.inside = 0
        for cls, kind in (
            (layers.Dense, "dense"),
            (layers.BatchNorm, "bn"),
            (layers.Activation, "a"),
        ):
            for method in ("forward", "backward", "infer"):
                monkeypatch.setattr(cls, method, self.wrap(getattr(cls, method), kind, method))
        stats, evaluate = diagnostics.activation_stats, training.evaluate

        def slope_statistics(act):
            if act is not None:
                self.counts[f"activation_call/{act.name}"] += 1
                self.counts[f"activation_backward/{act.name}"] += act.z.size
            return stats(act)

        def evaluation(*args, **kw):
            self.counts["evaluation"] += 1
            return evaluate(*args, **kw)

        monkeypatch.setattr(diagnostics, "activation_stats", slope_statistics)
        monkeypatch.setattr(training, "evaluate", evaluation)

    def wrap(self, method, kind, name):
        def counted(layer, x, *args, **kw):
            if self.inside == 0:
                self.count(layer, kind, name, x, *args, **kw)
            self.inside += 1
            try:
                return method(layer, x, *args, **kw)
            finally:
                self.inside -= 1

        return counted

    def count(self, layer, kind, name, x, *args, **kw):
        c = self.counts
        if kind == "dense":
            c["dense_call"] += 1
            w = layer.params["W"].size
            input_grad = kw.get("input_grad", args[0] if args else True)
            c["mac"] += len(x) * w * (1 + bool(input_grad) if name == "backward" else 1)
        elif kind == "a":
            c[f"activation_call/{layer.name}"] += 1
            direction = "backward" if name == "backward" else "forward"
            c[f"activation_{direction}/{layer.name}"] += x.size
        else:
            c["bn_call"] += 1
            training_mode = name == "forward" and kw.get("training", args[0] if args else False)
            mode = "backward" if name == "backward" else "forward" if training_mode else "inference"
            c[f"bn_{mode}"] += x.size


LAYER_TERMS = ("mac", "dense_call", "bn_call", "bn_forward", "bn_backward", "bn_inference")


def engine_terms(work: Counter) -> Counter:
    """The terms of ``work`` a :class:`Tally` counts."""
    kept = ("activation_", "evaluation", *LAYER_TERMS)
    return Counter({t: n for t, n in work.items() if t.startswith(kept)})


@pytest.mark.parametrize(
    "hidden, activation, batchnorm, cfg",
    [
        ((6,), "relu", "none", TrainConfig(epochs=2, batch_size=4)),
        ((6, 5), "gelu", "before", TrainConfig(epochs=2, batch_size=3)),
        ((7,), "swish", "after", TrainConfig(epochs=1, batch_size=16, diagnostics=False)),
        ((300,), "tanh", "after", TrainConfig(epochs=1, batch_size=500)),  # predictions in chunks
        ((4,), "sigmoid", "none", TrainConfig(epochs=0)),
    ],
)
def test_the_counts_charged_are_the_counts_the_engine_makes(
    monkeypatch, hidden, activation, batchnorm, cfg
):
    """A run on a small data set, every layer call, multiply-add, element and evaluation
    counted as the engine makes them, against what the charge counts (milliseconds of work)."""
    n_train = 1000 if hidden == (300,) else 10
    data = tiny_data(n_train=n_train, n_val=n_train // 2)
    shape = counts.Shape(4, 3, n_train, n_train // 2)
    model = ModelConfig(hidden=hidden, activation=activation, batchnorm=batchnorm)
    tally = Tally(monkeypatch)
    history = train(model, cfg, data)
    work = counts.run_work(shape, model, cfg)
    assert tally.counts == engine_terms(work)
    assert history.n_params == counts.layout(shape, model).params
    assert len(history.steps) == work["step"]
    assert (
        history.layers.empty
        or history.layers.epoch.nunique() * len(hidden + (3,)) == work["diag_layer"]
    )


def test_the_folding_study_counts_are_the_engines(monkeypatch):
    data = tiny_data()
    for placement in ("none", "before", "after"):
        model = ModelConfig(hidden=(6, 5), activation="elu", batchnorm=placement)
        net = network.build_network(4, 3, model, np.random.default_rng(0))
        tally = Tally(monkeypatch)
        measure.fold_summary(Variant("v", model, TrainConfig(batch_size=4)), net, data)
        assert tally.counts == engine_terms(counts.fold_study_work(TINY, model, 4)), placement


def test_the_boundary_counts_are_the_engines(monkeypatch):
    plane = datasets.load("spirals")
    shape = counts.Shape(2, 2, len(plane.X_train), len(plane.X_val))
    for hidden in ((8,), (300, 5)):  # one chunk; 2^18 // 300 = 873 rows a chunk: 5 chunks
        model = ModelConfig(hidden=hidden, activation="selu", batchnorm="before")
        net = network.build_network(2, 2, model, np.random.default_rng(0))
        tally = Tally(monkeypatch)
        grid = measure.boundary_grid(Variant("v", model, TrainConfig()), net, plane)
        assert len(grid) == counts.BOUNDARY_STEPS**2
        tally.counts["evaluation"] += 1  # the grid built: no evaluate() call to count
        assert tally.counts == engine_terms(counts.boundary_work(shape, model))


@pytest.mark.parametrize("batchnorm", ["none", "before"])
def test_a_bn_layer_on_the_inputs_is_counted_as_the_engine_runs_it(monkeypatch, batchnorm):
    """With ``input_batchnorm`` the inputs go through a BN layer (training mode in steps and
    probe passes, moving averages in predictions, batch statistics once more per evaluation),
    and the first Dense computes dL/dx: the counts charged are the engine's."""
    data = tiny_data()
    model = ModelConfig(hidden=(6, 5), activation="tanh", batchnorm=batchnorm, input_batchnorm=True)
    cfg = TrainConfig(epochs=2, batch_size=4)
    tally = Tally(monkeypatch)
    history = train(model, cfg, data)
    work = counts.run_work(TINY, model, cfg)
    assert tally.counts == engine_terms(work)
    assert history.n_params == counts.layout(TINY, model).params
    plain = counts.run_work(TINY, replace(model, input_batchnorm=False), cfg)
    assert work["bn_call"] > plain["bn_call"] and work["mac"] > plain["mac"]


def test_the_first_layer_spread_is_charged_what_the_engine_does(monkeypatch):
    """``measure_training.first_layer_spread`` (the input-BN study's read-out) builds and
    evaluates the network, then passes the training split through its first layer: the counts
    charged are the engine's, with and without a BN layer on the inputs."""
    from ui.caches import data
    from ui.story import measure_training

    raw = data.raw_id("breast_cancer")
    d = data.load(raw)
    shape = counts.Shape(d.n_features, d.n_classes, len(d.X_train), len(d.X_val))
    cfg = TrainConfig(epochs=3)
    for input_bn in (False, True):
        model = ModelConfig(hidden=(8, 8), activation="tanh", input_batchnorm=input_bn)
        tally = Tally(monkeypatch)
        measure_training.first_layer_spread(raw, model, cfg)
        monkeypatch.undo()
        tally.counts["evaluation"] += 1  # the standard deviation taken: no evaluate() call
        built = counts.run_work(shape, model, replace(cfg, epochs=0, diagnostics=False))
        expected = engine_terms(built + counts.spread_work(shape, model))
        assert tally.counts == expected, input_bn
        assert budget.spread_cost(shape, model, cfg).seconds == pytest.approx(
            budget.run_cost(shape, model, replace(cfg, epochs=0, diagnostics=False)).seconds
            + charge(counts.spread_work(shape, model))
        )


def test_the_input_bn_study_charges_every_run_and_spread_it_makes(monkeypatch):
    """With ``bn_inputs=1`` the batch-normalization page asks for the study's runs on raw and on
    standardised breast cancer, each run's cost counting its input BN, and charges on top the
    first-layer spreads its read-out computes, one per run."""
    from apptest_helpers import open_page

    from ui.caches import data
    from ui.runs import runner
    from ui.story import measure_training

    asked = []

    def record(variants, labels, dataset, seeds, tr, summarise=None, extra=None):
        asked.append((tuple(variants), dataset, tuple(seeds), extra))

    monkeypatch.setattr(runner, "run", record)
    at = open_page("batch-normalization", bn_inputs="1", seeds="2")
    assert not at.exception, [e.value for e in at.exception]
    monkeypatch.undo()
    study = [a for a in asked if a[1].startswith(measure_training.INPUT_BN_DATASET)]
    # the page stops at the first comparison that does not run: here, every one
    assert [(tuple(v.name for v in a[0]), a[1]) for a in study] == [
        (("raw", "input_bn"), data.raw_id("breast_cancer"))
    ]
    variants, dataset, seeds, extra = study[0]
    assert seeds == (0, 1) and [v.model.input_batchnorm for v in variants] == [False, True]
    d = data.load(dataset)
    shape = counts.Shape(d.n_features, d.n_classes, len(d.X_train), len(d.X_val))
    spreads = sum((budget.spread_cost(shape, v.model, v.train) for v in variants), budget.Cost())
    assert extra == spreads.times(2) and extra.seconds > 0
    with_bn, without = (budget.run_cost(shape, v.model, v.train) for v in variants[::-1])
    assert with_bn.seconds > without.seconds and with_bn.peak > without.peak


# --- the Lab charges its boundaries ------------------------------------------------------------


def lab_section_arguments(monkeypatch, **query) -> dict:
    """What the Lab passes to technique.section when opened with ``query`` (the section
    itself not run: nothing trains)."""
    from apptest_helpers import open_page

    seen = {}

    def record(variants, labels, s, key, summarise=None, extra=None):
        seen.update(variants=variants, seeds=s.seed_list, summarise=summarise, extra=extra)

    monkeypatch.setattr(technique, "section", record)
    at = open_page("lab", **query)
    assert not at.exception, [e.value for e in at.exception]
    monkeypatch.undo()
    return seen


def test_the_lab_charges_the_boundaries_of_every_variant(monkeypatch):
    """On a 2-D data set, the Lab charges one boundary grid per variant on top of the training;
    on digits, none."""
    seen = lab_section_arguments(monkeypatch, dataset="spirals", variants="3")
    shape = counts.Shape(2, 2, 480, 120)
    assert len(seen["variants"]) == 3 and seen["summarise"] is measure.boundary_grid
    expected = budget.boundaries_cost(shape, [v.model for v in seen["variants"]])
    assert seen["extra"] == expected and expected.seconds > 0
    assert lab_section_arguments(monkeypatch, dataset="digits")["extra"] is None


def test_the_lab_is_refused_when_only_its_boundaries_go_over_the_budget(monkeypatch):
    """A budget the training fits in but not the training and its boundaries: the Lab on
    spirals says it is over the budget (with the boundaries uncharged, it would train)."""
    from apptest_helpers import open_page

    query = {"dataset": "spirals", "seed": "7919"}  # a seed no other test trains: not cached
    seen = lab_section_arguments(monkeypatch, **query)
    shape = counts.Shape(2, 2, 480, 120)
    runs = [(v.model, v.train) for v in seen["variants"]]
    training = budget.comparison_cost(shape, runs, len(seen["seeds"])).seconds
    drawn = budget.boundaries_cost(shape, [model for model, _ in runs]).seconds
    monkeypatch.setattr(budget, "MAX_SECONDS", training + drawn / 2)
    at = open_page("lab", **query)
    assert not at.exception
    assert any("of computing" in w.value for w in at.warning)
    assert training <= budget.MAX_SECONDS


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
    """The shared runs' worker function raises Cancelled from train()'s epoch callback."""
    from ui.runs import shared

    board = jobs.Board(BoundedCache(4))
    variants = (Variant("a", ModelConfig(hidden=(32,) * 2), TrainConfig(epochs=500)),)
    key = (variants, "digits", (0,), None)
    job, ticket = board.join(key, lambda j: shared.train_all(j, *key, {}), None)
    while job.updates < 3 and not job.done.is_set():
        time.sleep(0.01)
    board.leave(job, ticket)
    assert job.done.wait(10) and isinstance(job.error, jobs.Cancelled)
    assert job.progress[0] < 0.5 and key not in board.store
