"""Figures that explain an idea, drawn from the engine's own functions without a run: the
logistic function and its slope, the weights each initializer draws, every activation and its
derivative, batch norm's moving averages, clipping in two dimensions.

Module-level functions from plain, hashable settings and the interface text to a Vega-Lite spec
dict, drawn with ``memo.chart(where, ideas.<name>, ...)`` like :mod:`ui.story.figures`; each
computes its frames with :mod:`core` and hands them, labelled, to :mod:`ui.drawing.diagrams` (or
:mod:`ui.drawing.curves`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import activations, bn_studies, clipping, datasets, initializers

from ..drawing import curves, diagrams, style
from ..text.i18n import Text
from ..text.labels import activation_name


def sigmoid_and_slope(tr: Text) -> dict:
    """σ and σ′ on [−5, 5], the saturated regions shaded and the slope-¼ tangent at 0."""
    sigmoid = activations.get("sigmoid")
    z = np.linspace(-5, 5, 201)
    a = sigmoid.forward(z)
    lines = pd.concat(
        [
            pd.DataFrame({"z": z, "value": a, "curve": tr("ov_function")}),
            pd.DataFrame({"z": z, "value": sigmoid.derivative(z, a), "curve": tr("ov_derivative")}),
        ]
    )
    flat = pd.DataFrame(activations.saturated_intervals("sigmoid", -5, 5), columns=["start", "end"])
    tangent_z = np.array([-2.0, 2.0])
    tangent = pd.DataFrame(
        {"z": tangent_z, "value": 0.5 + tangent_z * sigmoid.derivative(0.0, 0.5)}
    )
    return diagrams.function_and_derivative(lines, tr, flat, tangent)


def drawn_weights(
    inits: tuple[tuple[str, str], ...],
    std: float,
    truncated: bool,
    shape: tuple,
    seed: int,
    tr: Text,
    value: float = initializers.DEFAULT_VALUE,
) -> dict:
    """Histograms of the weights each initializer draws for one layer of ``shape``.
    inits: ``(initializer name, display label)`` pairs; ``value``: the ``constant``'s (its
    histogram is one bar, drawn on ±2|value|, or ±1 for zeros)."""
    frames = []
    for name, label in inits:
        init = initializers.get(name, std, truncated, value)
        spread = 4 * np.sqrt(init.variance(shape)) or 2 * init.limit(shape) or 1.0
        edges = np.linspace(-spread, spread, 61)
        rng = np.random.default_rng(seed)
        counts = initializers.sample_histogram(name, shape, rng, edges, std, truncated, value)
        truncates = getattr(init, "distribution", "") == "truncated_normal"
        bound = init.limit(shape) if truncates else np.nan
        bins = {"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts, "bound": bound}
        frames.append(pd.DataFrame({"variant": label, **bins}))
    scale = style.variant_colors([label for _, label in inits])
    return diagrams.weight_histograms(pd.concat(frames), tr, scale)


def activation_gallery(alphas: tuple[tuple[str, float], ...], tr: Text) -> dict:
    """Every activation and its derivative on [−4, 4]; ``alphas``: (name, α) pairs."""
    alpha = dict(alphas)
    z = np.linspace(-4, 4, 161)
    lines, flat = [], []
    for name in activations.NAMES:
        fn = activations.get(name, alpha.get(name))
        a = fn.forward(z)
        label = tr(
            "ac_gallery_panel", name=activation_name(tr, name), max=f"{fn.max_derivative:.3g}"
        )
        derivative = fn.derivative(z, a).astype(float)
        lines += [
            pd.DataFrame({"activation": label, "z": z, "value": a, "curve": "f"}),
            pd.DataFrame({"activation": label, "z": z, "value": derivative, "curve": "f'"}),
        ]
        for start, end in activations.saturated_intervals(name, -4, 4, alpha=alpha.get(name)):
            flat.append({"activation": label, "start": start, "end": end})
    flat = pd.DataFrame(flat, columns=["activation", "start", "end"])
    return diagrams.activation_gallery(pd.concat(lines), flat, tr)


def moving_average_trace(steps: int, seed: int, tr: Text) -> dict:
    """How far BN's moving mean and variance are from the data's, step by step, with Keras'
    momenta 0.9, 0.99 and 0.999 and PyTorch's 0.1, on batches of 32 digits."""
    X, _ = datasets.digits()
    conventions = [("keras", 0.9), ("keras", 0.99), ("keras", 0.999), ("torch", 0.1)]
    trace = bn_studies.moving_average_trace(X, conventions, 32, steps, np.random.default_rng(seed))
    label = {
        (convention, momentum): tr(f"bn_trace_{convention}", momentum=f"{momentum:g}")
        for convention, momentum in conventions
    }
    trace["label"] = [label[key] for key in zip(trace["convention"], trace["momentum"])]
    return curves.moving_average_trace(trace, tr)


def clipping_geometry(g: tuple[float, float], threshold: float, tr: Text) -> dict:
    """One 2-D gradient ``g``: its direction at the threshold, clipped by value and by norm."""
    vector = np.array(g)
    by_value = clipping.clip_by_value([vector], threshold)[0]
    by_norm = clipping.clip_by_global_norm([vector], threshold)[0]
    norm = float(np.linalg.norm(vector))
    # the raw gradient's direction as a ray beyond the clipped arrows, so that it stays visible
    direction = vector * (1.5 * threshold / norm) if norm > 0 else vector
    arrows = pd.DataFrame(
        {
            "label": [tr("cl_raw_direction"), tr("cl_by_value"), tr("cl_by_norm")],
            "x": [direction[0], by_value[0], by_norm[0]],
            "y": [direction[1], by_value[1], by_norm[1]],
        }
    )
    return diagrams.clipping_geometry(arrows, threshold, tr)
