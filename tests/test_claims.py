"""The story checks itself: every claim a page states holds over the run beside it, on every
page's defaults and every lesson link; read-outs are pure functions of the comparison."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from apptest_helpers import PAGES, open_page

from core import ModelConfig, TrainConfig, Variant, compare, datasets
from ui import claims
from ui.i18n import Text
from ui.lessons import LESSONS
from ui.technique import STATED
from ui.view import ComparisonView

DIGITS = datasets.load("digits")


def view_of(variants, lang="en", seeds=(0,)) -> ComparisonView:
    comp = compare(variants, DIGITS, seeds)
    labels = tuple((v.name, v.name) for v in variants)
    return ComparisonView(comp, tuple(variants), "digits", seeds, labels, Text(lang), 10)


def at_init(activation, init, depth=10, width=100):
    model = ModelConfig(hidden=(width,) * depth, activation=activation, init=init)
    return Variant(f"{activation}_{init}", model, TrainConfig(epochs=0))


@pytest.fixture(scope="module")
def overview():
    return view_of(
        [
            at_init("sigmoid", "random_normal"),
            at_init("sigmoid", "glorot_uniform"),
            at_init("tanh", "glorot_uniform"),
            at_init("relu", "he_normal"),
            at_init("relu", "random_normal"),
        ]
    )


def test_trend_reads_the_ratio():
    assert claims.trend(1e-6) == "vanishing" and claims.trend(3e7) == "exploding"
    assert claims.trend(0.8) == "steady" and claims.trend(float("nan")) == "unknown"


def test_the_overview_claims_hold_at_its_defaults(overview):
    s = claims.state(
        "derivative_max", overview, sigmoid="sigmoid_glorot_uniform", tanh="tanh_glorot_uniform"
    )
    assert s.held and "Same weights, different derivative" in s.text
    assert claims.state("saturation", overview, sigmoid="sigmoid_random_normal").held
    assert claims.state("flat_weight_gradient", overview, relu="relu_random_normal").held


def test_a_claim_that_does_not_hold_says_what_was_measured_instead():
    shallow = view_of(
        [at_init("sigmoid", "glorot_uniform", 2), at_init("tanh", "glorot_uniform", 2)]
    )
    s = claims.state(
        "derivative_max", shallow, sigmoid="sigmoid_glorot_uniform", tanh="tanh_glorot_uniform"
    )
    assert not s.held
    assert s.text.startswith("Measured:") and "differs" not in s.text


def test_verdict_labels_come_from_the_numbers(overview):
    labels = dict(claims.with_verdicts(overview).labels)
    assert labels["sigmoid_glorot_uniform"].endswith("vanishing")
    assert labels["relu_random_normal"].endswith("exploding")
    assert labels["relu_he_normal"].endswith("steady")
    assert labels["sigmoid_random_normal"].endswith("saturated")  # steady ratio, 57 % saturated


def test_init_readout_uses_the_back_propagated_gradient(overview):
    lines = claims.init_readout(overview)
    assert len(lines) == 5
    relu_normal = next(line for line in lines if line.startswith("**relu_random_normal**"))
    assert "**exploding**" in relu_normal and "‖∂L/∂z₁‖ / ‖∂L/∂z₁₀‖ = 3" in relu_normal
    sigmoid_normal = next(line for line in lines if line.startswith("**sigmoid_random_normal**"))
    assert "**saturated**" in sigmoid_normal and sigmoid_normal.count("57.1 %") == 1


def test_training_readout_tells_learning_from_stalling():
    fast = TrainConfig(epochs=3, lr=0.05)
    small = (32,) * 3
    view = view_of(
        [
            Variant("relu", ModelConfig(hidden=small, activation="relu", init="he_normal"), fast),
            Variant(
                "frozen",
                ModelConfig(hidden=small, activation="relu", init="he_normal"),
                TrainConfig(epochs=3, lr=1e-5),
            ),
        ]
    )
    assert claims.progress(view, "relu") in ("learning", "plateau")
    assert claims.progress(view, "frozen") == "stalled"
    lines = claims.training_readout(view)
    assert "has not learned" in lines[1] and "has not learned" not in lines[0]


def test_readouts_speak_korean(overview):
    ko = view_of(list(overview.variants), lang="ko")
    assert "초기화 직후" in claims.init_readout(ko)[0]


def links():
    """Every page at its defaults, and every lesson link exactly as published."""
    out = [(page, {}) for page in PAGES]
    for lesson in LESSONS:
        link = urlsplit(lesson.link())
        out.append((link.path.strip("/"), dict(parse_qsl(link.query))))
    return out


#: Claims each link must state (besides any other it states, which must hold too).
EXPECTED = {
    ("overview", "default"): {"derivative_max", "saturation", "flat_weight_gradient"},
    ("initialization", "default"): {"signal_explodes", "glorot_shrinks"},
    ("initialization", "exploding"): {"signal_explodes"},
    ("initialization", "he2015"): {"glorot_shrinks"},
    ("activations", "vanishing"): {"derivative_max"},
    ("gradient-clipping", "default"): {"keeps_finite"},
    ("batch-normalization", "default"): {"bn_rescues", "after_cannot_undo"},
    ("batch-normalization", "bn_rescue"): {"bn_rescues"},
    ("batch-normalization", "bn_placement"): {"fold_exact"},
    ("gradient-clipping", "clipping"): {"keeps_finite"},
    ("gradient-clipping", "clipping_spikes"): {"guards_spikes"},
}


@pytest.mark.parametrize(
    "page,query", links(), ids=[f"{p}-{q.get('lesson', 'default')}" for p, q in links()]
)
def test_every_claim_stated_holds(page, query):
    at = open_page(page, **query)
    assert not at.exception
    stated = at.session_state[STATED] if STATED in at.session_state else []
    failed = [name for name, held in stated if not held]
    assert not failed, f"claims that did not hold on {page} {query}: {failed}"
    expected = EXPECTED.get((page, query.get("lesson", "default")), set())
    assert expected <= {name for name, _ in stated}


def test_timing_is_called_faster_only_beyond_the_noise():
    report = {
        "seconds_before": 1.0,
        "seconds_after": 0.8,
        "spread_before": 0.1,
        "spread_after": 0.3,
    }
    assert claims.timing_verdict(report) == "same"
    assert claims.timing_verdict(report | {"spread_after": 0.05}) == "faster"
    assert claims.timing_verdict(report | {"seconds_after": 1.5}) == "slower"


@pytest.fixture(scope="module")
def clipped():
    model = ModelConfig(hidden=(16,) * 3, activation="relu", init="random_normal", init_std=2.0)
    return view_of(
        [
            Variant(m, model, TrainConfig(epochs=1, clip=m, clip_threshold=t))
            for m, t in (("none", 1.0), ("value", 0.5), ("norm", 0.5), ("global_norm", 0.5))
        ]
    )


def test_clipping_readout_reads_direction_and_bounds_from_the_run(clipped):
    stats = claims.clip_statistics(clipped)
    assert stats.loc["global_norm", "cosine"] == pytest.approx(1.0, abs=1e-6)
    assert stats.loc["norm", "cosine"] < 0.999  # per-tensor clipping turns the update
    lines = claims.clipping_readout(clipped)
    assert len(lines) == 3  # one per clipped method
    value = next(line for line in lines if line.startswith("**value**"))
    n = clipped.comp.runs[("value", 0)].n_params
    assert f"0.5·√{n:,}" in value
    assert "the direction is kept" in next(line for line in lines if "global_norm" in line)
    always = stats["share_clipped"] >= claims.ALWAYS_CLIPPED
    assert sum("normalized gradient descent" in line for line in lines) == int(always[1:].sum())


def test_sweep_readout_names_each_methods_best_threshold(clipped):
    lines = claims.sweep_readout(clipped)
    assert [line.split(":")[0] for line in lines] == [
        "by value (clipvalue)",
        "by norm, per tensor (clipnorm)",
        "by global norm (global_clipnorm)",
    ]
    assert "best at threshold 0.5" in lines[0]


def test_every_figure_of_a_view_is_a_valid_chart(overview, clipped):
    from ui import charts, figures

    for quantity in figures.LAYER_QUANTITIES:
        figures.by_layer(overview, quantity, 0).to_dict()
    figures.training_curves(clipped).to_dict()
    figures.step_norms(clipped).to_dict()
    figures.clip_per_epoch(clipped, "share_clipped").to_dict()
    page = tuple(Text("en")(f"cl_v_{m}") for m in ("none", "value", "norm", "global_norm"))
    spec = figures.threshold_sweep(clipped, page).to_dict()
    colours = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert colours == charts.PALETTE[1:4]  # each method keeps its colour on the page
    figures.signal_vs_theory(overview).to_dict()
    figures.share_heatmap(overview, "saturated", ("sigmoid_random_normal",)).to_dict()
    figures.act_histograms(overview, 0).to_dict()


def test_history_csv_is_the_tidy_history(clipped):
    import io

    import pandas as pd

    from ui import measure

    frame = pd.read_csv(io.BytesIO(measure.history_csv(clipped)))
    assert list(frame.columns) == [
        "variant",
        "seed",
        "epoch",
        "split",
        "layer",
        "quantity",
        "value",
    ]
    assert len(frame) == len(clipped.comp.tidy())
    assert frame["value"].dtype == float
