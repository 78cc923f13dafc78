"""A lesson's questions: the catalogue, read from the run and never from Streamlit.

Each lesson (:attr:`ui.story.lessons.Lesson.questions`) asks one or two multiple-choice
questions of :data:`QUESTIONS` about the run its page is about to show. A :class:`Question`'s
options are the variants in page order or a fixed list, never ordered by a result; its answer
is read from the run by the measurements (:mod:`ui.story.measure`,
:mod:`ui.story.measure_training`) that back the page's sentences and read-outs, so it cannot
disagree with the charts.

The Streamlit side, which asks them before the results appear and marks the answers, is
:mod:`ui.page.quiz`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.clipping import turn_degrees

from ..text.format import fixed, percent, power_of_ten, subscript
from ..text.i18n import Text
from ..text.labels import activation_name
from . import measure, measure_training, readouts
from .keys import TextKey
from .view import ComparisonView

Options = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question about a comparison.

    Attributes:
        key: the question's id; its catalogue keys are :attr:`prompt_key` (placeholders from
            :func:`_context`) and, for fixed options, :meth:`option_key`.
        choices: the fixed option ids (their labels are catalogue texts), or view ->
            ``(id, label)`` pairs; either way in an order fixed before any result.
        answer: view -> the ids of the correct options, from the measurements (empty when the
            run could not measure it).
        measured: view -> one sentence with the numbers behind the answer.
        subject: view -> the variant the question is about, or None when it is about all of
            them; a question whose subject is missing from the page is not asked.
        compares: its options are the variants, compared by a measurement: with two of them
            the prompt is the comparative one, :attr:`two_key` ("the higher", not "the
            highest").
    """

    key: str
    choices: tuple[str, ...] | Callable[[ComparisonView], Options]
    answer: Callable[[ComparisonView], tuple[str, ...]]
    measured: Callable[[ComparisonView], str]
    subject: Callable[[ComparisonView], str | None] | None = None
    compares: bool = False

    def asks(self, view: ComparisonView) -> bool:
        return self.subject is None or self.subject(view) is not None

    prompt_key = TextKey("q_{}", of="key")
    two_key = TextKey("q_{}_two", of="key")

    def option_key(self, option: str) -> str:
        """Catalogue key of fixed option ``option``'s label."""
        return f"q_{self.key}_{option}"

    @property
    def text_keys(self) -> tuple[str, ...]:
        """Every catalogue key the question reads: its prompt and its fixed options' labels."""
        given = () if callable(self.choices) else self.choices
        two = (self.two_key,) if self.compares else ()
        return (self.prompt_key, *two, *map(self.option_key, given))

    def prompt(self, view: ComparisonView) -> str:
        """The question, as a comparative when it compares two options."""
        two = self.compares and len(self.options(view)) == 2
        return view.tr(self.two_key if two else self.prompt_key, **_context(view, self))

    def options(self, view: ComparisonView) -> Options:
        """``(id, label)`` pairs, in the order fixed before any result."""
        if callable(self.choices):
            return self.choices(view)
        return tuple((i, view.tr(self.option_key(i), **_context(view))) for i in self.choices)


def _context(view: ComparisonView, question: Question | None = None) -> dict:
    """The values a prompt or option may name."""
    first = view.variants[0]
    subject = question.subject(view) if question and question.subject else None
    about = view.variant(subject) if subject else first
    return {
        "activation": activation_name(view.tr, about.model.activation),
        "top": view.top_hidden,
        "epochs": max(v.train.epochs for v in view.variants),
        "width": first.model.hidden[0],
        "threshold": f"{first.train.clip_threshold:g}",
        "subject": view.label(subject) if subject else "",
    }


# --- options ---------------------------------------------------------------------------------


def _variants(view: ComparisonView) -> Options:
    return view.labels


def _clipped(view: ComparisonView) -> Options:
    """The clipped variants."""
    return tuple((v.name, view.label(v.name)) for v in view.variants if v.train.clip != "none")


def _trends(view: ComparisonView) -> Options:
    return tuple(
        (t, view.tr(f"trend_{t}"))
        for t in ("vanishing", "exploding", "steady", "saturated", "blocked")
    )


# --- subjects --------------------------------------------------------------------------------


def _where(test: Callable) -> Callable[[ComparisonView], str | None]:
    def subject(view: ComparisonView) -> str | None:
        return measure.first_variant(view, test)

    return subject


_without_bn = _where(lambda v: not v.model.uses_batchnorm)
_unclipped = _where(lambda v: v.train.clip == "none")
_by_global_norm = _where(lambda v: v.train.clip == "global_norm")
_zeros = _where(lambda v: v.model.init == "zeros")


def _equal_weights(view: ComparisonView) -> str | None:
    """The constant variant, or else the zeros one."""
    return _where(lambda v: v.model.init == "constant")(view) or _zeros(view)


# --- measured sentences ----------------------------------------------------------------------


def _per_variant(view: ComparisonView, key: str, values: dict[str, str]) -> str:
    listed = "; ".join(f"{view.label(name)}: {text}" for name, text in values.items())
    return view.tr(key, values=listed, top=view.top_hidden, top_sub=subscript(view.top_hidden))


def _measured_vanishing(view: ComparisonView) -> str:
    ratio = measure.layer_ratio(view, "backprop_norm")
    values = {v.name: power_of_ten(float(ratio.get(v.name, math.nan))) for v in view.variants}
    return _per_variant(view, "q_measured_vanishing", values)


def _measured_spread(view: ComparisonView) -> str:
    first = measure.layer_value(view, "act_std", 1)
    top = measure.layer_value(view, "act_std", view.top_hidden)
    values = {
        v.name: f"{power_of_ten(float(first.get(v.name, math.nan)))} → "
        f"{power_of_ten(float(top.get(v.name, math.nan)))}"
        for v in view.variants
    }
    return _per_variant(view, "q_measured_spread", values)


def _measured_drift(view: ComparisonView) -> str:
    std = measure.layer_means(view, "act_std", 0)
    values = {
        v.name: f"{power_of_ten(float(std[v.name].min()))} – {power_of_ten(float(std[v.name].max()))}"
        for v in view.variants
        if v.name in std.index.get_level_values(0)
    }
    return _per_variant(view, "q_measured_drift", values)


def _measured_accuracy(view: ComparisonView) -> str:
    values = {v.name: readouts.outcome(view, v.name) for v in view.variants}
    return _per_variant(view, "q_measured_accuracy", values)


def _measured_state(view: ComparisonView) -> str:
    """The gradient's verdict, and why each accepted answer holds."""
    name = _without_bn(view)
    line = f"{view.label(name)}: {readouts.gradient_part(view, name)}."
    accepted = _states(view)
    if len(accepted) < 2:
        return line
    ratio = measure.layer_ratio(view, "backprop_norm").get(name, math.nan)
    share = measure.hidden_mean(view, "saturated", 0).get(name, math.nan)
    return " ".join(
        [
            line,
            view.tr(
                f"q_why_{accepted[0]}",
                ratio=power_of_ten(float(ratio)),
                top=view.top_hidden,
                bound=f"{measure.EXPLODE_ABOVE:g}"
                if accepted[0] == "exploding"
                else f"{measure.VANISH_BELOW:g}",
            ),
            view.tr(
                "q_why_saturated",
                activation=activation_name(view.tr, view.variant(name).model.activation),
                share=percent(float(share)),
                bound=percent(measure.SATURATED_ABOVE),
            ),
        ]
    )


def _states(view: ComparisonView) -> tuple[str, ...]:
    """The network without BN at initialization: its verdict (:func:`ui.story.measure.verdict`), and
    ``saturated`` as well when the gradient vanishes or explodes while over
    :data:`ui.story.measure.SATURATED_ABOVE` of its hidden units are saturated (both describe it)."""
    name = _without_bn(view)
    word = measure.verdict(view, name)
    share = float(measure.hidden_mean(view, "saturated", 0).get(name, math.nan))
    if word in ("vanishing", "exploding") and share > measure.SATURATED_ABOVE:
        return (word, "saturated")
    return _known(word)


def _measured_outcome(view: ComparisonView) -> str:
    name = _unclipped(view)
    return readouts.training_readout(view)[[v.name for v in view.variants].index(name)]


def _measured_turn(view: ComparisonView) -> str:
    stats = measure_training.clip_statistics(view)
    values = {
        name: view.tr(
            "q_turn_value",
            cosine=fixed(row["cosine"], 3),
            angle=f"{turn_degrees(row['cosine']):.0f}",
        )
        for name, row in stats.iterrows()
        if row["method"] != "none"
    }
    measured = _per_variant(view, "q_measured_turn", values)
    # the book says clipnorm keeps the direction: true of its one-vector example, not of
    # Keras' per-tensor clipnorm on a network of many tensors
    per_tensor = any(v.train.clip == "norm" for v in view.variants)
    return f"{measured} {view.tr('q_turn_note')}" if per_tensor else measured


def _measured_placement(view: ComparisonView) -> str:
    return f"{_measured_accuracy(view)} {view.tr('q_placement_note')}"


def _measured_share(view: ComparisonView) -> str:
    name = _by_global_norm(view)
    share = measure_training.clip_statistics(view).loc[name, "share_clipped"]
    return view.tr("q_measured_share", subject=view.label(name), share=percent(share))


def _measured_distinct(view: ComparisonView) -> str:
    name = _equal_weights(view)
    counts = measure.distinct_counts(view, name)
    return view.tr(
        "q_measured_distinct",
        subject=view.label(name),
        epoch=int(counts.columns.max()),
        counts=", ".join(f"{c:.0f}" for c in counts.iloc[:, -1]),
        width=measure.width(view, name),
    )


def _measured_learns(view: ComparisonView) -> str:
    name = _zeros(view)
    hidden, output = measure.weight_gradients(view, name)
    return view.tr(
        "q_measured_learns",
        subject=view.label(name),
        hidden=power_of_ten(hidden),
        output=power_of_ten(output),
        bias=power_of_ten(measure.step_gradient(view, name)),
    )


# --- answers, each read through the measurements ---------------------------------------------------


def _outcome_word(view: ComparisonView) -> tuple[str, ...]:
    """How the unclipped run trained (:func:`ui.story.measure_training.progress`); a run that
    learned before it diverged is also rightly read as one that learned, then collapsed."""
    name = _unclipped(view)
    word = measure_training.progress(view, name)
    if word == "diverged" and measure_training.learned(view, name):
        return ("diverged", "collapsed")
    return ("learning",) if word == "plateau" else (word,)


def _turns_most(view: ComparisonView) -> tuple[str, ...]:
    """The clipped variants whose mean cosine to the raw gradient is the lowest (the largest
    turn), within 0.005 of it."""
    stats = measure_training.clip_statistics(view)
    cosine = stats[stats["method"] != "none"]["cosine"].astype(float)
    return measure.extremes(cosine, largest=False, tie=0.005)


def _known(word: str) -> tuple[str, ...]:
    return () if word == "unknown" else (word,)


QUESTIONS = {
    q.key: q
    for q in (
        Question(
            "vanish_most",
            _variants,
            lambda view: measure.extremes(measure.layer_ratio(view, "backprop_norm"), False),
            _measured_vanishing,
            compares=True,
        ),
        Question(
            "grows_most",
            _variants,
            lambda view: measure.extremes(measure.growths(view), True),
            _measured_spread,
            compares=True,
        ),
        Question(
            "shrinks_most",
            _variants,
            lambda view: measure.extremes(measure.growths(view), False),
            _measured_spread,
            compares=True,
        ),
        Question(
            "closest_to_one",
            _variants,
            lambda view: measure.extremes(measure.std_drift(view), False),
            _measured_drift,
            compares=True,
        ),
        Question(
            "best_accuracy",
            _variants,
            measure_training.best_accuracy,
            _measured_accuracy,
            compares=True,
        ),
        Question(
            "placement_best",
            _variants,
            measure_training.best_accuracy,
            _measured_placement,
            compares=True,
        ),
        Question("state_without_bn", _trends, _states, _measured_state, _without_bn),
        Question(
            "outcome_unclipped",
            ("diverged", "learning", "stalled", "collapsed"),
            _outcome_word,
            _measured_outcome,
            _unclipped,
        ),
        Question(
            "turns_most",
            _clipped,
            _turns_most,
            _measured_turn,
            _where(lambda v: v.train.clip != "none"),
            compares=True,
        ),
        Question(
            "share_clipped",
            ("spikes", "often", "always"),
            lambda view: _known(
                measure_training.clip_band(
                    measure_training.clip_statistics(view).loc[
                        _by_global_norm(view), "share_clipped"
                    ]
                )
            ),
            _measured_share,
            _by_global_norm,
        ),
        Question(
            "distinct_after",
            ("one", "some", "all"),
            lambda view: _known(measure.distinct_band(view, _equal_weights(view))),
            _measured_distinct,
            _equal_weights,
        ),
        Question(
            "zeros_learn",
            ("all", "output", "biases", "nothing"),
            lambda view: _known(measure.what_learns(view, _zeros(view))),
            _measured_learns,
            _zeros,
        ),
    )
}


def before_run(variants, labels: dict[str, str], tr: Text) -> ComparisonView:
    """A view of ``variants`` before anything has run (``comp`` is None): enough for prompts,
    options and subjects, which may read the variants and their labels but never a result."""
    named = tuple((v.name, labels.get(v.name, v.name)) for v in variants)
    return ComparisonView(None, tuple(variants), "", (), named, tr, 0)
