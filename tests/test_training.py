import itertools
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from core import ModelConfig, TrainConfig, Variant, compare, datasets, diagnostics, train, training

SMALL = ModelConfig(hidden=(16,) * 4, activation="tanh", init="glorot_uniform")
FAST = TrainConfig(epochs=3, batch_size=64, lr=0.05, probe_size=64)


@pytest.fixture(scope="module")
def moons():
    return datasets.load("moons", seed=0)


@pytest.fixture(scope="module")
def history(moons):
    return train(SMALL, FAST, moons)


def test_frames_have_the_documented_columns(history):
    assert list(history.metrics.columns) == ["epoch", "split", "loss", "accuracy"]
    assert list(history.layers.columns) == [
        "epoch",
        "layer",
        "is_output",
        "grad_norm",
        "bias_grad_norm",
        "backprop_norm",
        "act_mean",
        "act_std",
        "saturated",
        "dead",
        "slope_mean",
        "slope_rms",
        "distinct_units",
        "update_ratio",
    ]
    assert list(history.grad_hist.columns) == ["epoch", "layer", "bin_start", "bin_end", "count"]
    assert list(history.steps.columns) == [
        "step",
        "epoch",
        "loss",
        "grad_norm",
        "clipped",
        "cosine",
    ]
    assert history.diverged_at is None


def test_epoch_zero_is_the_initial_network_and_every_epoch_is_recorded(history):
    assert sorted(history.metrics.epoch.unique()) == [0, 1, 2, 3]
    assert sorted(history.layers.epoch.unique()) == [0, 1, 2, 3]
    assert history.layers[history.layers.epoch == 0].update_ratio.isna().all()
    assert history.layers[history.layers.epoch == 1].update_ratio.gt(0).all()
    # layers counted from 1; the output layer is the last (4 hidden + output)
    assert sorted(history.layers.layer.unique()) == [1, 2, 3, 4, 5]
    # 3 epochs of ceil(480 / 64) = 8 steps
    assert len(history.steps) == 3 * 8


def test_is_output_marks_the_last_layer_once_per_epoch(history):
    layers = history.layers
    assert layers.is_output.dtype == bool
    outputs = layers[layers.is_output]
    assert outputs.epoch.tolist() == [0, 1, 2, 3]  # exactly one row per epoch
    assert (outputs.layer == layers.layer.max()).all()
    hidden = layers[~layers.is_output]
    assert hidden.slope_mean.between(0, 1).all()  # tanh' is in (0, 1]
    assert outputs.slope_mean.isna().all()
    assert (layers.backprop_norm > 0).all() and np.isfinite(layers.backprop_norm).all()


def test_training_reduces_the_loss(history):
    m = history.metrics
    val = m[m.split == "val"].set_index("epoch").loss
    assert val[3] < val[0]


def test_each_histogram_counts_every_weight(history, moons):
    sizes = {1: 2 * 16, 2: 16 * 16, 3: 16 * 16, 4: 16 * 16, 5: 16 * 2}
    totals = history.grad_hist.groupby(["epoch", "layer"])["count"].sum()
    for (_, layer), total in totals.items():
        assert total == sizes[layer]
    probe = 64
    act_totals = history.act_hist.groupby(["epoch", "layer"])["count"].sum()
    assert act_totals[(0, 1)] == probe * 16 and act_totals[(0, 5)] == probe * 2


def test_histogram_bins_are_shared_by_layers_and_runs(history, moons):
    other = train(ModelConfig(hidden=(8,) * 2, activation="relu"), FAST, moons)
    edges = set(np.round(diagnostics.GRAD_LOG_EDGES, 9))
    for frame in (history.grad_hist, other.grad_hist):
        assert set(np.round(frame.bin_start, 9)) <= edges
        assert np.allclose(frame.bin_end - frame.bin_start, np.log10(2))  # octaves


def test_same_seed_gives_identical_frames(moons):
    a, b = train(SMALL, FAST, moons), train(SMALL, FAST, moons)
    for name in ["metrics", "layers", "grad_hist", "act_hist", "steps"]:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    for p, q in zip(a.net.param_arrays(), b.net.param_arrays()):
        assert np.array_equal(p, q)
    c = train(SMALL, replace(FAST, seed=1), moons)
    assert not a.metrics.equals(c.metrics)


def test_divergence_stops_and_keeps_what_was_recorded(moons):
    exploding = ModelConfig(hidden=(64,) * 8, activation="relu", init="random_normal", init_std=3.0)
    h = train(exploding, TrainConfig(epochs=5, lr=0.1), moons)
    assert h.diverged_at is not None and 1 <= h.diverged_at <= 5
    assert h.metrics.epoch.max() == h.diverged_at - 1  # the epochs before it are kept
    assert not np.isfinite(h.steps.loss.iloc[-1]) or not np.isfinite(h.steps.grad_norm.iloc[-1])
    assert h.net is None


def test_on_epoch_receives_the_growing_history(moons):
    seen = []
    train(SMALL, FAST, moons, on_epoch=lambda h: seen.append(h.metrics.epoch.max()))
    assert seen == [0, 1, 2, 3]


def test_diagnostics_can_be_switched_off(moons, monkeypatch):
    # a clock that advances by one at every reading: the times a run reports are then counts of
    # readings, the same on every machine, and only the measurements' spans count as theirs
    clock = itertools.count()
    monkeypatch.setattr(training, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    h = train(SMALL, replace(FAST, diagnostics=False), moons)
    assert h.layers.empty and h.grad_hist.empty
    full = train(SMALL, FAST, moons)
    pd.testing.assert_frame_equal(h.metrics, full.metrics)  # measuring does not change training
    assert h.diagnostics_seconds == 0 and 0 < full.diagnostics_seconds < full.seconds


def test_batchnorm_run_measures_without_touching_moving_stats(moons):
    model = ModelConfig(hidden=(16,) * 3, activation="relu", batchnorm="before")
    with_diag = train(model, FAST, moons)
    without = train(model, replace(FAST, diagnostics=False), moons)
    pd.testing.assert_frame_equal(with_diag.metrics, without.metrics)


@pytest.mark.parametrize("batchnorm", ["none", "before"])
def test_an_input_batchnorm_run_is_measured_like_the_same_network_without_it(moons, batchnorm):
    """A BN on the inputs belongs to no Dense layer: the per-layer frames have the same layers
    as without it, the probe measures without touching its moving averages, and the run
    records the validation split with batch statistics as a BN run does."""
    raw = datasets.load("moons", seed=0, standardize=False)
    plain = ModelConfig(hidden=(16,) * 3, activation="relu", batchnorm=batchnorm)
    model = replace(plain, input_batchnorm=True)
    h = train(model, FAST, raw)
    assert h.diverged_at is None and h.net.input_layers and h.net.layers[0].running_mean.any()
    without = train(plain, FAST, raw)
    keys = ["epoch", "layer", "is_output"]
    pd.testing.assert_frame_equal(h.layers[keys], without.layers[keys])
    assert np.isfinite(h.layers[["grad_norm", "backprop_norm", "act_std"]].to_numpy()).all()
    assert "val_batch_stats" in set(h.metrics.split)
    # layer 1's kernel gradient comes from the normalised inputs: the same layer 1 kernel and
    # probe, but other inputs, give another gradient
    first = h.layers[(h.layers.epoch == 0) & (h.layers.layer == 1)].grad_norm.item()
    first_without = without.layers[(without.layers.epoch == 0) & (without.layers.layer == 1)]
    assert first != first_without.grad_norm.item()
    quiet = train(model, replace(FAST, diagnostics=False), raw)
    pd.testing.assert_frame_equal(h.metrics, quiet.metrics)  # measuring changed nothing
    assert np.array_equal(h.net.layers[0].running_mean, quiet.net.layers[0].running_mean)


def test_clipping_that_never_bites_reproduces_the_unclipped_run(moons):
    base = Variant("none", SMALL, FAST)
    variants = [base] + [
        Variant(m, SMALL, replace(FAST, clip=m, clip_threshold=1e9))
        for m in ["value", "norm", "global_norm"]
    ]
    result = compare(variants, moons)
    ref = result.runs[("none", 0)]
    for m in ["value", "norm", "global_norm"]:
        run = result.runs[(m, 0)]
        assert not run.steps.clipped.any()
        pd.testing.assert_frame_equal(run.metrics, ref.metrics)
        pd.testing.assert_frame_equal(run.layers, ref.layers)


def test_clipping_that_bites_is_recorded(moons):
    h = train(SMALL, replace(FAST, clip="value", clip_threshold=1e-3), moons)
    summary = h.clip_summary()
    assert summary.share_clipped.eq(1.0).all()
    assert (summary.cosine_mean < 1).all()


def test_compare_is_paired_and_tidy(moons):
    variants = [
        Variant("tanh", SMALL, FAST),
        Variant(
            "relu", ModelConfig(hidden=SMALL.hidden, activation="relu", init="glorot_uniform"), FAST
        ),
        Variant("tanh, lr 0.5", SMALL, replace(FAST, lr=0.5)),
    ]
    result = compare(variants, moons, seeds=(0, 1))
    assert list(result.metrics.columns[:2]) == ["variant", "seed"]
    assert set(result.metrics.variant) == {v.name for v in variants}
    assert set(result.metrics.seed) == {0, 1}
    # paired: one seed, one set of initial weights and one probe batch for every variant, so a
    # variant that differs only in its learning rate measures the very same network at epoch 0
    at0 = (
        result.layers[result.layers.epoch == 0].set_index(["variant", "seed", "layer"]).sort_index()
    )
    cols = ["grad_norm", "act_mean", "act_std"]
    for seed in (0, 1):
        assert at0.loc[("tanh", seed)][cols].equals(at0.loc[("tanh, lr 0.5", seed)][cols])
    assert not at0.loc[("tanh", 0)][cols].equals(at0.loc[("tanh", 1)][cols])
    assert result.diverged.diverged_at.isna().all()
    with pytest.raises(ValueError, match="unique"):
        compare([variants[0], variants[0]], moons)


@pytest.mark.parametrize(
    "field,value,match",
    [
        ("optimizer", "rmsprop", "sgd, momentum, adam"),
        ("clip", "max", "none, value, norm, global_norm"),
        ("lr", -1.0, "learning rate"),
        ("epochs", -1, "epochs"),
    ],
)
def test_bad_train_config_raises(field, value, match):
    with pytest.raises(ValueError, match=match):
        TrainConfig(**{field: value})


@pytest.mark.parametrize(
    "field,value,match",
    [("activation", "softplus", "valid activations"), ("init", "xavier", "valid initializers"),
     ("batchnorm", "middle", "none, before, after"), ("hidden", (0,), "hidden"),
     ("input_batchnorm", "before", "True or False")],
)  # fmt: skip
def test_bad_model_config_raises(field, value, match):
    with pytest.raises(ValueError, match=match):
        ModelConfig(**{field: value})


def test_tidy_history_has_one_row_per_observation(moons):
    result = compare([Variant("a", SMALL, FAST)], moons, seeds=(0, 1))
    tidy = result.tidy()
    assert list(tidy.columns) == ["variant", "seed", "epoch", "split", "layer", "quantity", "value"]
    n_metrics = len(result.metrics) * 2  # loss and accuracy
    # minus variant, seed, epoch, layer and is_output (a label, not a measured quantity)
    n_layer_values = len(result.layers) * (len(result.layers.columns) - 5)
    assert len(tidy) == n_metrics + n_layer_values
    assert "is_output" not in set(tidy["quantity"]) and tidy["value"].dtype == float
    back = pd.read_csv(__import__("io").StringIO(tidy.to_csv(index=False)))
    assert back.shape == tidy.shape
    assert set(back["quantity"]) >= {"loss", "accuracy", "grad_norm", "dead"}


def test_final_values_and_diverged_variants(moons):
    exploding = ModelConfig(hidden=(64,) * 8, activation="relu", init="random_normal", init_std=3.0)
    result = compare(
        [Variant("ok", SMALL, FAST), Variant("boom", exploding, TrainConfig(epochs=5, lr=0.1))],
        moons,
        seeds=(0, 1),
    )
    assert result.diverged_variants == {"boom"}
    accuracy = result.final("val", "accuracy")
    assert list(accuracy.index) == ["ok", "boom"]
    ok = result.metrics[(result.metrics.variant == "ok") & (result.metrics.split == "val")]
    assert accuracy["ok"] == pytest.approx(ok[ok.epoch == 3].accuracy.mean())
    boom = result.metrics[(result.metrics.variant == "boom") & (result.metrics.split == "val")]
    last = boom.groupby("seed").epoch.transform("max") == boom.epoch
    assert accuracy["boom"] == pytest.approx(boom[last].accuracy.mean())
