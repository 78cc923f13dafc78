"""Lesson questions without a running app: every lesson has some, their options are fixed before
the results, and their answers are read from the run through the claims."""

import math
import re
from dataclasses import replace

import pandas as pd
import pytest

from core import Comparison, ModelConfig, TrainConfig, Variant, compare, datasets
from ui.story import lessons, measure, measure_training, questions, readouts
from ui.story.claims import CLAIMS
from ui.story.view import ComparisonView
from ui.text.i18n import Text
from ui.text.korean import PARTICLES
from ui.text.locales import en, ko

DIGITS = datasets.load("digits")


def view_of(variants, lang="en") -> ComparisonView:
    comp = compare(variants, DIGITS, (0,))
    labels = tuple((v.name, v.name) for v in variants)
    return ComparisonView(comp, tuple(variants), "digits", (0,), labels, Text(lang), 10)


def variant(init, **train):
    model = ModelConfig(hidden=(8, 8), activation="relu", init=init)
    return Variant(init, model, TrainConfig(epochs=1, batch_size=128, **train))


@pytest.fixture(scope="module")
def symmetry():
    return view_of([variant("zeros"), variant("constant"), variant("he_normal")])


def test_every_lesson_asks_one_or_two_questions_of_the_catalogue():
    catalogue = set(questions.QUESTIONS.values())
    wrong = [
        lesson.name
        for lesson in lessons.LESSONS
        if not 1 <= len(lesson.questions) <= 2 or not set(lesson.questions) <= catalogue
    ]
    assert not wrong, wrong


def test_every_text_a_lesson_question_or_claim_reads_is_in_both_catalogues():
    keys = {key for lesson in lessons.LESSONS for key in lesson.text_keys}
    keys |= {key for q in questions.QUESTIONS.values() for key in q.text_keys}
    keys |= {key for c in CLAIMS.values() for key in (c.said_key, c.measured_key)}
    missing = sorted(
        (lang, key) for lang, catalogue in (("en", en), ("ko", ko)) for key in keys
        if key not in catalogue.TEXT
    )  # fmt: skip
    assert not missing, missing


def test_symmetry_answers_come_from_the_run(symmetry):
    asked = lessons.BY_NAME["symmetry"].asked(symmetry)
    assert [q.key for q in asked] == ["distinct_after", "zeros_learn"]
    distinct, learns = asked
    assert [i for i, _ in distinct.options(symmetry)] == ["one", "some", "all"]
    assert distinct.answer(symmetry) == ("one",) == (measure.distinct_band(symmetry, "constant"),)
    assert learns.answer(symmetry) == ("biases",)
    assert "constant" in distinct.prompt(symmetry) and "out of 8" in distinct.prompt(symmetry)
    assert "1, 1 distinct units" in distinct.measured(symmetry)


def test_a_question_about_a_missing_variant_is_not_asked():
    view = view_of([variant("zeros"), variant("he_normal")])
    asked = lessons.BY_NAME["symmetry"].asked(view)
    assert [q.key for q in asked] == ["distinct_after", "zeros_learn"]  # zeros is the subject
    assert "zeros" in asked[0].prompt(view)
    assert [q.key for q in lessons.BY_NAME["symmetry"].asked(view_of([variant("he_normal")]))] == []


def test_which_options_are_the_variants_in_page_order(symmetry):
    best = questions.QUESTIONS["best_accuracy"]
    assert best.options(symmetry) == symmetry.labels
    assert best.answer(symmetry) == ("he_normal",)


def test_a_layer_with_some_copies_reads_some(symmetry):
    comp = Comparison(dict(symmetry.comp.runs))
    layers = comp.layers.copy()
    layers.loc[(layers["variant"] == "constant") & (layers["layer"] == 1), "distinct_units"] = 3
    comp.__dict__["layers"] = layers  # the cached frame, edited
    view = replace(symmetry, comp=comp)
    assert measure.distinct_band(view, "constant") == "some"
    assert measure.distinct_band(view, "he_normal") == "all"


def test_extremes_skip_what_is_not_finite_and_keep_ties():
    values = pd.Series({"a": 0.5, "b": math.nan, "c": 0.5, "d": math.inf, "e": 0.7})
    assert measure.extremes(values, largest=False) == ("a", "c")
    assert measure.extremes(values, largest=True) == ("e",)
    assert measure.extremes(values, largest=True, tie=0.25) == ("a", "c", "e")
    assert measure.extremes(pd.Series({"x": math.nan}), largest=True) == ()


@pytest.mark.parametrize(
    "share,band", [(0.0, "spikes"), (0.19, "spikes"), (0.2, "often"), (0.95, "always")]
)
def test_clip_bands(share, band):
    assert measure_training.clip_band(share) == band


def test_korean_questions_resolve_their_particles(symmetry):
    ko = view_of(list(symmetry.variants), lang="ko")
    for q in lessons.BY_NAME["symmetry"].asked(ko):
        text = " ".join([q.prompt(ko), q.measured(ko), *dict(q.options(ko)).values()])
        assert not any(marker in text for marker in PARTICLES)
        assert re.search("[\uac00-\ud7a3]", text)


def test_no_gradient_reaches_the_hidden_layers_of_equal_weights(symmetry):
    """All-zero weights pass exactly 0 down; equal output weights pass c * sum(p - y) = 0."""
    assert measure.verdict(symmetry, "zeros") == measure.verdict(symmetry, "constant") == "blocked"
    assert measure.verdict(symmetry, "he_normal") == "steady"
    assert "**no gradient** reaches the hidden layers" in readouts.gradient_part(symmetry, "zeros")


def bn_variant(placement):
    model = ModelConfig(
        hidden=(32,) * 6, activation="tanh", init="random_normal", batchnorm=placement
    )
    return Variant(placement, model, TrainConfig(epochs=1, batch_size=64))


def test_a_network_both_exploding_and_saturated_accepts_both_answers():
    """Without BN, tanh with N(0, 1) weights explodes toward layer 1 while most units saturate:
    both options are marked right, with the measurement behind each."""
    view = view_of([bn_variant("none"), bn_variant("before")])
    q = questions.QUESTIONS["state_without_bn"]
    ratio = measure.layer_ratio(view, "backprop_norm")["none"]
    share = measure.hidden_mean(view, "saturated", 0)["none"]
    assert ratio > measure.EXPLODE_ABOVE and share > measure.SATURATED_ABOVE
    assert q.answer(view) == ("exploding", "saturated")
    measured = q.measured(view)
    assert "Exploding holds" in measured and "Saturated holds too" in measured
    # a steady gradient whose units saturate (sigmoid, N(0, 1)) is "saturated" and nothing else
    model = ModelConfig(hidden=(32,) * 6, activation="sigmoid", init="random_normal")
    steady = view_of([Variant("none", model, TrainConfig(epochs=1, batch_size=64))])
    assert measure.verdict(steady, "none") == "saturated"
    assert q.answer(steady) == ("saturated",) and "holds" not in q.measured(steady)


def test_the_clipping_question_asks_what_the_text_above_does_not_say():
    """Which method keeps the direction is written in the page's introduction; which turns the
    update most is not, and is read from the mean cosine the cosine chart draws."""
    page_text = en.TEXT["cl_intro"]
    assert "keeps its direction" in page_text
    assert "keeps_direction" not in questions.QUESTIONS
    model = ModelConfig(hidden=(16,) * 3, activation="relu", init="random_normal", init_std=2.0)
    view = view_of(
        [
            Variant(m, model, TrainConfig(epochs=1, clip=m, clip_threshold=0.5))
            for m in ("none", "value", "norm", "global_norm")
        ]
    )
    q = questions.QUESTIONS["turns_most"]
    assert [i for i, _ in q.options(view)] == ["value", "norm", "global_norm"]
    stats = measure_training.clip_statistics(view)
    assert q.answer(view) == (stats.loc[["value", "norm", "global_norm"], "cosine"].idxmin(),)
    assert "global_norm" not in q.answer(view)  # one factor for all: cosine 1


#: Superlatives a prompt among many options uses, and the comparatives it says between two.
SUPERLATIVE = {"en": ("most", "highest", "closest", "largest"), "ko": ("가장",)}
COMPARATIVE = {"en": ("more", "higher", "closer", "larger"), "ko": ("더",)}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_question_between_two_variants_says_higher_not_highest(lang):
    """A question that compares the variants asks for "the higher" of two (he2015, exploding,
    bn_rescue: two networks each), and for "the highest" of three or more."""
    model = ModelConfig(hidden=(8, 8), activation="relu", init="he_normal")
    runs = [Variant(m, model, TrainConfig(clip=m)) for m in ("value", "norm", "global_norm")]
    comparing = [q for q in questions.QUESTIONS.values() if q.compares]
    assert {q.key for q in comparing} >= {"best_accuracy", "grows_most", "shrinks_most"}
    for shown, words, other in (
        (runs[:2], COMPARATIVE[lang], SUPERLATIVE[lang]),
        (runs, SUPERLATIVE[lang], COMPARATIVE[lang]),
    ):
        view = questions.before_run(shown, {v.name: v.name for v in shown}, Text(lang))
        for q in comparing:
            prompt = q.prompt(view)
            assert len(q.options(view)) == len(shown)
            assert any(re.search(rf"\b{w}\b" if lang == "en" else w, prompt) for w in words), prompt
            assert not any(re.search(rf"\b{w}\b" if lang == "en" else w, prompt) for w in other)


def test_a_run_that_learned_before_it_diverged_also_learned_then_collapsed():
    """ "It diverges" and "it learns, then collapses" both describe an unclipped run whose
    accuracy rose before its loss became infinite; a run that diverged at once only diverged."""
    q = questions.QUESTIONS["outcome_unclipped"]
    model = ModelConfig(hidden=(32,) * 4, activation="relu", init="he_normal")
    answers = {}
    for lr in (0.7, 50.0):
        view = view_of([Variant("none", model, TrainConfig(epochs=6, lr=lr, batch_size=32))])
        assert "none" in view.comp.diverged_variants, lr
        answers[lr] = q.answer(view)
        assert measure_training.learned(view, "none") == (lr == 0.7)
    assert answers == {0.7: ("diverged", "collapsed"), 50.0: ("diverged",)}


def test_a_run_that_learned_before_it_diverged_says_how_far_it_got():
    """The read-out of a run that learned, then diverged, gives the best accuracy it reached
    and when, so that "it learns, then collapses" can be read from the page too."""
    model = ModelConfig(hidden=(32,) * 4, activation="relu", init="he_normal")
    view = view_of([Variant("none", model, TrainConfig(epochs=6, lr=0.7, batch_size=32))])
    best, at = measure_training.best_epoch(view, "none")
    (line,) = readouts.training_readout(view)
    assert f"reached {best:.1%}".replace("%", "\u00a0%") in line and f"epoch {at}," in line
    assert "then it diverged in epoch" in line
