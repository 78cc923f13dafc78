"""theory, bn_studies, saturated intervals, History pickling, epoch-0 runs."""

import pickle
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from core import (
    ModelConfig,
    TrainConfig,
    activations,
    bn_studies,
    build_network,
    datasets,
    theory,
    train,
)
from core.training import History


@pytest.fixture(scope="module")
def digits():
    return datasets.load("digits")


@pytest.mark.parametrize(
    "init,factor", [("he_normal", 1.0), ("glorot_uniform", 0.5), ("random_normal", 50.0)]
)
def test_relu_second_moment_factor(init, factor):
    model = ModelConfig(hidden=(100,) * 3, init=init)
    assert theory.second_moment_factor(model, 100, 100) == pytest.approx(factor)


def test_prediction_matches_measurement_for_relu(digits):
    for init in ("he_normal", "glorot_uniform"):
        model = ModelConfig(hidden=(256,) * 8, init=init)
        h = train(model, TrainConfig(epochs=0, probe_size=512), digits)
        measured = h.layers.act_std.to_numpy()[:8]
        predicted = theory.predicted_act_std(model, measured[0])
        assert np.allclose(measured, predicted, rtol=0.35), (init, measured, predicted)
    assert theory.predicted_act_std(ModelConfig(activation="tanh"), 1.0) is None


def test_saturated_intervals():
    sig = activations.saturated_intervals("sigmoid", -5, 5)
    assert len(sig) == 2 and sig[0][0] == -5 and sig[1][1] == 5
    # sigma'(z) = 0.1 * 0.25 at |z| = ln((1 + sqrt(1 - 0.1)) / (1 - sqrt(1 - 0.1))) ~ 3.64
    assert sig[0][1] == pytest.approx(-3.64, abs=0.01) and sig[1][0] == pytest.approx(
        3.64, abs=0.01
    )
    assert activations.saturated_intervals("relu", -2, 2) == [(-2.0, pytest.approx(0.0, abs=0.002))]
    assert activations.saturated_intervals("leaky_relu", -2, 2) == []


def test_moving_averages_converge_faster_with_lower_momentum():
    X, _ = datasets.digits()
    trace = bn_studies.moving_average_trace(
        X, [("keras", 0.9), ("keras", 0.99)], 32, 300, np.random.default_rng(0)
    )
    last = trace[trace.step == 300].set_index("momentum")
    assert (
        last.loc[0.9, "mean_error"]
        < last.loc[0.99, "mean_error"]
        < trace[trace.step == 1].set_index("momentum").loc[0.99, "mean_error"]
    )


def test_fold_report_before_is_round_off(digits):
    model = ModelConfig(hidden=(32,) * 3, activation="relu", batchnorm="before")
    h = train(model, TrainConfig(epochs=2), digits)
    report = bn_studies.fold_report(h.net, digits.X_val, repeats=2)
    assert report["relative_diff"] < 1e-5
    assert report["params_after"] < report["params_before"]
    assert report["layers_after"] == report["layers_before"] - 3


def test_seconds_per_step_is_the_best_repeat_over_its_steps(digits, monkeypatch):
    # the clock's readings around two repeats of 3 steps: 6 s, then 3 s (no real clock read)
    clock = iter([0.0, 6.0, 10.0, 13.0])
    monkeypatch.setattr(bn_studies, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    model = ModelConfig(hidden=(16,))
    assert bn_studies.seconds_per_step(model, digits, 32, steps=3, repeats=2) == 1.0
    assert next(clock, None) is None  # one reading before and one after each repeat


def test_history_pickles_with_its_frames(digits):
    h = train(ModelConfig(hidden=(16,) * 2), TrainConfig(epochs=1), digits)
    back = pickle.loads(pickle.dumps(h))
    assert isinstance(back, History) and back.diverged_at is None
    for name in ("metrics", "layers", "grad_hist", "act_hist", "steps"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(h, name))
    x = digits.X_val[:5]
    assert np.array_equal(back.net.forward(x), h.net.forward(x))


def test_epochs_zero_measures_the_initial_network(digits):
    h = train(ModelConfig(hidden=(16,) * 2), TrainConfig(epochs=0), digits)
    assert h.metrics.epoch.unique().tolist() == [0] and h.steps.empty and len(h.layers) == 3


def test_batchnorm_runs_report_batch_statistics_too(digits):
    h = train(ModelConfig(hidden=(16,) * 2, batchnorm="before"), TrainConfig(epochs=1), digits)
    assert set(h.metrics.split) == {"train", "val", "val_batch_stats"}


# --- a BN layer on the inputs instead of standardising them ----------------------------------


def test_first_preactivation_std_is_the_first_dense_layers_output_spread():
    rng = np.random.default_rng(0)
    X = (rng.standard_normal((50, 3)) * [0.01, 1, 100] + [0.05, 2, 600]).astype(np.float32)
    for input_bn in (False, True):
        model = ModelConfig(hidden=(4, 4), input_batchnorm=input_bn, bn_convention="torch")
        net = build_network(3, 2, model, np.random.default_rng(1))
        W, b = net.dense[0].params["W"], net.dense[0].params["b"]
        x = X.astype(np.float64)
        if input_bn:  # the batch's own statistics, gamma 1 and beta 0 at initialization
            x = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)
        expected = np.std(x @ W + b)
        got = bn_studies.first_preactivation_std(net, X)
        assert got == pytest.approx(expected, rel=1e-4)
        if input_bn:  # measuring left the moving averages alone
            assert np.array_equal(net.layers[0].running_mean, np.zeros(3, np.float32))


@pytest.mark.parametrize("activation, init", [("relu", "he_normal"), ("tanh", "glorot_uniform")])
def test_an_input_batchnorm_stands_in_for_standardising_the_inputs(activation, init):
    """On breast_cancer (feature scales 0.003 to 570), seeds 0-2, a 6 x 32 network: raw inputs
    give the first layer pre-activations of a few hundred, and the run either diverges (ReLU)
    or learns nothing beyond the majority class (tanh, saturated); standardised inputs learn;
    a BN on the raw inputs learns as well as standardising, and its first layer sees what the
    standardised network's does. (PyTorch's BN convention: its moving averages catch up within
    an epoch, so the inference-mode accuracy tells the story after 10 epochs.)"""
    model = ModelConfig(hidden=(32,) * 6, activation=activation, init=init, bn_convention="torch")
    cfg = TrainConfig(lr=0.01, batch_size=32, epochs=10)
    study = bn_studies.input_bn_study(model, cfg, seeds=(0, 1, 2))
    summary = study.summary.set_index(["seed", "variant"])
    assert list(study.summary.variant.unique()) == ["raw", "standardized", "input_bn"]
    assert [v.model.input_batchnorm for v in study.variants] == [False, False, True]
    assert not study.data["raw"].standardized and study.data["standardized"].standardized
    assert np.array_equal(study.data["raw"].y_val, study.data["standardized"].y_val)
    for seed in (0, 1, 2):
        raw, std, ibn = (summary.loc[(seed, v)] for v in ("raw", "standardized", "input_bn"))
        assert raw.preact_std_init > 100  # the raw scale reaches the first activation
        assert 0.5 < std.preact_std_init < 2 and 0.5 < ibn.preact_std_init < 2
        assert ibn.preact_std_init == pytest.approx(std.preact_std_init, rel=0.1)
        if activation == "relu":
            assert raw.diverged_at == 1
        else:
            assert pd.isna(raw.diverged_at) and raw.val_accuracy <= raw.majority + 0.02
        assert pd.isna(std.diverged_at) and std.val_accuracy >= 0.9
        assert std.val_accuracy >= raw.val_accuracy + 0.25
        assert pd.isna(ibn.diverged_at) and ibn.val_accuracy >= std.val_accuracy - 0.05
        assert not np.isnan(ibn.val_batch_stats_accuracy) and np.isnan(std.val_batch_stats_accuracy)
    # the curves are there for a page to draw, one run per (variant, seed)
    assert set(study.comparison.runs) == {
        (v, s) for v in ("raw", "standardized", "input_bn") for s in (0, 1, 2)
    }
    assert all(h.net is None for h in study.comparison.runs.values())
