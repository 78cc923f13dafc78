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

import pandas as pd

from ..text.i18n import Text
from . import vegalite as vl
from .layers import ROWS, histogram_cell, histogram_facet, layer_panel, layer_rows
from .style import NEUTRAL, PALETTE, VariantScale, histogram_shares, legend

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
#: Drawn as SVG, so that the epoch shown is text in the page (a test reads it).
SVG = {"embedOptions": {"renderer": "svg"}}


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
LEGEND = legend(orient="top", columns=2)


def title(pb: Playback, tr: Text) -> dict:
    """The epoch shown, as the chart's title (a Vega expression, so that it follows the
    slider): epoch 0 is named as the network at initialization that the page's text reads."""
    before, after = tr("play_title", epoch="{epoch}", last=pb.last).split("{epoch}")
    text = (
        f"{SHOWN} == 0 ? {vl.literal(tr('play_title_init', last=pb.last))} : "
        f"{vl.literal(before)} + {SHOWN} + {vl.literal(after)}"
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
            "x": vl.field("epoch", "ordinal", title=tr("play_timeline"),
                          scale={"paddingInner": 0.2}, axis=x_axis),
            "color": vl.when(SHOWN_FILTER, PALETTE[1], NEUTRAL),
            "opacity": vl.when(SHOWN_FILTER, 1.0, 0.3),
            "tooltip": [vl.field("epoch", "ordinal", title=tr("ax_epoch"))],
        },
        "width": width,
        "height": TIMELINE_HEIGHT,
    }  # fmt: skip


def _played(pb: Playback, tr: Text, charts: list[dict], rows: pd.DataFrame) -> dict:
    """``charts`` one above the other with the controls, the epoch as the title, drawn as SVG;
    ``rows``: the data every chart reads unless it carries its own."""
    return vl.chart(
        data={"name": ROWS},
        datasets={ROWS: vl.records(rows)},
        vconcat=charts,
        params=controls(pb, tr),
        title=title(pb, tr),
        usermeta=SVG,
    )


def layer_panels(
    layers: pd.DataFrame,
    quantities: list[tuple[str, str, str]],
    pb: Playback,
    tr: Text,
    scale: VariantScale,
) -> dict:
    """The per-layer panels, two by two with one legend, and the timeline, playing the epochs
    of ``pb`` (a Vega-Lite spec; :func:`animate` makes it move).

    layers: the comparison's per-layer rows (labelled variants); quantities: ``(column, title
    key, axis key)`` per panel. An ``update_ratio`` panel says at epoch 0 that no update has
    happened yet."""
    rows = layer_rows(layers, [q for q, _, _ in quantities], pb.frames)
    no_update = {
        "data": {"values": [{"note": tr("play_no_update")}]},
        "transform": [vl.keep(f"{SHOWN} == 0")],
        "mark": {"type": "text", "align": "left", "baseline": "top", "color": NEUTRAL,
                 "limit": PANEL_WIDTH - 16},
        "encoding": {"text": vl.field("note", "nominal"), "x": {"value": 8}, "y": {"value": 8},
                     "tooltip": None},
    }  # fmt: skip
    panels = []
    for q, title_key, axis_key in quantities:
        panel = layer_panel(rows, q, title_key, axis_key, tr, scale, SHOWN_FILTER, LEGEND)
        panel.update(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        if q == "update_ratio":
            panel["layer"].append(no_update)
        panels.append(panel)
    grid = {"concat": panels, "columns": 2, "spacing": SPACING}
    width = 2 * PANEL_WIDTH + AXIS_ROOM + SPACING
    return _played(pb, tr, [grid, timeline(pb, tr, width)], rows)


def histogram_rows(hist: pd.DataFrame, pb: Playback) -> pd.DataFrame:
    """The bins of the epochs held that a histogram grid draws (first seed, the layers shown:
    :func:`ui.drawing.style.histogram_shares`): ``variant, epoch, layer, bin_start, bin_end,
    overflow, share`` (share: of the layer's values in that epoch)."""
    h = histogram_shares(hist[hist["epoch"].isin(pb.frames)], ["variant", "epoch", "layer"])
    rows = h[["variant", "epoch", "layer", "bin_start", "bin_end", "overflow", "share"]]
    return vl.significant(rows.reset_index(drop=True), ["bin_start", "bin_end", "share"])


def histograms(
    hist: pd.DataFrame, pb: Playback, tr: Text, scale: VariantScale, title_key: str, x_key: str
) -> dict:
    """Small multiples of the layers' histograms (as :func:`ui.drawing.layers.layer_histograms`:
    one row per layer, one column per variant, bars the share of the layer's values in each
    bin, overflow bins lighter), and the timeline, playing the epochs of ``pb`` on fixed axes
    (a Vega-Lite spec; :func:`animate` makes it move).

    hist: ``variant, seed, epoch, layer, bin_start, bin_end, count`` (labelled variants)."""
    rows = histogram_rows(hist, pb)
    columns = max(1, rows["variant"].nunique())
    room = 2 * PANEL_WIDTH + AXIS_ROOM + SPACING - SPACING * (columns - 1)
    width = max(90, min(200, room // columns))  # the grid fits where the per-layer panels do
    x_domain = (
        [float(rows["bin_start"].min()), float(rows["bin_end"].max())] if len(rows) else [0, 1]
    )
    top = float(rows["share"].max()) if len(rows) else 1.0
    cell = histogram_cell(
        tr, scale, tr(x_key), LEGEND, x={"domain": x_domain}, y={"domain": [0, top]}
    )
    # a facet in a concat needs a name
    cells = {"name": "cells", "transform": [vl.keep(SHOWN_FILTER)], **cell, "width": width}
    grid = {
        "facet": histogram_facet(scale, tr),
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
