"""Playback: the per-layer charts and the gradient histograms of every epoch in one Vega-Lite
spec, shown one epoch at a time in the browser, with play / pause, a slider to step and a
timeline, and no server rerun per frame. Pure (no Streamlit): builders from frames to specs.

The specs are Vega-Lite dicts (see :mod:`ui.drawing.vegalite`): composing the per-layer chart through
Altair's objects is slow, and a page waits for it on its first visit.

How a spec plays (Vega-Lite 6.4, as Streamlit bundles it):

- it carries the rows of the epochs it plays (:class:`Playback` picks them: all of them unless
  the spec would grow too large), and every mark keeps only ``datum.epoch == shown``; scales
  have fixed domains over every epoch, so that the axes stay still while the marks move;
- parameter ``epoch`` is a range slider under the chart (drag it, or press the arrow keys on
  it to step) and ``play`` a check box; ``shown`` is ``epoch`` rounded down to an epoch the
  spec holds;
- :func:`animate` gives ``epoch`` two Vega signal handlers: a ``timer`` that advances it while
  ``play`` is on, and a click on the timeline that sets it. Vega-Lite copies a variable
  parameter's keys other than ``expr`` and ``bind`` into its Vega signal, which is how a
  parameter can listen to a timer; Vega-Lite's schema does not list them, so they are added
  last, to a spec that is valid Vega-Lite without them (a test checks it against the schema);
- the timeline under the charts is a point selection ``pick``: drawn with
  ``on_select="rerun"`` (see :mod:`ui.page.technique`), a click reruns the page once and puts the
  epoch into the link. The slider and the timer change ``epoch`` only, which Streamlit does
  not report, so playing never asks the server for anything.

Vega-Lite's own animation (a point selection ``on: "timer"`` with the ``time`` channel) cannot
do this here: in the bundled version it runs in a single view only (a layer fails with
"Undefined data set name ..._curr", a facet with a TypeError, and the compiler warns
"Animation involving facet, layer, or concat is currently unsupported"), while these charts
are layers and facets; it always starts at the first frame, has no step, and its documented
pause (``filter: "playing"`` on the timer) fails under Streamlit's CSP-safe expression
interpreter, which cannot read a signal in an event filter.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from ..text.i18n import Text
from .charts import NEUTRAL, PALETTE, SHAPES, drawable_bins, shown_layers
from .vegalite import (
    POWER_LABELS,
    SCHEMA,
    as_text,
    field,
    literal,
    log_ticks,
    records,
    variant,
    zero_floor,
)

#: Parameter names in the specs (Vega signals in the browser).
EPOCH, PLAY, SHOWN, PICK = "epoch", "play", "shown", "pick"
#: The timeline's view name (its marks are ``timeline_marks``).
TIMELINE = "timeline"
#: What every mark of a played chart keeps.
SHOWN_FILTER = f"datum.epoch == {SHOWN}"
#: Most rows one played chart carries; a longer run plays every k-th epoch (and the last).
MAX_ROWS = 15_000
#: A loop through every frame lasts about this long, each frame between the two bounds.
LOOP_MS, FRAME_MS = 8000, (250, 800)
#: Size of one per-layer panel's plot and the timeline's height, in pixels: two panels side by
#: side, with their axes, fit the main column of a 1280-pixel-wide window with the sidebar open.
#: (Drawn at the container's width, Streamlit would give each panel the whole width, axes
#: aside, and draw the chart anew, stopping it, whenever the width changes.)
PANEL_WIDTH, PANEL_HEIGHT, TIMELINE_HEIGHT = 320, 200, 18
#: Horizontal room of a panel's y axis and the space between two panels, in pixels.
AXIS_ROOM, SPACING = 90, 20
#: Significant digits kept of the values a played chart carries (tooltips show 3).
DIGITS = 4
#: Drawn as SVG, so that the epoch shown is text in the page (a test reads it).
SVG = {"embedOptions": {"renderer": "svg"}}
#: The name of the played rows in a spec's ``datasets``.
ROWS = "rows"


@dataclass(frozen=True)
class Playback:
    """The epochs a played chart holds and how it steps through them.

    Attributes:
        last: the run's last epoch (epochs run from 0, the network at initialization).
        stride: the chart holds epochs 0, stride, 2·stride, … and ``last``.
    """

    last: int
    stride: int = 1

    @classmethod
    def fit(cls, last: int, rows_per_epoch: float) -> Playback:
        """Every epoch if ``last + 1`` epochs of ``rows_per_epoch`` rows fit in
        :data:`MAX_ROWS`; else the smallest stride whose frames fit (never fewer than two
        frames: epoch 0 and the last)."""
        room = max(2, int(MAX_ROWS // max(rows_per_epoch, 1.0)))  # frames that fit
        strides = (s for s in range(1, last + 1) if len(cls(last, s).frames) <= room)
        return cls(last, next(strides, 1))

    @property
    def frames(self) -> list[int]:
        """The epochs held, ascending: 0, stride, 2·stride, …, last."""
        return sorted({*range(0, self.last + 1, self.stride), self.last})

    @property
    def interval_ms(self) -> int:
        """Milliseconds between two frames while playing."""
        low, high = FRAME_MS
        return int(min(max(LOOP_MS / len(self.frames), low), high))

    @property
    def shown_expr(self) -> str:
        """The epoch drawn for slider value ``epoch``: the held epoch at or below it."""
        return f"{EPOCH} >= {self.last} ? {self.last} : {EPOCH} - {EPOCH} % {self.stride}"

    @property
    def next_expr(self) -> str:
        """The slider's next value while playing: the next held epoch, after the last the
        first (a loop); paused, the value stays."""
        step = f"min({SHOWN} + {self.stride}, {self.last})"
        return f"{PLAY} ? ({EPOCH} >= {self.last} ? 0 : {step}) : {EPOCH}"


def controls(pb: Playback, tr: Text) -> list[dict]:
    """The slider ``epoch`` (opening at 0, see :func:`at_epoch`), the check box ``play``, the
    epoch drawn, ``shown``, and the timeline's selection ``pick`` (which Streamlit reports)."""
    slider = {"input": "range", "min": 0, "max": pb.last, "step": 1, "name": tr("play_epoch")}
    return [
        {"name": EPOCH, "value": 0, "bind": slider},
        {"name": PLAY, "value": False, "bind": {"input": "checkbox", "name": tr("play_play")}},
        {"name": SHOWN, "expr": pb.shown_expr},
        {
            "name": PICK,
            "select": {"type": "point", "fields": ["epoch"], "on": "click", "clear": False,
                       "toggle": False},
            "views": [TIMELINE],
        },
    ]  # fmt: skip


#: The played charts' legend: above the charts, two variants a row (under them it would push
#: the controls, which Vega draws under a chart, out of sight).
LEGEND = {"orient": "top", "columns": 2, "labelLimit": 320}


def _variant(scale: alt.Scale, tr: Text, shapes: bool = False, legend: dict = LEGEND) -> dict:
    """The variant as colour (or as shape, with ``shapes``), in one ``legend``."""
    return variant(scale, tr("ax_variant"), legend, SHAPES if shapes else None)


def title(pb: Playback, tr: Text) -> dict:
    """The epoch shown, as the chart's title (a Vega expression, so that it follows the
    slider): epoch 0 is named as the network at initialization that the page's text reads."""
    before, after = tr("play_title", epoch="{epoch}", last=pb.last).split("{epoch}")
    text = (
        f"{SHOWN} == 0 ? {literal(tr('play_title_init', last=pb.last))} : "
        f"{literal(before)} + {SHOWN} + {literal(after)}"
    )
    heading = {"text": {"expr": text}, "anchor": "start", "fontSize": 15}
    return (
        {**heading, "subtitle": tr("play_thinned", stride=pb.stride)} if pb.stride > 1 else heading
    )


def timeline(pb: Playback, tr: Text, width: int) -> dict:
    """One cell per epoch held, the one shown highlighted; a click on a cell shows that epoch
    (:func:`animate`) and selects it (``pick``, see :func:`controls`)."""
    x_axis = {"labelAngle": 0, "labelOverlap": True}
    return {
        "name": TIMELINE,
        "data": {"values": [{"epoch": e} for e in pb.frames]},
        "mark": {"type": "rect", "cursor": "pointer", "cornerRadius": 2},
        "encoding": {
            "x": field("epoch", "ordinal", title=tr("play_timeline"),
                       scale={"paddingInner": 0.2}, axis=x_axis),
            "color": {"condition": {"test": SHOWN_FILTER, "value": PALETTE[1]}, "value": NEUTRAL},
            "opacity": {"condition": {"test": SHOWN_FILTER, "value": 1.0}, "value": 0.3},
            "tooltip": [field("epoch", "ordinal", title=tr("ax_epoch"))],
        },
        "width": width,
        "height": TIMELINE_HEIGHT,
    }  # fmt: skip


def _played(pb: Playback, tr: Text, charts: list[dict], rows: pd.DataFrame) -> dict:
    """``charts`` one above the other with the controls, the epoch as the title, drawn as SVG;
    ``rows``: the data every chart reads unless it carries its own."""
    return {
        "$schema": SCHEMA,
        "data": {"name": ROWS},
        "datasets": {ROWS: records(rows)},
        "vconcat": charts,
        "params": controls(pb, tr),
        "title": title(pb, tr),
        "usermeta": SVG,
    }


def _significant(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with ``columns`` rounded to :data:`DIGITS` significant digits (the JSON of a
    played spec shrinks by a fifth)."""
    return frame.assign(
        **{c: frame[c].map(lambda v: float(f"{v:.{DIGITS}g}")) for c in columns if c in frame}
    )


def layer_rows(layers: pd.DataFrame, quantities: list[str], pb: Playback) -> pd.DataFrame:
    """One row per ``variant, epoch, layer`` of the epochs held, with each quantity's mean over
    seeds (NaN where no seed has a positive value: a log scale cannot draw it) and, with
    several seeds, its min and max as ``<quantity>_low`` and ``<quantity>_high``. Where a
    quantity is exactly 0 in every seed somewhere, column ``<quantity>_zero`` marks those rows
    (a log scale has no 0: :func:`layer_panel` draws them on a row of their own, labelled 0).

    layers: the comparison's per-layer rows (``variant, seed, epoch, layer, is_output`` and
    the quantities)."""
    keys = ["variant", "epoch", "layer", "is_output"]
    held = layers[layers["epoch"].isin(pb.frames)]
    several = len(held) > 0 and held.groupby(keys)["seed"].nunique().max() > 1
    values = held[quantities].astype(float)
    # what a log scale can draw: positive finite values (the rest left out of every statistic)
    drawn = values.where(np.isfinite(values) & (values > 0))
    groups = drawn.groupby([held[k] for k in keys], sort=False)
    stats = {q: groups[q].mean() for q in quantities}
    if several:
        for q in quantities:
            stats[f"{q}_low"], stats[f"{q}_high"] = groups[q].min(), groups[q].max()
    zeros = (values == 0).groupby([held[k] for k in keys], sort=False)
    for q in quantities:
        if (values[q] == 0).any():
            stats[f"{q}_zero"] = zeros[q].all()
    columns = [c for q in quantities for c in (q, f"{q}_low", f"{q}_high") if c in stats]
    flags = [f"{q}_zero" for q in quantities if f"{q}_zero" in stats]
    band = pd.DataFrame({c: stats[c] for c in columns + flags}).reset_index()
    rows = held[keys].drop_duplicates().merge(band, on=keys, how="left")
    return _significant(rows.reset_index(drop=True), columns)


def _log_domain(rows: pd.DataFrame, columns: list[str]) -> list[float]:
    """The smallest and largest value of ``columns`` over every epoch (1 and 10 if none),
    which the axis widens to powers of ten."""
    values = pd.concat([rows[c] for c in columns if c in rows]).dropna()
    return [float(values.min()), float(values.max())] if len(values) else [1.0, 10.0]


def layer_panel(
    rows: pd.DataFrame,
    quantity: str,
    title_key: str,
    axis_key: str,
    tr: Text,
    scale: alt.Scale,
    keep: str = SHOWN_FILTER,
    legend: dict = LEGEND,
    domain: list[float] | None = None,
) -> dict:
    """``quantity`` against the layer, log scale (over ``domain``, or over every value held), the output layer marked with a hollow square,
    a band from ``<quantity>_low`` to ``_high`` where ``rows`` has them; each mark keeps the
    rows that pass ``keep`` (by default the epoch shown). Rows marked ``<quantity>_zero`` (0 in
    every seed, see :func:`layer_rows`) are drawn as points on a row of their own at the bottom
    of the axis (:func:`ui.drawing.vegalite.zero_floor`), which is labelled 0 and set off by a dashed rule."""
    bounds = [quantity, f"{quantity}_low", f"{quantity}_high"]
    last_layer = int(rows["layer"].max()) if len(rows) else 1
    x = field("layer", "quantitative", title=tr("ax_layer"), axis={"tickMinStep": 1},
              scale={"domain": [1, last_layer]})  # fmt: skip
    fixed = domain is not None
    domain = list(domain) if fixed else _log_domain(rows, bounds)
    flag = f"{quantity}_zero"
    zeros = flag in rows and bool(rows[flag].fillna(False).astype(bool).any())
    floor = zero_floor(domain[0]) if zeros else None
    labels = POWER_LABELS if floor is None else f"datum.value <= {floor:.6g} ? '0' : {POWER_LABELS}"
    log = {"type": "log", "domain": [floor or domain[0], domain[1]], "nice": not fixed}
    axis = {"labelExpr": labels}
    ticks = log_ticks(floor or domain[0], domain[1])
    if ticks is not None:
        axis["values"] = ticks
    y = field(quantity, "quantitative", title=tr(axis_key), scale=log, axis=axis)
    value = field("value_text", "nominal", title=tr(axis_key))
    kept = [{"filter": f"{keep} && isValid(datum.{quantity})"}, as_text(quantity, "value_text")]
    color = _variant(scale, tr, legend=legend)
    shape = _variant(scale, tr, shapes=True, legend=legend)
    variant_field = field("variant", "nominal", title=tr("ax_variant"))
    layer_field = field("layer", "quantitative", title=tr("ax_layer"))
    layers = [
        {
            "mark": {"type": "line", "point": True},
            "transform": kept,
            "encoding": {
                "x": x,
                "y": y,
                "color": color,
                "shape": shape,
                "tooltip": [variant_field, layer_field, value],
            },
        },
        {
            "mark": {"type": "point", "shape": "square", "size": 160, "filled": False,
                     "strokeWidth": 2},
            "transform": [*kept, {"filter": "datum.is_output"},
                          {"calculate": literal(tr("layer_output")), "as": "kind"}],
            "encoding": {
                "x": x,
                "y": y,
                "color": color,
                "tooltip": [variant_field, field("kind", "nominal", title=tr("ax_layer")),
                            value],
            },
        },
    ]  # fmt: skip
    if bounds[1] in rows:
        band = {"x": x, "y": field(bounds[1], "quantitative"), "y2": {"field": bounds[2]}}
        layers.insert(
            0,
            {
                "mark": {"type": "area", "opacity": 0.2},
                "transform": kept,
                "encoding": {**band, "color": color},
            },
        )
    if floor is not None:
        at_floor = {"y": {"datum": floor, "type": "quantitative", "scale": log}}
        exact = field("exact", "nominal", title=tr(axis_key))
        layers += [
            # one rule, from the rows of the epoch shown (every mark follows the epoch)
            {"mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [2, 3], "opacity": 0.6},
             "transform": [{"filter": keep}, {"aggregate": [{"op": "count", "as": "rows"}]}],
             "encoding": at_floor},
            {"mark": {"type": "point", "filled": True, "size": 70},
             "transform": [{"filter": f"{keep} && datum.{flag}"},
                           {"calculate": literal(tr("exactly_zero")), "as": "exact"}],
             "encoding": {"x": x, **at_floor, "color": color, "shape": shape,
                          "tooltip": [variant_field, layer_field, exact]}},
        ]  # fmt: skip
    return {
        "layer": layers,
        "title": {"text": tr(title_key), "anchor": "start"},
        "width": PANEL_WIDTH,
        "height": PANEL_HEIGHT,
    }


def layer_profile(
    layers: pd.DataFrame,
    quantity: str,
    title_key: str,
    axis_key: str,
    tr: Text,
    scale,
    height: int,
    legend: dict,
    domain: list[float] | None = None,
) -> dict:
    """``quantity`` against the layer at the one epoch ``layers`` holds: a panel of
    :func:`layer_panels` as a chart of its own, as wide as its container and ``height`` tall
    with its ``legend`` (built in milliseconds: the live chart is redrawn while a run trains),
    on a log axis over ``domain`` (by default, over the values drawn).

    layers: per-layer rows of one epoch (labelled variants, every seed). Layers without a value
    to draw (the output layer's activation slope) are left out, axis included."""
    epoch = int(layers["epoch"].max()) if len(layers) else 0
    rows = layer_rows(layers, [quantity], Playback(epoch))
    drawn = rows[quantity].notna()
    if f"{quantity}_zero" in rows:
        drawn |= rows[f"{quantity}_zero"].fillna(False).astype(bool)
    rows = rows[drawn]
    panel = layer_panel(rows, quantity, title_key, axis_key, tr, scale, "true", legend, domain)
    del panel["width"]
    panel["height"] = height
    return {"$schema": SCHEMA, "data": {"name": ROWS}, "datasets": {ROWS: records(rows)}, **panel}


def layer_panels(
    layers: pd.DataFrame,
    quantities: list[tuple[str, str, str]],
    pb: Playback,
    tr: Text,
    scale: alt.Scale,
) -> dict:
    """The per-layer panels, two by two with one legend, and the timeline, playing the epochs
    of ``pb`` (a Vega-Lite spec; :func:`animate` makes it move).

    layers: the comparison's per-layer rows (labelled variants); quantities: ``(column, title
    key, axis key)`` per panel. An ``update_ratio`` panel says at epoch 0 that no update has
    happened yet."""
    rows = layer_rows(layers, [q for q, _, _ in quantities], pb)
    no_update = {
        "data": {"values": [{"note": tr("play_no_update")}]},
        "transform": [{"filter": f"{SHOWN} == 0"}],
        "mark": {"type": "text", "align": "left", "baseline": "top", "color": NEUTRAL,
                 "limit": PANEL_WIDTH - 16},
        "encoding": {"text": field("note", "nominal"), "x": {"value": 8}, "y": {"value": 8}},
    }  # fmt: skip
    panels = []
    for q, title_key, axis_key in quantities:
        panel = layer_panel(rows, q, title_key, axis_key, tr, scale)
        if q == "update_ratio":
            panel["layer"].append(no_update)
        panels.append(panel)
    grid = {"concat": panels, "columns": 2, "spacing": SPACING}
    width = 2 * PANEL_WIDTH + AXIS_ROOM + SPACING
    return _played(pb, tr, [grid, timeline(pb, tr, width)], rows)


def histogram_rows(hist: pd.DataFrame, pb: Playback) -> pd.DataFrame:
    """The bins of the epochs held, first seed, the layers :func:`ui.drawing.charts.shown_layers`
    picks: ``variant, epoch, layer, bin_start, bin_end, overflow, share`` (share: of the
    layer's values in that epoch; overflow bins drawn as :func:`ui.drawing.charts.drawable_bins`)."""
    first = hist[(hist["seed"] == hist["seed"].min()) & hist["epoch"].isin(pb.frames)]
    h = drawable_bins(
        first[first["layer"].isin(shown_layers(int(hist["layer"].max()) if len(hist) else 0))]
    )
    totals = h.groupby(["variant", "epoch", "layer"])["count"].transform("sum")
    rows = h.assign(share=h["count"] / totals)[
        ["variant", "epoch", "layer", "bin_start", "bin_end", "overflow", "share"]
    ]
    return _significant(rows.reset_index(drop=True), ["bin_start", "bin_end", "share"])


def histograms(
    hist: pd.DataFrame, pb: Playback, tr: Text, scale: alt.Scale, title_key: str, x_key: str
) -> dict:
    """Small multiples of the layers' histograms (as :func:`ui.drawing.charts.layer_histograms`: one
    row per layer, one column per variant, bars the share of the layer's values in each bin,
    overflow bins lighter), and the timeline, playing the epochs of ``pb`` on fixed axes (a
    Vega-Lite spec; :func:`animate` makes it move).

    hist: ``variant, seed, epoch, layer, bin_start, bin_end, count`` (labelled variants)."""
    rows = histogram_rows(hist, pb)
    columns = max(1, rows["variant"].nunique())
    room = 2 * PANEL_WIDTH + AXIS_ROOM + SPACING - SPACING * (columns - 1)
    width = max(90, min(200, room // columns))  # the grid fits where the per-layer panels do
    x_domain = (
        [float(rows["bin_start"].min()), float(rows["bin_end"].max())] if len(rows) else [0, 1]
    )
    top = float(rows["share"].max()) if len(rows) else 1.0
    x_title = tr(x_key)
    cells = {
        "name": "cells",  # a facet in a concat needs a name
        "transform": [{"filter": SHOWN_FILTER}],
        "mark": {"type": "rect"},
        "encoding": {
            "x": field("bin_start", "quantitative", title=x_title, bin="binned",
                       scale={"domain": x_domain}),
            "x2": {"field": "bin_end"},
            "y": field("share", "quantitative", title=None, axis=None,
                       scale={"domain": [0, top]}),
            "y2": {"datum": 0},
            "color": _variant(scale, tr),
            "opacity": {"condition": {"test": "datum.overflow", "value": 0.45}, "value": 1.0},
            "tooltip": [
                field("variant", "nominal", title=tr("ax_variant")),
                field("layer", "ordinal", title=tr("ax_layer")),
                field("bin_start", "quantitative", title=x_title, format=".2f"),
                field("share", "quantitative", title=tr("ax_share"), format=".1%"),
            ],
        },
        "width": width,
        "height": 28,
    }  # fmt: skip
    grid = {
        "facet": {
            "row": field("layer", "ordinal", title=tr("ax_layer"), header={"labelAngle": 0}),
            "column": field("variant", "nominal", title=None, sort=list(scale.domain)),
        },
        "spec": cells,
        "spacing": {"row": 2, "column": SPACING},
        "title": tr(title_key),
    }
    width = columns * width + (columns - 1) * SPACING
    return _played(pb, tr, [grid, timeline(pb, tr, width)], rows)


def animate(spec: dict, pb: Playback) -> dict:
    """``spec`` (a played chart's Vega-Lite spec) with the handlers that move its ``epoch``: a
    timer that advances it every :attr:`Playback.interval_ms` while ``play`` is on, and a click
    on a timeline cell that sets it to that cell's epoch. Vega signal ``on`` handlers, which
    Vega-Lite passes on from the parameter to its signal (see the module docstring)."""
    handlers = [
        {"events": {"type": "timer", "throttle": pb.interval_ms}, "update": pb.next_expr},
        {"events": {"type": "click", "markname": f"{TIMELINE}_marks"}, "update": "datum.epoch"},
    ]
    params = [{**p, "on": handlers} if p.get("name") == EPOCH else p for p in spec["params"]]
    return {**spec, "params": params}


def at_epoch(spec: dict, epoch: int) -> dict:
    """``spec`` opening at ``epoch`` (clamped into the slider's range), a shallow copy: the
    memoized spec is shared by every visitor and stays as it is."""
    params = []
    for p in spec["params"]:
        if p.get("name") == EPOCH:
            p = {**p, "value": min(max(int(epoch), 0), p["bind"]["max"])}
        params.append(p)
    return {**spec, "params": params}
