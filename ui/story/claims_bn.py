"""Claims about batch normalization: the predicates and the numbers their sentences quote, for
the claims of :data:`ui.story.claims.CLAIMS` that the batch-normalization page states (BN
rescuing a bad initialization, before or after the activation, the moving averages' lag, BN as
a regularizer, folding BN into the weights, and a BN layer on raw inputs standing in for
standardising them).

Pure Python; each predicate takes the view (and, for folding, the fold reports' figures) and
reads :mod:`ui.story.measure` and :mod:`ui.story.measure_training`.
"""

from __future__ import annotations

import math

from ..text.format import fixed, percent, power_of_ten, subscript
from .measure import hidden_mean, ratio_of, trend
from .measure_training import (
    ACCURACY_TIE,
    FIX_TOLERANCE,
    INPUT_BN,
    LEARNED_MARGIN,
    ONE_CLASS_MARGIN,
    RAW,
    STANDARDIZED,
    accuracy_at,
    final_value,
    input_spread,
    learned_bn,
    one_class_share,
    progress,
    train_gap,
    with_bn,
)
from .readouts import outcome, run_outcome


def after_cannot_undo(view) -> bool:
    """With BN after the activation most units saturate at initialization (over half), with
    BN before few do (under a fifth)."""
    sat = hidden_mean(view, "saturated", 0)
    after, before = with_bn(view, "after"), with_bn(view, "before")
    return (
        after is not None
        and before is not None
        and float(sat.get(after, math.nan)) > 0.5
        and float(sat.get(before, math.nan)) < 0.2
    )


def bn_rescues(view) -> bool:
    """Without BN the back-propagated gradient vanishes or explodes at initialization and the
    run ends at least 20 points below BN before the activation."""
    none, before = with_bn(view, "none"), with_bn(view, "before")
    if none is None or before is None or before in view.comp.diverged_variants:
        return False
    final = view.comp.final("val", "accuracy")
    unstable = trend(ratio_of(view, "backprop_norm", none)) in ("vanishing", "exploding")
    return unstable and float(final[before]) > float(final.get(none, 0.0)) + 0.2


def bn_values(view) -> dict:
    sat = hidden_mean(view, "saturated", 0)
    out = {"top": subscript(view.top_hidden)}
    for placement in ("none", "before", "after"):
        name = with_bn(view, placement)
        ratio = ratio_of(view, "backprop_norm", name) if name else math.nan
        out[f"{placement}_sat"] = percent(float(sat.get(name, math.nan))) if name else "–"
        out[f"{placement}_bp"] = power_of_ten(ratio)
        out[f"{placement}_trend"] = view.tr(f"trend_{trend(ratio)}")
        out[f"{placement}_acc"] = outcome(view, name) if name else "–"
    return out


#: The moving averages "lag" when batch statistics score at least this much higher.
LAG_POINTS = 0.02


def moving_lag(view) -> bool:
    """After epoch 1, every BN variant that learned scores at least :data:`LAG_POINTS` higher
    on the validation set with its batch statistics than with its moving averages."""
    names = learned_bn(view)
    return bool(names) and all(
        accuracy_at(view, n, "val_batch_stats", 1) >= accuracy_at(view, n, "val", 1) + LAG_POINTS
        for n in names
    )


def moving_lag_values(view) -> dict:
    names = [v.name for v in view.variants if v.model.uses_batchnorm]
    last = view.last_epoch

    def at(epoch):
        return "; ".join(
            view.tr(
                "bn_gap_pair",
                name=view.label(n),
                batch=percent(accuracy_at(view, n, "val_batch_stats", epoch)),
                moving=percent(accuracy_at(view, n, "val", epoch)),
            )
            for n in names
        )

    first = names[0] if names else None
    steps = view.comp.steps
    per_epoch = int(((steps["variant"] == first) & (steps["epoch"] == 1)).sum() / len(view.seeds))
    model = view.variant(first).model if first else None
    momentum = 0.99 if model is None or model.bn_convention == "keras" else 0.9
    return {
        "first": at(1),
        "last_values": at(last),
        "last": last,
        "steps": per_epoch,
        "momentum": f"{momentum:g}",
        "left": percent(momentum**per_epoch),
    }


#: The training epochs from which a train/validation gap says something about overfitting.
REGULARIZE_EPOCHS = 20


def bn_regularizes(view) -> bool:
    """Over at least :data:`REGULARIZE_EPOCHS` epochs both networks learned, and with BN
    before the activation the gap between training and validation accuracy is at least a
    point smaller than without BN, and the validation loss lower."""
    none, before = with_bn(view, "none"), with_bn(view, "before")
    if none is None or before is None or view.last_epoch < REGULARIZE_EPOCHS:
        return False
    if any(progress(view, n) not in ("learning", "plateau") for n in (none, before)):
        return False
    smaller = train_gap(view, before) <= train_gap(view, none) - 0.01
    return smaller and final_value(view, before, "val", "loss") < final_value(
        view, none, "val", "loss"
    )


def regularize_values(view) -> dict:
    out = {"epochs": view.last_epoch}
    for placement in ("none", "before"):
        name = with_bn(view, placement)
        out[f"{placement}_train"] = (
            percent(final_value(view, name, "train", "accuracy")) if name else "–"
        )
        out[f"{placement}_val"] = (
            percent(final_value(view, name, "val", "accuracy")) if name else "–"
        )
        out[f"{placement}_gap"] = fixed(100 * train_gap(view, name), 1) if name else "–"
        loss = final_value(view, name, "val", "loss") if name else math.nan
        out[f"{placement}_loss"] = f"{loss:.3f}" if math.isfinite(loss) else "–"
    return out


def placements_train(view) -> bool:
    """BN before and BN after the activation both learned (still rising or plateaued)."""
    before, after = with_bn(view, "before"), with_bn(view, "after")
    learned = learned_bn(view)
    return before in learned and after in learned


def placements_values(view) -> dict:
    before, after = with_bn(view, "before"), with_bn(view, "after")
    final = view.comp.final("val", "accuracy")
    b, a = float(final.get(before, math.nan)), float(final.get(after, math.nan))
    if abs(b - a) <= ACCURACY_TIE or not (math.isfinite(a) and math.isfinite(b)):
        higher = view.tr("bn_neither_higher")
    else:
        higher = view.tr("bn_higher", name=view.label(before if b > a else after))
    return {
        "before_acc": outcome(view, before) if before else "–",
        "after_acc": outcome(view, after) if after else "–",
        "higher": higher,
    }


def fold_exact(view, worst: float, shift: float) -> bool:
    """Every folded network's outputs equal the original's to 10⁻⁴ relative (``worst``: the
    largest relative difference of the fold reports; ``shift``: the largest BN shift a folded
    bias must cancel, :func:`core.bn_studies.largest_shift`)."""
    return worst < 1e-4


def fold_values(view, worst: float, shift: float) -> dict:
    return {"worst": power_of_ten(worst), "shift": power_of_ten(shift)}


# --- a BN layer on raw inputs (the study of measure_training.input_bn_variants) -------------


def raw_inputs_fail(view) -> bool:
    """On raw inputs the network without an input BN diverges, or ends no more than
    :data:`~ui.story.measure_training.ONE_CLASS_MARGIN` above what predicting the commonest
    class scores."""
    if RAW in view.comp.diverged_variants:
        return True
    return final_value(view, RAW, "val", "accuracy") <= one_class_share(view) + ONE_CLASS_MARGIN


def standardizing_fixes(view) -> bool:
    """On standardised inputs the same network finishes at least
    :data:`~ui.story.measure_training.LEARNED_MARGIN` above the one-class share."""
    if STANDARDIZED in view.comp.diverged_variants:
        return False
    accuracy = final_value(view, STANDARDIZED, "val", "accuracy")
    return accuracy >= one_class_share(view) + LEARNED_MARGIN


def input_bn_fixes(view) -> bool:
    """On raw inputs with a BN layer before the first Dense, the network finishes at least
    :data:`~ui.story.measure_training.LEARNED_MARGIN` above the one-class share and within
    :data:`~ui.story.measure_training.FIX_TOLERANCE` of the standardised run, in inference mode
    (the input BN normalising with its moving averages)."""
    if INPUT_BN in view.comp.diverged_variants:
        return False
    accuracy = final_value(view, INPUT_BN, "val", "accuracy")
    standardized = final_value(view, STANDARDIZED, "val", "accuracy")
    return (
        accuracy >= one_class_share(view) + LEARNED_MARGIN
        and accuracy >= standardized - FIX_TOLERANCE
    )


def input_bn_values(view) -> dict:
    """The numbers the three claims of the input-BN study quote: each arm's label, outcome
    (final accuracy, and as a clause) and first layer's pre-activation spread at
    initialization, the one-class share, the input BN's final accuracy with batch statistics."""
    out = {
        "baseline": percent(one_class_share(view)),
        "batch_acc": percent(final_value(view, INPUT_BN, "val_batch_stats", "accuracy")),
    }
    for key, name in (("raw", RAW), ("std", STANDARDIZED), ("bn", INPUT_BN)):
        out[key] = view.label(name)
        out[f"{key}_acc"] = outcome(view, name)
        out[f"{key}_run"] = run_outcome(view, name)
        out[f"{key}_spread"] = power_of_ten(input_spread(view, name), 2)
    return out
