"""A lesson's questions: the catalogue, read from the run and never from Streamlit.

Each lesson (:data:`BY_LESSON`) asks one or two multiple-choice questions (:data:`QUESTIONS`)
about the run its page is about to show. A :class:`Question`'s options are the variants in
page order or a fixed list, never ordered by a result; its answer is read from the run by the
functions of :mod:`ui.story.claims` that back the page's sentences and read-outs, so it cannot
disagree with the charts.

The Streamlit side, which asks them before the results appear and marks the answers, is
:mod:`ui.page.quiz`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.clipping import turn_degrees

from ..text.format import percent, power_of_ten, subscript
from ..text.i18n import Text
from . import claims, lessons
from .view import ComparisonView

Options = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question about a comparison.

    Attributes:
        key: catalogue keys ``q_<key>`` (the prompt; placeholders from :func:`_context`) and,
            for fixed options, ``q_<key>_<option>``.
        options: view -> ``(id, label)`` pairs, in an order fixed before any result.
        answer: view -> the ids of the correct options, from :mod:`ui.story.claims` (empty when the
            run could not measure it).
        measured: view -> one sentence with the numbers behind the answer.
        subject: view -> the variant the question is about, or None when it is about all of
            them; a question whose subject is missing from the page is not asked.
    """

    key: str
    options: Callable[[ComparisonView], Options]
    answer: Callable[[ComparisonView], tuple[str, ...]]
    measured: Callable[[ComparisonView], str]
    subject: Callable[[ComparisonView], str | None] | None = None

    def asks(self, view: ComparisonView) -> bool:
        return self.subject is None or self.subject(view) is not None

    def prompt(self, view: ComparisonView) -> str:
        return view.tr(f"q_{self.key}", **_context(view, self))


def _context(view: ComparisonView, question: Question | None = None) -> dict:
    """The values a prompt or option may name."""
    first = view.variants[0]
    subject = question.subject(view) if question and question.subject else None
    return {
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


def _fixed(key: str, ids: tuple[str, ...]) -> Callable[[ComparisonView], Options]:
    def options(view: ComparisonView) -> Options:
        return tuple((i, view.tr(f"q_{key}_{i}", **_context(view))) for i in ids)

    return options


def _trends(view: ComparisonView) -> Options:
    return tuple(
        (t, view.tr(f"trend_{t}"))
        for t in ("vanishing", "exploding", "steady", "saturated", "blocked")
    )


# --- subjects --------------------------------------------------------------------------------


def _where(test: Callable) -> Callable[[ComparisonView], str | None]:
    def subject(view: ComparisonView) -> str | None:
        return next((v.name for v in view.variants if test(v)), None)

    return subject


_without_bn = _where(lambda v: v.model.batchnorm == "none")
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
    ratio = claims.layer_ratio(view, "backprop_norm")
    values = {v.name: power_of_ten(float(ratio.get(v.name, math.nan))) for v in view.variants}
    return _per_variant(view, "q_measured_vanishing", values)


def _measured_spread(view: ComparisonView) -> str:
    first = claims.layer_value(view, "act_std", 1)
    top = claims.layer_value(view, "act_std", view.top_hidden)
    values = {
        v.name: f"{power_of_ten(float(first.get(v.name, math.nan)))} → "
        f"{power_of_ten(float(top.get(v.name, math.nan)))}"
        for v in view.variants
    }
    return _per_variant(view, "q_measured_spread", values)


def _measured_drift(view: ComparisonView) -> str:
    std = view.layers(0, output=False).groupby(["variant", "layer"], sort=False)["act_std"].mean()
    values = {
        v.name: f"{power_of_ten(float(std[v.name].min()))} – {power_of_ten(float(std[v.name].max()))}"
        for v in view.variants
        if v.name in std.index.get_level_values(0)
    }
    return _per_variant(view, "q_measured_drift", values)


def _measured_accuracy(view: ComparisonView) -> str:
    values = {v.name: claims.outcome(view, v.name) for v in view.variants}
    return _per_variant(view, "q_measured_accuracy", values)


def _measured_state(view: ComparisonView) -> str:
    """The gradient's verdict, and why each accepted answer holds."""
    name = _without_bn(view)
    line = f"{view.label(name)}: {claims.gradient_part(view, name)}."
    accepted = _states(view)
    if len(accepted) < 2:
        return line
    ratio = claims.layer_ratio(view, "backprop_norm").get(name, math.nan)
    share = claims.hidden_mean(view, "saturated", 0).get(name, math.nan)
    return " ".join(
        [
            line,
            view.tr(
                f"q_why_{accepted[0]}",
                ratio=power_of_ten(float(ratio)),
                top=view.top_hidden,
                bound=f"{claims.EXPLODE_ABOVE:g}"
                if accepted[0] == "exploding"
                else f"{claims.VANISH_BELOW:g}",
            ),
            view.tr(
                "q_why_saturated",
                share=percent(float(share)),
                bound=percent(claims.SATURATED_ABOVE),
            ),
        ]
    )


def _states(view: ComparisonView) -> tuple[str, ...]:
    """The network without BN at initialization: its verdict (:func:`ui.story.claims.verdict`), and
    ``saturated`` as well when the gradient vanishes or explodes while over
    :data:`ui.story.claims.SATURATED_ABOVE` of its hidden units are saturated (both describe it)."""
    name = _without_bn(view)
    word = claims.verdict(view, name)
    share = float(claims.hidden_mean(view, "saturated", 0).get(name, math.nan))
    if word in ("vanishing", "exploding") and share > claims.SATURATED_ABOVE:
        return (word, "saturated")
    return _known(word)


def _measured_outcome(view: ComparisonView) -> str:
    name = _unclipped(view)
    return claims.training_readout(view)[[v.name for v in view.variants].index(name)]


def _measured_turn(view: ComparisonView) -> str:
    stats = claims.clip_statistics(view)
    values = {
        name: view.tr(
            "q_turn_value",
            cosine=f"{row['cosine']:.3f}",
            angle=f"{turn_degrees(row['cosine']):.0f}",
        )
        for name, row in stats.iterrows()
        if row["method"] != "none"
    }
    return _per_variant(view, "q_measured_turn", values)


def _measured_placement(view: ComparisonView) -> str:
    return f"{_measured_accuracy(view)} {view.tr('q_placement_note')}"


def _measured_share(view: ComparisonView) -> str:
    name = _by_global_norm(view)
    share = claims.clip_statistics(view).loc[name, "share_clipped"]
    return view.tr("q_measured_share", subject=view.label(name), share=percent(share))


def _measured_distinct(view: ComparisonView) -> str:
    name = _equal_weights(view)
    counts = claims.distinct_counts(view, name)
    return view.tr(
        "q_measured_distinct",
        subject=view.label(name),
        epoch=int(counts.columns.max()),
        counts=", ".join(f"{c:.0f}" for c in counts.iloc[:, -1]),
        width=claims.width(view, name),
    )


def _measured_learns(view: ComparisonView) -> str:
    name = _zeros(view)
    hidden, output = claims.weight_gradients(view, name)
    return view.tr(
        "q_measured_learns",
        subject=view.label(name),
        hidden=power_of_ten(hidden),
        output=power_of_ten(output),
        bias=power_of_ten(claims.step_gradient(view, name)),
    )


# --- answers, each read through ui.story.claims ---------------------------------------------------


def _outcome_word(view: ComparisonView) -> tuple[str, ...]:
    word = claims.progress(view, _unclipped(view))
    return ("learning",) if word == "plateau" else (word,)


def _turns_most(view: ComparisonView) -> tuple[str, ...]:
    """The clipped variants whose mean cosine to the raw gradient is the lowest (the largest
    turn), within 0.005 of it."""
    stats = claims.clip_statistics(view)
    cosine = stats[stats["method"] != "none"]["cosine"].astype(float)
    return claims.extremes(cosine, largest=False, tie=0.005)


def _known(word: str) -> tuple[str, ...]:
    return () if word == "unknown" else (word,)


QUESTIONS = {
    q.key: q
    for q in (
        Question(
            "vanish_most",
            _variants,
            lambda view: claims.extremes(claims.layer_ratio(view, "backprop_norm"), False),
            _measured_vanishing,
        ),
        Question(
            "grows_most",
            _variants,
            lambda view: claims.extremes(claims.growths(view), True),
            _measured_spread,
        ),
        Question(
            "shrinks_most",
            _variants,
            lambda view: claims.extremes(claims.growths(view), False),
            _measured_spread,
        ),
        Question(
            "closest_to_one",
            _variants,
            lambda view: claims.extremes(claims.std_drift(view), False),
            _measured_drift,
        ),
        Question("best_accuracy", _variants, claims.best_accuracy, _measured_accuracy),
        Question("placement_best", _variants, claims.best_accuracy, _measured_placement),
        Question("state_without_bn", _trends, _states, _measured_state, _without_bn),
        Question(
            "outcome_unclipped",
            _fixed("outcome_unclipped", ("diverged", "learning", "stalled", "collapsed")),
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
        ),
        Question(
            "share_clipped",
            _fixed("share_clipped", ("spikes", "often", "always")),
            lambda view: _known(
                claims.clip_band(
                    claims.clip_statistics(view).loc[_by_global_norm(view), "share_clipped"]
                )
            ),
            _measured_share,
            _by_global_norm,
        ),
        Question(
            "distinct_after",
            _fixed("distinct_after", ("one", "some", "all")),
            lambda view: _known(claims.distinct_band(view, _equal_weights(view))),
            _measured_distinct,
            _equal_weights,
        ),
        Question(
            "zeros_learn",
            _fixed("zeros_learn", ("all", "output", "biases", "nothing")),
            lambda view: _known(claims.what_learns(view, _zeros(view))),
            _measured_learns,
            _zeros,
        ),
    )
}

#: Each lesson's questions, in the order asked.
BY_LESSON = {
    "vanishing": ("vanish_most", "best_accuracy"),
    "exploding": ("grows_most", "best_accuracy"),
    "he2015": ("shrinks_most", "best_accuracy"),
    "symmetry": ("distinct_after", "zeros_learn"),
    "selu100": ("closest_to_one", "best_accuracy"),
    "bn_rescue": ("state_without_bn", "best_accuracy"),
    "bn_placement": ("placement_best",),
    "clipping": ("outcome_unclipped", "turns_most"),
    "clipping_spikes": ("outcome_unclipped", "share_clipped"),
}


def asked(lesson: str, view: ComparisonView) -> list[Question]:
    """The questions of ``lesson`` that apply to the variants of ``view``."""
    return [q for q in map(QUESTIONS.get, BY_LESSON.get(lesson, ())) if q.asks(view)]


def lesson_statements(lesson: str, view: ComparisonView) -> list[claims.Statement]:
    """The claims ``lesson`` names, each stated over ``view`` (the lesson's run), leaving out
    a claim about a variant the page does not show (a student may remove one)."""
    names = {v.name for v in view.variants}
    return [
        claims.state(claim, view, **dict(roles))
        for claim, roles in lessons.BY_NAME[lesson].claims
        if {variant for _, variant in roles} <= names
    ]


def before_run(variants, labels: dict[str, str], tr: Text) -> ComparisonView:
    """A view of ``variants`` before anything has run (``comp`` is None): enough for prompts,
    options and subjects, which may read the variants and their labels but never a result."""
    named = tuple((v.name, labels.get(v.name, v.name)) for v in variants)
    return ComparisonView(None, tuple(variants), "", (), named, tr, 0)
