"""The measurements behind the lessons' sentences: what sets the gradient's size (the RMS slope,
not the mean), what counts as a spike, how a lesson's claims reach its banner."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from core import Comparison, ModelConfig, TrainConfig, Variant, compare, datasets, train
from core.clipping import spike_ratios, spikes
from ui.story import claims, claims_bn, lessons, measure, measure_training, readouts
from ui.story.view import ComparisonView
from ui.text.format import percent, power_of_ten
from ui.text.i18n import Text

DIGITS = datasets.load("digits")


def view_of(variants, seeds=(0,), lang="en") -> ComparisonView:
    comp = compare(variants, DIGITS, seeds)
    labels = tuple((v.name, v.name) for v in variants)
    return ComparisonView(comp, tuple(variants), "digits", seeds, labels, Text(lang), 10)


def at_init(activation, init, **model):
    config = ModelConfig(hidden=(100,) * 10, activation=activation, init=init, **model)
    return Variant(f"{activation}_{init}", config, TrainConfig(epochs=0))


@pytest.fixture(scope="module")
def slopes():
    return view_of(
        [
            at_init("relu", "he_normal"),
            at_init("relu", "glorot_uniform"),
            at_init("sigmoid", "glorot_uniform"),
            at_init("sigmoid", "random_normal"),
            at_init("tanh", "glorot_uniform"),
        ]
    )


def test_the_rms_slope_predicts_the_gradient_ratio_where_the_mean_slope_misses_it(slopes):
    for v in slopes.variants:
        predicted, by_mean, measured = measure.slope_predictions(slopes, v.name)
        assert predicted == pytest.approx(measured, rel=0.5), v.name
    # ReLU + He: the mean slope 1/2 would halve the gradient at every layer; it stays level
    predicted, by_mean, measured = measure.slope_predictions(slopes, "relu_he_normal")
    assert 0.5 < measured < 2 and by_mean < measured / 10
    layers = slopes.layers(0, output=False)
    relu = layers[layers["variant"] == "relu_he_normal"]
    assert np.allclose(relu["slope_rms"], np.sqrt(relu["slope_mean"]))  # ReLU's f' is 0 or 1
    assert claims.state("rms_slope", slopes, name="relu_he_normal").held
    # sigmoid with Glorot weights: mean and RMS agree (no saturation), both predict the vanishing
    assert claims.state("rms_slope", slopes, name="sigmoid_glorot_uniform").text.startswith(
        "Measured"
    )


def test_large_weights_saturate_sigmoid_and_make_up_for_its_small_slopes(slopes):
    s = claims.state("saturation", slopes, sigmoid="sigmoid_random_normal")
    assert s.held and "√(fan_in·Var W) = 10" in s.text
    assert "barely learn" not in s.text
    sat = measure.hidden_mean(slopes, "saturated", 0)["sigmoid_random_normal"]
    assert sat > measure.SATURATED_ABOVE


def test_relu_with_glorot_weights_halves_the_second_moment_per_layer(slopes):
    s = claims.state("relu_shrinks", slopes, relu="relu_glorot_uniform")
    assert s.held and "= 0.5" in s.text
    assert not claims.state("relu_shrinks", slopes, relu="relu_he_normal").held  # He keeps it


def test_a_spike_is_judged_against_the_median_of_the_steps_before_it():
    norms = np.full(400, 2.0)
    norms[:10] = 50.0  # the first steps have no history to be judged against
    norms[150] = 9.0  # 4.5x the median: not a spike
    norms[200] = 11.0  # 5.5x: a spike
    norms[250:] = 0.1  # the run settles; a step of 1.0 is now a spike, 10x the new median
    norms[399] = 1.0
    found = spikes(norms)
    assert list(np.nonzero(found)[0]) == [200, 399]
    assert spike_ratios(norms)[200] == pytest.approx(5.5)
    assert spikes(np.array([1.0] * 20 + [np.inf]))[-1]  # a blow-up to inf is a spike


def test_the_spike_that_set_off_a_divergence_is_the_start_of_the_last_run_of_spikes():
    steps = pd.DataFrame({"spike": [False, True, False, False, True, True, True]})
    assert measure_training.last_spike(steps) == (4, 3)
    assert measure_training.last_spike(steps.assign(spike=False)) == (-1, 0)


def test_every_lesson_claim_names_a_claim_and_variants_of_its_page():
    for lesson in lessons.LESSONS:
        for claim, roles in lesson.claims:
            assert claims.CLAIMS[claim.name] is claim, (lesson.name, claim.name)
            assert roles and all(isinstance(v, str) for _, v in roles)


def test_a_lesson_claim_about_a_variant_the_page_does_not_show_is_left_out():
    he = Variant("he_normal", ModelConfig(hidden=(16,) * 3), TrainConfig(epochs=1))
    view = view_of([he])  # the exploding lesson without its N(0, 1) variant
    assert lessons.BY_NAME["exploding"].statements(view) == []


def test_the_moving_averages_lag_after_one_epoch():
    model = ModelConfig(hidden=(32,) * 4, activation="relu", init="he_normal", batchnorm="before")
    view = view_of([Variant("bn", model, TrainConfig(epochs=3, batch_size=32, lr=0.05))])
    s = claims.state("moving_lag", view)
    metrics = view.comp.metrics
    at1 = metrics[metrics["epoch"] == 1].set_index("split")["accuracy"]
    assert s.held == (at1["val_batch_stats"] >= at1["val"] + claims_bn.LAG_POINTS)
    assert "momentum 0.99" in s.text or not s.held


#: The batch-normalization page set to show BN's regularizing effect: a network that learns
#: without BN too, trained long enough to fit its training set.
REGULARIZE_LINK = {
    "bns": "none,before",
    "bn_activation": "relu",
    "bn_init": "he_normal",
    "epochs": "30",
    "lr": "0.05",
}


@pytest.mark.parametrize("seed", (0, 1, 2))
def test_bn_narrows_the_gap_between_training_and_validation(seed):
    from apptest_helpers import open_page

    from ui.page.quiz import STATED

    at = open_page("batch-normalization", **REGULARIZE_LINK, seed=str(seed))
    assert not at.exception
    stated = dict(at.session_state[STATED])
    assert stated.get("bn_regularizes") is True and "bn_rescues" not in stated


#: The claims of the batch-normalization page's input-BN study (``bn_inputs=1``).
INPUT_BN_CLAIMS = ("raw_inputs_fail", "standardizing_fixes", "input_bn_fixes")


def input_bn_view(seed: int, lang: str = "en") -> ComparisonView:
    """The study's three arms at the section's settings, one seed, as the page shows them: the
    runs on raw features and the run on standardised ones, each on its data set."""
    from ui.caches import data

    views = []
    for arms in measure_training.input_bn_variants(seed):
        where = measure_training.arm_data(measure_training.INPUT_BN_DATASET, arms[0].name)
        comp = compare(arms, data.load(where), (seed,))
        labels = tuple((v.name, v.name) for v in arms)
        views.append(ComparisonView(comp, tuple(arms), where, (seed,), labels, Text(lang), 2))
    return measure_training.input_bn_view(*views)


@pytest.mark.parametrize("seed", (0, 1, 2))
def test_raw_inputs_fail_and_standardizing_or_an_input_bn_fixes_them(seed):
    """On every seed: raw breast-cancer features leave the network at the one-class share,
    standardised ones and a BN layer on the raw ones both train it; the claims say so, and
    their numbers are the runs'."""
    from core import bn_studies

    view = input_bn_view(seed)
    assert [v.name for v in view.variants] == ["raw", "standardized", "input_bn"]
    assert [v.model.input_batchnorm for v in view.variants] == [False, False, True]
    final = view.comp.final("val", "accuracy")
    share = measure_training.one_class_share(view)
    y = datasets.load("breast_cancer").y_val
    assert share == pytest.approx(np.bincount(y).max() / len(y))
    assert final["raw"] <= share + measure_training.ONE_CLASS_MARGIN
    assert final["standardized"] >= 0.95 and final["input_bn"] >= final["standardized"] - 0.05
    for name in INPUT_BN_CLAIMS:
        statement = claims.state(name, view)
        assert statement.held, (seed, name, statement.text)
    # the spreads quoted are the engine's, on the data each arm trains on
    raw = datasets.load("breast_cancer", standardize=False)
    net = train(view.variant("raw").model, replace(view.variant("raw").train, seed=seed,
                epochs=0, diagnostics=False), raw).net  # fmt: skip
    spread = bn_studies.first_preactivation_std(net, raw.X_train)
    assert measure_training.input_spread(view, "raw") == pytest.approx(spread)
    assert spread > 100 > 1 > measure_training.input_spread(view, "input_bn")
    text = claims.state("raw_inputs_fail", view).text
    assert percent(share) in text and "**Raw inputs fail.**" in text


def test_the_input_bn_claims_say_what_was_measured_when_they_do_not_hold():
    """Swap the arms' runs: standardised inputs then 'fail' and raw ones 'train'; each claim
    then says what was measured instead, in both languages."""
    view = input_bn_view(0)
    swapped = {("raw", 0): view.comp.runs[("standardized", 0)],
               ("standardized", 0): view.comp.runs[("raw", 0)],
               ("input_bn", 0): view.comp.runs[("raw", 0)]}  # fmt: skip
    for lang in ("en", "ko"):
        wrong = ComparisonView(Comparison(swapped), view.variants, view.dataset, view.seeds,
                               view.labels, Text(lang), 2)  # fmt: skip
        for name in INPUT_BN_CLAIMS:
            statement = claims.state(name, wrong)
            assert not statement.held, name
            assert statement.text.startswith("Measured" if lang == "en" else "측정값"), name


def test_the_input_bn_readout_names_every_arm_in_korean_too():
    view = input_bn_view(0, lang="ko")
    lines = readouts.input_bn_readout(view)
    assert len(lines) == 3 and all("표준편차" in line for line in lines)
    assert "배치 통계로 정규화하면" in lines[2] and "배치 통계" not in lines[0]


def test_the_rms_slope_is_the_root_of_the_mean_squared_derivative():
    from core import Activation, build_network, diagnostics

    model = ModelConfig(hidden=(32, 32), activation="tanh", init="random_normal")
    net = build_network(64, 10, model, np.random.default_rng(0))
    net.forward(DIGITS.X_train[:100], training=True)
    act = next(layer for layer in net.layers if isinstance(layer, Activation))
    slope = act.fn.derivative(act.z, act.a).astype(np.float64)
    stats = diagnostics.activation_stats(act)
    assert stats["slope_rms"] == pytest.approx(np.sqrt(np.mean(slope**2)), rel=1e-5)
    assert stats["slope_mean"] == pytest.approx(np.mean(np.abs(slope)), rel=1e-5)
    assert stats["slope_rms"] > stats["slope_mean"]  # saturated units: a spread of slopes


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_bn_gap_readout_says_the_same_when_the_accuracies_show_equal(lang):
    """Batch statistics against moving averages: two accuracies that read the same as shown
    are said to be the same, not "85.5 % instead of 85.5 %"."""
    model = ModelConfig(hidden=(16,) * 2, activation="relu", init="he_normal", batchnorm="before")
    for shift in (1e-4, -0.2):
        view = view_of([Variant("bn", model, TrainConfig(epochs=1, batch_size=64))], lang=lang)
        metrics = view.comp.metrics
        last = metrics["epoch"] == metrics["epoch"].max()
        moving = float(metrics.loc[last & (metrics["split"] == "val"), "accuracy"].iloc[0])
        metrics.loc[last & (metrics["split"] == "val_batch_stats"), "accuracy"] = moving + shift
        (line,) = readouts.bn_gap_readout(view)
        tr = view.tr
        if shift > 0:
            assert tr("ro_bn_no_gap", moving=percent(moving)) in line
        else:
            said = tr("ro_bn_gap", batch=percent(moving + shift), moving=percent(moving))
            assert said in line


def test_the_learning_rate_sweep_says_which_placement_ended_lower_at_each_rate():
    """One line per learning rate: each placement's final training loss (or that it
    diverged) and the lower one, read from the same losses the chart draws."""

    def arm(placement, lr):
        model = ModelConfig(hidden=(16,) * 3, init="glorot_uniform", batchnorm=placement)
        return Variant(f"{placement} {lr:g}", model, TrainConfig(epochs=1, lr=lr))

    rates = (0.01, 100.0)
    view = view_of([arm(p, lr) for p in ("none", "before") for lr in rates])
    lines = readouts.lr_sweep_readout(view)
    assert [line.split(":")[0] for line in lines] == [f"learning rate {r:g}" for r in rates]
    loss = view.comp.final("train", "loss")
    gentle = min(("none", "before"), key=lambda p: loss[f"{p} 0.01"])
    assert lines[0].endswith(f"lower: **{view.tr(f'bn_v_{gentle}')}**")
    for p in ("none", "before"):
        name = f"{p} 100"
        diverged = name in view.comp.diverged_variants
        shown = "diverged" if diverged else power_of_ten(loss[name])
        assert f"{view.tr(f'bn_v_{p}')} {shown}" in lines[1]
    if {"none 100", "before 100"} <= set(view.comp.diverged_variants):
        assert "lower" not in lines[1]
