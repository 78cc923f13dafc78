"""Every sentence that states a measured fact, with the predicate that must hold to say it.

Pure Python (no Streamlit). A page never writes a measured fact as canned text: it asks for a
:class:`Claim` by name (:func:`state`), which measures the view and says the claim's sentence
only when its predicate holds over the very comparison shown beside it; otherwise it says what
was measured instead. Tests evaluate every claim on every page's defaults and on every lesson
link.

This module is the machinery and the one list of claims (:data:`CLAIMS`); their predicates and
the numbers their sentences quote are grouped by topic: :mod:`ui.story.claims_init` (the
network at initialization: gradients, slopes, spreads, symmetry; and whether it trains),
:mod:`ui.story.claims_bn` (batch normalization), :mod:`ui.story.claims_clip` (gradient
clipping). They read the measurements of :mod:`ui.story.measure` and
:mod:`ui.story.measure_training`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import claims_bn, claims_clip, claims_init
from .keys import TextKey
from .readouts import slope_values
from .view import ComparisonView


@dataclass(frozen=True)
class Claim:
    """A sentence about a measurement, and what was measured when it does not hold.

    Attributes:
        name: the claim's id.
        holds: ``(view, **params) -> bool``, the predicate over the comparison shown
            (``params`` name the variants it is about).
        values: ``(view, **params) -> dict`` of formatted numbers that both sentences use.
    """

    name: str
    holds: Callable[..., bool]
    values: Callable[..., dict]
    #: Catalogue keys: the sentence said when the predicate holds, and what was measured,
    #: said when it does not.
    said_key = TextKey("claim_{}")
    measured_key = TextKey("claim_{}_measured")

    def state(self, view: ComparisonView, /, **params) -> Statement:
        """The claim's sentence about ``view``, or what was measured instead."""
        held = bool(self.holds(view, **params))
        values = self.values(view, **params)
        key = self.said_key if held else self.measured_key
        return Statement(self.name, held, view.tr(key, **values))


@dataclass(frozen=True)
class Statement:
    """What the page says: the claim's sentence if ``held``, else what was measured."""

    claim: str
    held: bool
    text: str


def state(name: str, view: ComparisonView, /, **params) -> Statement:
    """The sentence of claim ``name`` about ``view`` (``params`` name the variants it is
    about), or what was measured when its predicate does not hold."""
    return CLAIMS[name].state(view, **params)


#: Every claim a page may state, by name.
CLAIMS = {
    c.name: c
    for c in (
        Claim("derivative_max", claims_init.derivative_max, claims_init.bp_values),
        Claim("saturation", claims_init.saturation_not_vanishing, claims_init.saturation_values),
        Claim("flat_weight_gradient", claims_init.flat_weight_gradient, claims_init.bp_values),
        Claim("rms_slope", claims_init.rms_sets_factor, slope_values),
        Claim("vanishes_unsaturated", claims_init.vanishes_unsaturated, claims_init.bp_values),
        Claim("relu_shrinks", claims_init.relu_shrinks, claims_init.relu_shrinks_values),
        Claim("glorot_shrinks", claims_init.glorot_shrinks, claims_init.spread_values),
        Claim("signal_explodes", claims_init.signal_explodes, claims_init.spread_values),
        Claim("spread_theory", claims_init.spread_as_predicted, claims_init.spread_theory_values),
        Claim("training_gap", claims_init.training_gap, claims_init.training_gap_values),
        Claim("self_normalizes", claims_init.self_normalizes, claims_init.self_normalizes_values),
        Claim("keeps_finite", claims_clip.keeps_finite, claims_clip.clip_values),
        Claim("norm_always", claims_clip.norm_always, claims_clip.clip_values),
        Claim("spikes_fail", claims_clip.spikes_fail, claims_clip.spikes_fail_values),
        Claim("guards_spikes", claims_clip.guards_spikes, claims_clip.clip_values),
        Claim("after_cannot_undo", claims_bn.after_cannot_undo, claims_bn.bn_values),
        Claim("bn_rescues", claims_bn.bn_rescues, claims_bn.bn_values),
        Claim("moving_lag", claims_bn.moving_lag, claims_bn.moving_lag_values),
        Claim("placements_train", claims_bn.placements_train, claims_bn.placements_values),
        Claim("bn_regularizes", claims_bn.bn_regularizes, claims_bn.regularize_values),
        Claim("fold_exact", claims_bn.fold_exact, claims_bn.fold_values),
        Claim("raw_inputs_fail", claims_bn.raw_inputs_fail, claims_bn.input_bn_values),
        Claim("standardizing_fixes", claims_bn.standardizing_fixes, claims_bn.input_bn_values),
        Claim("input_bn_fixes", claims_bn.input_bn_fixes, claims_bn.input_bn_values),
        Claim("symmetric", claims_init.symmetric, claims_init.symmetry_values),
        Claim("zeros_frozen", claims_init.zeros_frozen, claims_init.zeros_values),
        Claim("constant_alike", claims_init.constant_alike, claims_init.constant_values),
    )
}
