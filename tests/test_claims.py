"""The story checks itself: every claim a page states holds over the run beside it, on every
page's defaults and every lesson link, the lessons on seeds 0, 1 and 2 (each with its marked
answers); read-outs are pure functions of the comparison."""

import math
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
import vega_lite
from apptest_helpers import (
    PAGES,
    shared_answers,
    shared_page,
    texts,
)

from core import ModelConfig, TrainConfig, Variant, compare, datasets
from ui.page import quiz
from ui.page.quiz import STATED
from ui.story import claims, claims_init, measure, measure_training, questions, readouts
from ui.story.lessons import BY_NAME, LESSONS
from ui.story.view import ComparisonView
from ui.text.format import power_of_ten
from ui.text.i18n import Text

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
    assert measure.trend(1e-6) == "vanishing" and measure.trend(3e7) == "exploding"
    assert measure.trend(0.8) == "steady" and measure.trend(float("nan")) == "unknown"


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
    labels = dict(readouts.with_verdicts(overview).labels)
    assert labels["sigmoid_glorot_uniform"].endswith("vanishing")
    assert labels["relu_random_normal"].endswith("exploding")
    assert labels["relu_he_normal"].endswith("steady")
    assert labels["sigmoid_random_normal"].endswith("saturated")  # steady ratio, 57 % saturated


def test_init_readout_uses_the_back_propagated_gradient(overview):
    lines = readouts.init_readout(overview)
    assert len(lines) == 5
    relu_normal = next(line for line in lines if line.startswith("**relu_random_normal**"))
    assert "**exploding**" in relu_normal and "‖∂L/∂z₁‖ / ‖∂L/∂z₁₀‖ = 3" in relu_normal
    sigmoid_normal = next(line for line in lines if line.startswith("**sigmoid_random_normal**"))
    assert "**saturated**" in sigmoid_normal and sigmoid_normal.count("57.1 %") == 1


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
    assert measure_training.progress(view, "relu") in ("learning", "plateau")
    assert measure_training.progress(view, "frozen") == "stalled"
    lines = readouts.training_readout(view)
    assert "has not learned" in lines[1] and "has not learned" not in lines[0]


def test_readouts_speak_korean(overview):
    ko = view_of(list(overview.variants), lang="ko")
    assert "초기화 직후" in readouts.init_readout(ko)[0]


#: Every lesson's story must hold on these seeds, not only on the one its link runs.
LESSON_SEEDS = (0, 1, 2)


def links():
    """Every page at its defaults, and every lesson link exactly as published (seed 0) and with
    the other seeds of :data:`LESSON_SEEDS` added."""
    out = [(page, {}) for page in PAGES]
    for lesson in LESSONS:
        link = urlsplit(lesson.link())
        query = dict(parse_qsl(link.query))
        assert "seed" not in query  # a lesson does not pick its seed: its story holds on each
        out.append((link.path.strip("/"), query))
        out += [(link.path.strip("/"), query | {"seed": str(s)}) for s in LESSON_SEEDS[1:]]
    return out


def link_id(page: str, query: dict) -> str:
    seed = f"-seed{query['seed']}" if "seed" in query else ""
    return f"{page}-{query.get('lesson', 'default')}{seed}"


#: Claims each link must state (besides any other it states, which must hold too).
EXPECTED = {
    ("overview", "default"): {"derivative_max", "saturation", "flat_weight_gradient"},
    ("initialization", "default"): {"signal_explodes", "glorot_shrinks"},
    ("initialization", "exploding"): {"signal_explodes", "spread_theory", "training_gap"},
    ("initialization", "he2015"): {"glorot_shrinks", "spread_theory", "training_gap"},
    ("initialization", "symmetry"): {"symmetric", "zeros_frozen", "constant_alike"},
    ("activations", "default"): {"rms_slope", "vanishes_unsaturated"},
    ("activations", "vanishing"): {"derivative_max", "relu_shrinks", "rms_slope"},
    ("activations", "selu100"): {"self_normalizes"},
    ("gradient-clipping", "default"): {"keeps_finite", "norm_always"},
    ("batch-normalization", "default"): {"bn_rescues", "after_cannot_undo", "moving_lag"},
    ("batch-normalization", "bn_rescue"): {"bn_rescues", "moving_lag"},
    ("batch-normalization", "bn_placement"): {"fold_exact", "placements_train", "moving_lag"},
    ("gradient-clipping", "clipping"): {"keeps_finite", "norm_always"},
    ("gradient-clipping", "clipping_spikes"): {"spikes_fail", "guards_spikes"},
}


def _best(view) -> tuple:
    final = view.comp.final("val", "accuracy").drop(list(view.comp.diverged_variants))
    return tuple(final.index[final >= final.max() - measure_training.ACCURACY_TIE])


def _fewest_drift(view) -> tuple:
    std = view.layers(0, output=False).groupby(["variant", "layer"])["act_std"].mean()
    drift = std.map(lambda x: abs(math.log10(x))).groupby(level="variant").max()
    return (drift.idxmin(),)


def _named(view, test) -> str:
    return next(v.name for v in view.variants if test(v))


def _without_bn_states(view) -> tuple:
    """The verdict on the network without BN, and "saturated" too when its gradient vanishes
    or explodes while over 30 % of its hidden units are saturated."""
    name = _named(view, lambda x: x.model.batchnorm == "none")
    word = measure.verdict(view, name)
    hidden = view.layers(0, output=False)
    share = hidden[hidden["variant"] == name]["saturated"].mean()
    return (word, "saturated") if word in ("vanishing", "exploding") and share > 0.3 else (word,)


def _turns_most(view) -> tuple:
    stats = measure_training.clip_statistics(view)
    cosine = stats[stats["method"] != "none"]["cosine"]
    return tuple(cosine.index[cosine <= cosine.min() + 0.005])


#: Each question's answer read straight from the claims' measurements on the run shown.
VERDICT = {
    "vanish_most": lambda v: (measure.layer_ratio(v, "backprop_norm").idxmin(),),
    "grows_most": lambda v: (max((x.name for x in v.variants), key=lambda n: measure.growth(v, n)),),
    "shrinks_most": lambda v: (min((x.name for x in v.variants), key=lambda n: measure.growth(v, n)),),
    "closest_to_one": _fewest_drift,
    "best_accuracy": _best,
    "placement_best": _best,
    "state_without_bn": _without_bn_states,
    "outcome_unclipped": lambda v: (
        ("diverged", "collapsed")
        if (p := measure_training.progress(v, "none")) == "diverged"
        and measure_training.learned(v, "none")
        else ({"plateau": "learning"}.get(p, p),)
    ),
    "turns_most": _turns_most,
    "share_clipped": lambda v: (
        measure_training.clip_band(measure_training.clip_statistics(v).loc["global_norm", "share_clipped"]),
    ),
    "distinct_after": lambda v: (measure.distinct_band(v, "constant"),),
    "zeros_learn": lambda v: (measure.what_learns(v, "zeros"),),
}  # fmt: skip

#: A question and a claim its page states about the same thing: when the claim held, the
#: answer must be the one its sentence says (the answer cannot disagree with the page).
AGREES = {
    "vanish_most": ("derivative_max", ("sigmoid",)),
    "grows_most": ("signal_explodes", ("random_normal",)),
    "shrinks_most": ("glorot_shrinks", ("glorot_normal",)),
    "distinct_after": ("symmetric", ("one",)),
    "zeros_learn": ("zeros_frozen", ("biases",)),
    "outcome_unclipped": ("keeps_finite", ("diverged",)),
    "share_clipped": ("guards_spikes", ("spikes",)),
    "state_without_bn": ("bn_rescues", ("exploding", "saturated")),
}


def check_answers(at, lesson: str) -> None:
    """The revealed answers: one per question of the lesson, each among its options, equal to
    the claims' verdict on the run, written on the page, and in agreement with its claims."""
    revealed = at.session_state[quiz.REVEALED]
    assert [key for _, key, *_ in revealed] == [q.key for q in BY_NAME[lesson].questions]
    stated = dict(at.session_state[STATED])
    body = texts(at)
    for _, key, correct, options, view in revealed:
        assert correct and set(correct) <= set(options), (key, correct, options)
        assert correct == VERDICT[key](view), key
        labels = dict(questions.QUESTIONS[key].options(view))
        assert all(f"**{labels[c]}**" in body for c in correct)
        claim, expected = AGREES.get(key, (None, None))
        if stated.get(claim):
            assert set(expected) <= set(correct), (key, claim)


@pytest.mark.parametrize("page,query", links(), ids=[link_id(p, q) for p, q in links()])
def test_every_claim_stated_holds(page, query):
    lesson = query.get("lesson")
    if lesson:  # the questions come first, the results once they are answered
        answered = shared_answers(page, **query)
        assert answered.asked and not answered.stated_before
        assert "What to notice" not in answered.text_before
        at = answered.at
    else:  # a page's defaults: the run test_app.test_every_page_loads_and_makes_its_point reads
        at = shared_page(page)
    assert not at.exception
    if lesson:
        check_answers(at, lesson)
        # the lesson's banner, and the page's computed read-out, not canned text
        assert "Lesson:" in " ".join(i.value for i in at.info)
        assert "What to notice" in texts(at) and "‖∂L/∂z₁‖ / ‖∂L/∂z" in texts(at)
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
    assert measure_training.timing_verdict(report) == "same"
    assert measure_training.timing_verdict(report | {"spread_after": 0.05}) == "faster"
    assert measure_training.timing_verdict(report | {"seconds_after": 1.5}) == "slower"


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
    stats = measure_training.clip_statistics(clipped)
    assert stats.loc["global_norm", "cosine"] == pytest.approx(1.0, abs=1e-6)
    assert stats.loc["norm", "cosine"] < 0.999  # per-tensor clipping turns the update
    lines = readouts.clipping_readout(clipped)
    assert len(lines) == 3  # one per clipped method
    value = next(line for line in lines if line.startswith("**value**"))
    n = clipped.comp.runs[("value", 0)].n_params
    assert f"0.5·√{n:,} ≈ {power_of_ten(0.5 * math.sqrt(n), 2)}" in value  # three digits
    assert "the clipped gradient's norm" in value  # the update is lr times that
    assert "the direction is kept" in next(line for line in lines if "global_norm" in line)
    always = stats["share_clipped"] >= measure_training.ALWAYS_CLIPPED
    assert sum("normalized gradient descent" in line for line in lines) == int(always[1:].sum())


def test_the_turn_answer_says_whose_direction_clipnorm_keeps(clipped):
    measured = questions.QUESTIONS["turns_most"].measured(clipped)
    assert "only global_clipnorm keeps the direction of the whole update" in measured
    without_norm = replace(clipped, variants=clipped.variants[:2], labels=clipped.labels[:2])
    assert "global_clipnorm" not in questions.QUESTIONS["turns_most"].measured(without_norm)


def test_sweep_readout_names_each_methods_best_threshold(clipped):
    lines = readouts.sweep_readout(clipped)
    assert [line.split(":")[0] for line in lines] == [
        "by value (clipvalue)",
        "by norm, per tensor (clipnorm)",
        "by global norm (global_clipnorm)",
    ]
    assert "best at threshold 0.5" in lines[0]


def test_every_figure_of_a_view_is_a_valid_chart(overview, clipped):
    from ui.drawing import style
    from ui.story import figures

    for quantity in figures.LAYER_QUANTITIES:
        vega_lite.assert_valid(figures.by_layer(overview, quantity, 0), "TopLevelLayerSpec")
    vega_lite.assert_valid(figures.training_curves(clipped), "TopLevelHConcatSpec")
    vega_lite.assert_chart(figures.step_norms(clipped))
    per_epoch = vega_lite.assert_chart(figures.clip_per_epoch(clipped, "share_clipped"))
    legend = per_epoch["layer"][-1]["encoding"]["color"]["scale"]
    names = {clipped.label(v.name): v.train.clip for v in clipped.variants}
    assert [names[label] for label in legend["domain"]] == ["value", "norm", "global_norm"]
    assert legend["range"] == list(clipped.scale.range[1:])  # the unclipped run has no line
    page = tuple(Text("en")(f"cl_v_{m}") for m in ("none", "value", "norm", "global_norm"))
    spec = vega_lite.assert_chart(figures.threshold_sweep(clipped, page))
    colours = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert colours == style.PALETTE[1:4]  # each method keeps its colour on the page
    signal = vega_lite.assert_valid(figures.signal_vs_theory(overview), "TopLevelLayerSpec")
    measured = pd.DataFrame(signal["datasets"]["measured"])
    assert set(measured["layer"]) == set(range(1, 11))  # the 10 hidden layers, not the output
    predicted = pd.DataFrame(signal["datasets"]["theory"])
    assert "relu_he_normal" in set(predicted["variant"])  # the ReLU family has a prediction
    vega_lite.assert_chart(figures.distinct_units(overview))
    heatmap = figures.share_heatmap(overview, "saturated", ("sigmoid_random_normal",))
    vega_lite.assert_valid(heatmap, "TopLevelFacetSpec")
    vega_lite.assert_chart(figures.act_histograms(overview, 0))


def test_history_csv_is_the_tidy_history(clipped):
    import io

    import pandas as pd

    from ui.story import measure

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


def zeros_view(activation: str, lang: str) -> ComparisonView:
    model = ModelConfig(hidden=(16,) * 3, activation=activation, init="zeros")
    return view_of([Variant("zeros", model, TrainConfig(epochs=2, lr=0.05))], lang)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_zeros_sentence_says_what_the_run_shows(activation):
    """With f(0) = 0 (tanh, ReLU) only the output biases learn; sigmoid's hidden units output
    0.5, so the output weights move, then every layer's: the sentence and the run agree."""
    for lang in ("en", "ko"):
        view = zeros_view(activation, lang)
        learns = measure.what_learns(view, "zeros")
        assert learns == ("all" if activation == "sigmoid" else "biases")
        key = "in_symmetry_zeros_moves" if learns == "all" else "in_symmetry_zeros_frozen"
        name = view.tr(f"act_{activation}")
        f0 = "0.5" if activation == "sigmoid" else "0"
        assert claims_init.zeros_sentence(view) == view.tr(key, activation=name, f0=f0)
        assert name in questions.QUESTIONS["zeros_learn"].prompt(view)
        assert questions.QUESTIONS["zeros_learn"].answer(view) == (learns,)
        assert claims.state("zeros_frozen", view, zeros="zeros").held == (learns == "biases")


def test_the_relu_banner_raises_the_norm_factor_to_the_layers():
    """Glorot on square ReLU layers halves the second moment per layer, so the norm's factor
    is √0.5 ≈ 0.707, and 0.707⁹ is the prediction the banner compares with the run."""
    view = view_of([at_init("relu", "glorot_uniform")])
    values = claims.CLAIMS["relu_shrinks"].values(view, relu="relu_glorot_uniform")
    predicted, factor = measure.relu_backward(view, "relu_glorot_uniform")
    assert factor == pytest.approx(0.5)
    assert float(values["norm_factor"]) == pytest.approx(math.sqrt(factor), rel=1e-3)
    assert predicted == pytest.approx(math.sqrt(factor) ** values["layers"])
    assert power_of_ten(float(values["norm_factor"]) ** values["layers"]) == values["pred"]
    said = claims.state("relu_shrinks", view, relu="relu_glorot_uniform")
    assert said.held and "that is its norm by √0.5 = 0.707: 0.707⁹ ≈ 0.044" in said.text


def test_the_verdict_band_states_the_bounds_the_verdicts_read(overview):
    """The words vanishing / steady / exploding read a fixed band of the layer-1 / top ratio;
    the note beside them states it with the very bounds :func:`measure.trend` uses."""
    low, high = measure.VANISH_BELOW, measure.EXPLODE_ABOVE
    assert measure.trend(low * 0.99) == "vanishing" and measure.trend(low * 1.01) == "steady"
    assert measure.trend(high * 0.99) == "steady" and measure.trend(high * 1.01) == "exploding"
    for lang, words in (
        ("en", ("below 0.1", "above 10", "30.0 %", "under 1×10⁻⁶")),
        ("ko", ("0.1 미만", "10 초과", "1×10⁻⁶ 미만")),
    ):
        band = readouts.verdict_band(replace(overview, tr=Text(lang)))
        assert all(word in band for word in words), band
    shallow = view_of([at_init("tanh", "glorot_uniform", depth=1)])
    assert readouts.verdict_band(shallow) == ""  # one hidden layer: no ratio, no verdict


def test_the_selu_claim_writes_minus_signs_and_names_he_drift_beside_relu_he():
    selu, relu = at_init("selu", "lecun_normal", depth=6), at_init("relu", "he_normal", depth=6)
    values = claims.CLAIMS["self_normalizes"].values(view_of([selu, relu]), selu=selu.name)
    assert "-" not in values["mean_lo"] + values["mean_hi"]
    assert "Hanin & Rolnick" in values["he_drift"] and "width of 100" in values["he_drift"]
    tanh = at_init("tanh", "glorot_normal", depth=6)
    alone = claims.CLAIMS["self_normalizes"].values(view_of([selu, tanh]), selu=selu.name)
    assert alone["he_drift"] == ""
