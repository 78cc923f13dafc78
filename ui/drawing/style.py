"""Style: what every chart of a page shares, written once.

The variants' colours (:func:`variant_colors`, a :class:`VariantScale` that the page's view
holds), point shapes and dash patterns in the same order, the one variant encoding
(:func:`variant`) and the one legend (:func:`legend`), the dash per split (:func:`split_dash`),
which layers a chart draws (:func:`shown_layers`, :func:`first_seed_shown`), and the frame
shaping several builders share (:func:`seed_band`, :func:`drawable_bins`). Pure: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text.i18n import Text
from . import vegalite as vl

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies; a mid grey
#: instead of their black, which would vanish on the dark theme.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C8C8C"]
#: Reference rules, guide lines and their notes: legible on Streamlit's light (#ffffff) and
#: dark (#0e1117) backgrounds alike, WCAG contrast 4.54:1 and 4.16:1.
NEUTRAL = "#767676"
#: Shaded regions where a function is flat (saturating): the palette's vermilion, faint.
SATURATED = PALETTE[1]
#: Point shapes and dash patterns per variant, so that variants differ by more than colour
#: (a projector, a greyscale printout, colour-vision deficiencies).
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3], [10, 2]]
#: Total height of a chart drawn at the container's width (Streamlit fits title, axes and
#: legend into it, so it must leave room for a legend of several variants below the plot).
STRETCH_HEIGHT = 470
#: Most layers drawn as rows of a histogram grid.
MAX_HIST_ROWS = 12
#: Width at which an overflow bin (an edge at ±inf) is drawn beyond the last finite edge.
OVERFLOW_WIDTH = 0.4


@dataclass(frozen=True)
class VariantScale:
    """One colour per variant: ``domain`` the labels in page order, ``range`` their colours.
    A variant's shape and dash pattern are the ones paired with its colour (the same place in
    :data:`SHAPES`, :data:`DASHES` as its colour in :data:`PALETTE`)."""

    domain: tuple[str, ...]
    range: tuple[str, ...]

    def only(self, labels) -> VariantScale:
        """The variants ``labels`` alone (in this scale's order, each in its colour): the
        legend of a chart that draws some of a page's variants lists those only."""
        wanted = set(labels)
        kept = [(d, r) for d, r in zip(self.domain, self.range) if d in wanted]
        return VariantScale(tuple(d for d, _ in kept), tuple(r for _, r in kept))


def variant_colors(variants: list[str], among: list[str] | None = None) -> VariantScale:
    """One fixed colour per variant, in the order given; with ``among`` (a page's full list of
    labels), each variant keeps the colour it has on that page. A list longer than the palette
    wraps around; a variant whose colour an earlier one already has takes the next free one,
    so that no two variants drawn together share a colour (up to the palette's size)."""
    order = list(dict.fromkeys([*(among or []), *variants]))  # unknown ones after the page's
    colours: list[str] = []
    for v in variants:
        place = order.index(v)
        free = [c for c in PALETTE if c not in colours] or PALETTE
        wanted = PALETTE[place % len(PALETTE)]
        colours.append(wanted if wanted in free else free[0])
    return VariantScale(tuple(variants), tuple(colours or PALETTE[:1]))


#: The variants' legend on a page's charts: below the plot, one variant per row (two columns
#: would be cut off on a phone).
BELOW = {"orient": "bottom", "columns": 1, "labelLimit": 320}


def legend(**changes) -> dict:
    """The variants' legend, :data:`BELOW` with ``changes`` (e.g. ``values``: only the variants
    a chart draws, in the page's colours; ``orient="top"`` above a played chart). A new dict:
    specs are memoized and shared by sessions, and should share no mutable part."""
    return {**BELOW, **changes}


def variant(
    scale: VariantScale, tr: Text, patterns: list | None = None, legend: dict = BELOW
) -> dict:
    """The encoding of the variant: the colours of ``scale``, or with ``patterns``
    (:data:`SHAPES`, :data:`DASHES`) the pattern paired with each variant's colour, titled in
    the page's language, with ``legend`` (one legend: the same field and title merge colour
    and pattern). A variant keeps its shape wherever it keeps its colour."""
    domain = list(scale.domain)
    values = (
        scale.range
        if patterns is None
        else [patterns[PALETTE.index(c) % len(patterns)] for c in scale.range]
    )
    return vl.field(
        "variant", "nominal", scale={"domain": domain, "range": _copied(values)},
        title=tr("ax_variant"), legend=dict(legend),
    )  # fmt: skip


def _copied(values) -> list:
    """``values`` as a new list, each dash pattern a new list too."""
    return [list(v) if isinstance(v, list) else v for v in values]


def variant_tip(tr: Text) -> dict:
    """The variant in a tooltip, titled in the page's language."""
    return vl.field("variant", "nominal", title=tr("ax_variant"))


def split_dash(splits: list[str], dashes: list[list[int]], title: str | None) -> dict:
    """A dash pattern per split (train / validation, moving / batch statistics), with line
    swatches in its legend."""
    return vl.field(
        "split", "nominal", title=title, scale={"domain": list(splits), "range": _copied(dashes)},
        legend={"symbolType": "stroke", "symbolStrokeWidth": 2, "symbolSize": 300,
                "symbolStrokeColor": NEUTRAL},
    )  # fmt: skip


def shown_layers(n_layers: int, most: int = MAX_HIST_ROWS) -> list[int]:
    """Layers to draw as rows: all of them, or ``most`` evenly spaced including 1 and the last."""
    if n_layers <= most:
        return list(range(1, n_layers + 1))
    return sorted({int(round(x)) for x in np.linspace(1, n_layers, most)})


def first_seed_shown(hist: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``hist`` (``seed, layer, ...``) that a histogram grid draws: the first seed
    only, the layers of :func:`shown_layers` (picked from every layer ``hist`` holds)."""
    shown = shown_layers(int(hist["layer"].max()) if len(hist) else 0)
    return hist[(hist["seed"] == hist["seed"].min()) & hist["layer"].isin(shown)]


def seed_band(frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """Mean, min and max of ``value`` over seeds for each ``keys`` group, non-finite dropped."""
    finite = frame[np.isfinite(frame[value].astype(float))]
    return (
        finite.groupby(keys, sort=False)[value]
        .agg(mean="mean", low="min", high="max", seeds="count")
        .reset_index()
    )


def drawable_bins(hist: pd.DataFrame) -> pd.DataFrame:
    """``hist`` with overflow bins (an infinite edge) drawn :data:`OVERFLOW_WIDTH` wide just
    beyond the finite range, and a boolean column ``overflow`` marking them."""
    low, high = np.isneginf(hist["bin_start"]), np.isposinf(hist["bin_end"])
    return hist.assign(
        bin_start=hist["bin_start"].where(~low, hist["bin_end"] - OVERFLOW_WIDTH),
        bin_end=hist["bin_end"].where(~high, hist["bin_start"] + OVERFLOW_WIDTH),
        overflow=low | high,
    )


def histogram_shares(hist: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """:func:`first_seed_shown` rows of ``hist`` as :func:`drawable_bins`, with ``share``: each
    bin's count over its ``keys`` group's (the share of a layer's values in the bin)."""
    h = drawable_bins(first_seed_shown(hist))
    return h.assign(share=h["count"] / h.groupby(keys)["count"].transform("sum"))
