"""Gradient clipping, as Keras and PyTorch do it.

``grads`` is a list of arrays (one per trainable tensor). Each function returns a
:class:`Clipped`: a list of the clipped arrays in the same order (new arrays where clipping
bit, the very same arrays where it did not), which also reports what it did.

============================  ====================================================  ============
function                      rule                                                  direction
============================  ====================================================  ============
clip_by_value(g, c)           each element into [-c, c]  (Keras ``clipvalue``)       changes
clip_by_norm(g, c)            each tensor t: t * c / max(||t||, c) (``clipnorm``)    per tensor
clip_by_global_norm(g, c)     all: g * c / max(||g||_global, c)                      kept
                              (Keras ``global_clipnorm``, PyTorch ``clip_grad_norm_``)
============================  ====================================================  ============

``||g||_global = sqrt(sum_t ||t||^2)``. Only the global norm keeps the direction of the whole
update; clipping by value can turn it a lot, e.g. (0.9, 100) -> (0.9, 1.0).

Non-finite gradients are never clipped into finite-looking ones: the arrays are returned as
they are with ``finite=False`` so that the caller can stop the run and report it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

METHODS = ("none", "value", "norm", "global_norm")


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """sum(a * b) over all elements as a Python float: one BLAS dot product, done again in
    float64 when float32 overflows (|a||b| past ~3e38, e.g. a norm past ~1.8e19), so that a
    huge but finite gradient keeps a finite norm and can still be clipped."""
    result = float(np.vdot(a, b))
    if math.isinf(result) and a.dtype != np.float64:
        result = float(np.vdot(a.astype(np.float64), b.astype(np.float64)))
    return result


def l2_norm(g: np.ndarray) -> float:
    """L2 (Frobenius) norm of all elements of one tensor."""
    return math.sqrt(dot(g, g))


def global_norm(grads: list[np.ndarray]) -> float:
    """sqrt(sum over tensors of their sums of squares)."""
    return math.sqrt(sum(dot(g, g) for g in grads))


class Clipped(list):
    """The clipped gradients (a list), with a report.

    Attributes:
        norm_before: global L2 norm of the gradients as given.
        norm_after: global L2 norm after clipping.
        clipped: True when clipping changed at least one element.
        finite: False when any gradient was NaN or inf (then nothing was clipped).
        cosine: cosine between the raw and the clipped update (1.0 when untouched).
    """

    def __init__(self, grads, norm_before, norm_after, clipped, finite, cosine):
        super().__init__(grads)
        self.norm_before = norm_before
        self.norm_after = norm_after
        self.clipped = clipped
        self.finite = finite
        self.cosine = cosine


def turn_degrees(cosine: float) -> float:
    """The angle, in degrees, between a raw and a clipped gradient whose cosine is ``cosine``
    (clamped into [-1, 1] against round-off)."""
    return math.degrees(math.acos(min(1.0, max(-1.0, cosine))))


def _untouched(grads: list[np.ndarray], norm: float) -> Clipped:
    return Clipped(grads, norm, norm, False, math.isfinite(norm), 1.0)


def _report(raw: list[np.ndarray], new: list[np.ndarray], norm_before: float) -> Clipped:
    norm_after = global_norm(new)
    dot_raw_new = sum(dot(a, b) for a, b in zip(raw, new))
    cosine = dot_raw_new / (norm_before * norm_after) if norm_before > 0 and norm_after > 0 else 1.0
    return Clipped(new, norm_before, norm_after, True, True, cosine)


def _check_threshold(threshold: float) -> None:
    if not (threshold > 0 and math.isfinite(threshold)):
        raise ValueError(f"clipping threshold must be a finite number > 0, got {threshold}")


def validate(method: str, threshold: float) -> None:
    """Raise ValueError for an unknown method, or a bad threshold when one is used."""
    if method not in METHODS:
        raise ValueError(f"unknown clipping method {method!r}; valid methods: {', '.join(METHODS)}")
    if method != "none":
        _check_threshold(threshold)


def clip_by_value(grads: list[np.ndarray], limit: float) -> Clipped:
    """Clip every element into [-limit, limit] (Keras ``clipvalue=limit``)."""
    _check_threshold(limit)
    norm = global_norm(grads)
    if not math.isfinite(norm) or all(np.abs(g).max(initial=0) <= limit for g in grads):
        return _untouched(grads, norm)
    return _report(grads, [np.clip(g, -limit, limit) for g in grads], norm)


def clip_by_norm(grads: list[np.ndarray], max_norm: float) -> Clipped:
    """Rescale each tensor on its own to L2 norm <= max_norm (Keras ``clipnorm=max_norm``)."""
    _check_threshold(max_norm)
    norms = [l2_norm(g) for g in grads]
    norm = math.sqrt(sum(n * n for n in norms))
    if not math.isfinite(norm) or all(n <= max_norm for n in norms):
        return _untouched(grads, norm)
    new = [g * (max_norm / n) if n > max_norm else g for g, n in zip(grads, norms)]
    return _report(grads, new, norm)


def clip_by_global_norm(grads: list[np.ndarray], max_norm: float) -> Clipped:
    """Rescale all tensors together so that their global norm is <= max_norm
    (Keras ``global_clipnorm``, PyTorch ``clip_grad_norm_``); the direction is kept."""
    _check_threshold(max_norm)
    norm = global_norm(grads)
    if not math.isfinite(norm) or norm <= max_norm:
        return _untouched(grads, norm)
    factor = max_norm / norm
    return _report(grads, [g * factor for g in grads], norm)


def clip(grads: list[np.ndarray], method: str, threshold: float) -> Clipped:
    """Dispatch on ``method`` in :data:`METHODS` (``"none"`` only measures the norm)."""
    if method == "none":
        return _untouched(grads, global_norm(grads))
    if method == "value":
        return clip_by_value(grads, threshold)
    if method == "norm":
        return clip_by_norm(grads, threshold)
    validate(method, threshold)
    return clip_by_global_norm(grads, threshold)


#: A step is a spike when its gradient norm exceeds SPIKE_FACTOR times the median of the
#: SPIKE_WINDOW steps before it: a jump against the run's own recent scale, which drifts as the
#: network trains (a fixed level would call every step of a run's first epoch a spike).
SPIKE_FACTOR = 5.0
SPIKE_WINDOW = 100
#: Steps a median needs before a step can be judged against it.
SPIKE_MIN_HISTORY = 10


def spikes(
    norms: np.ndarray, factor: float = SPIKE_FACTOR, window: int = SPIKE_WINDOW
) -> np.ndarray:
    """Which steps are spikes: a boolean array, True where ``norms[i]`` (the global gradient
    norm of step ``i``, before clipping) exceeds ``factor`` times the median of the up to
    ``window`` steps before it (False for the first :data:`SPIKE_MIN_HISTORY` steps and for
    NaN). An infinite norm after finite ones counts as a spike.

    norms: (S,) the steps' norms in order, one run."""
    series = pd.Series(np.asarray(norms, dtype=float))
    median = series.rolling(window, min_periods=SPIKE_MIN_HISTORY).median().shift(1)
    return (series > factor * median).to_numpy()


def spike_ratios(norms: np.ndarray, window: int = SPIKE_WINDOW) -> np.ndarray:
    """Each step's norm over the median of the up to ``window`` steps before it (NaN for the
    first :data:`SPIKE_MIN_HISTORY` steps): the ratio :func:`spikes` compares with its factor."""
    series = pd.Series(np.asarray(norms, dtype=float))
    median = series.rolling(window, min_periods=SPIKE_MIN_HISTORY).median().shift(1)
    return (series / median).to_numpy()
