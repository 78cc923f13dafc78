"""Playback: the per-layer charts and the gradient histograms of every epoch in one Vega-Lite
spec, shown one epoch at a time in the browser, with play / pause, a slider to step and a
timeline, and no server rerun per frame. Pure (no Streamlit): builders from frames to specs.

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
  to the spec dict after Altair has built (and can validate) the rest;
- the timeline under the charts is a point selection ``pick``: drawn with
  ``on_select="rerun"`` (see :mod:`ui.technique`), a click reruns the page once and puts the
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

import json
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .charts import NEUTRAL, PALETTE, SHAPES, drawable_bins, seed_band, shown_layers
from .i18n import Text

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


def controls(pb: Playback, tr: Text) -> list[alt.Parameter]:
    """The slider ``epoch`` (opening at 0, see :func:`at_epoch`), the check box ``play`` and
    the epoch drawn, ``shown``."""
    return [
        alt.param(
            name=EPOCH,
            value=0,
            bind=alt.binding_range(min=0, max=pb.last, step=1, name=tr("play_epoch")),
        ),
        alt.param(name=PLAY, value=False, bind=alt.binding_checkbox(name=tr("play_play"))),
        alt.param(name=SHOWN, expr=pb.shown_expr),
    ]


def _legend(tr: Text) -> alt.Legend:
    """Above the charts, two variants a row: under them it would push the controls, which
    Vega draws under a chart, out of sight."""
    return alt.Legend(orient="top", columns=2, labelLimit=320, title=tr("ax_variant"))


def _color(scale: alt.Scale, tr: Text) -> alt.Color:
    return alt.Color("variant:N", scale=scale, legend=_legend(tr))


def _shape(scale: alt.Scale, tr: Text) -> alt.Shape:
    shapes = alt.Scale(domain=scale.domain, range=SHAPES[: len(scale.domain)])
    return alt.Shape("variant:N", scale=shapes, legend=_legend(tr))


def _literal(text: str) -> str:
    """``text`` as a string literal of a Vega expression."""
    return json.dumps(text, ensure_ascii=False)


def title(pb: Playback, tr: Text) -> alt.TitleParams:
    """The epoch shown, as the chart's title (a Vega expression, so that it follows the
    slider): epoch 0 is named as the network at initialization that the page's text reads."""
    before, after = tr("play_title", epoch="{epoch}", last=pb.last).split("{epoch}")
    text = (
        f"{SHOWN} == 0 ? {_literal(tr('play_title_init', last=pb.last))} : "
        f"{_literal(before)} + {SHOWN} + {_literal(after)}"
    )
    subtitle = tr("play_thinned", stride=pb.stride) if pb.stride > 1 else alt.Undefined
    return alt.TitleParams(alt.ExprRef(expr=text), subtitle=subtitle, anchor="start", fontSize=15)


def timeline(pb: Playback, tr: Text, width: int | None = None) -> alt.Chart:
    """One cell per epoch held, the one shown highlighted; a click on a cell shows that epoch
    (:func:`animate`) and selects it (``pick``, which Streamlit reports)."""
    pick = alt.selection_point(name=PICK, fields=["epoch"], on="click", clear=False, toggle=False)
    chart = (
        alt.Chart(pd.DataFrame({"epoch": pb.frames}))
        .mark_rect(cursor="pointer", cornerRadius=2)
        .encode(
            x=alt.X(
                "epoch:O",
                title=tr("play_timeline"),
                scale=alt.Scale(paddingInner=0.2),
                axis=alt.Axis(labelAngle=0, labelOverlap=True),
            ),
            color=alt.condition(SHOWN_FILTER, alt.value(PALETTE[1]), alt.value(NEUTRAL)),
            opacity=alt.condition(SHOWN_FILTER, alt.value(1.0), alt.value(0.3)),
            tooltip=[alt.Tooltip("epoch:O", title=tr("ax_epoch"))],
        )
        .add_params(pick)
        .properties(name=TIMELINE, height=TIMELINE_HEIGHT)
    )
    return chart.properties(width=width) if width else chart


def _played(pb: Playback, tr: Text, charts: list, **kwargs) -> alt.VConcatChart:
    """``charts`` one above the other with the controls, the epoch as the title, drawn as SVG
    (built in one go: each step of Altair's fluent API copies the whole chart)."""
    return alt.VConcatChart(
        vconcat=charts,
        params=[p.param for p in controls(pb, tr)],
        title=title(pb, tr),
        usermeta=SVG,
        **kwargs,
    )


def _significant(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with ``columns`` rounded to :data:`DIGITS` significant digits (the JSON of a
    played spec shrinks by a fifth)."""
    return frame.assign(
        **{c: frame[c].map(lambda v: float(f"{v:.{DIGITS}g}")) for c in columns if c in frame}
    )


def layer_rows(layers: pd.DataFrame, quantities: list[str], pb: Playback) -> pd.DataFrame:
    """One row per ``variant, epoch, layer`` of the epochs held, with each quantity's mean over
    seeds (NaN where no seed has a positive value: a log scale cannot draw it) and, with
    several seeds, its min and max as ``<quantity>_low`` and ``<quantity>_high``.

    layers: the comparison's per-layer rows (``variant, seed, epoch, layer, is_output`` and
    the quantities)."""
    keys = ["variant", "epoch", "layer", "is_output"]
    held = layers[layers["epoch"].isin(pb.frames)]
    several = len(held) > 0 and held.groupby(keys)["seed"].nunique().max() > 1
    rows = held[keys].drop_duplicates()
    for q in quantities:
        band = seed_band(held[held[q] > 0], keys, q).drop(columns="seeds")
        band = band.rename(columns={"mean": q, "low": f"{q}_low", "high": f"{q}_high"})
        if not several:
            band = band.drop(columns=[f"{q}_low", f"{q}_high"])
        rows = rows.merge(band, on=keys, how="left")
    values = [c for c in rows.columns if c not in keys]
    return _significant(rows.reset_index(drop=True), values)


def _log_domain(rows: pd.DataFrame, columns: list[str]) -> list[float]:
    """The smallest and largest value of ``columns`` over every epoch (1 and 10 if none),
    which the axis widens to powers of ten."""
    values = pd.concat([rows[c] for c in columns if c in rows]).dropna()
    return [float(values.min()), float(values.max())] if len(values) else [1.0, 10.0]


def _layer_panel(
    rows: pd.DataFrame, quantity: str, title_key: str, axis_key: str, tr: Text, scale, note=None
) -> alt.LayerChart:
    """``quantity`` against the layer at the epoch shown, log scale, the output layer marked
    with a hollow square (as :func:`ui.charts.by_layer`); ``note``: a text layer to add."""
    bounds = [quantity, f"{quantity}_low", f"{quantity}_high"]
    x = alt.X(
        "layer:Q",
        title=tr("ax_layer"),
        axis=alt.Axis(tickMinStep=1),
        scale=alt.Scale(domain=[1, int(rows["layer"].max()) if len(rows) else 1]),
    )
    y = alt.Y(
        f"{quantity}:Q",
        title=tr(axis_key),
        scale=alt.Scale(type="log", domain=_log_domain(rows, bounds), nice=True),
        axis=alt.Axis(format=".0e"),
    )
    base = alt.Chart().transform_filter(f"{SHOWN_FILTER} && isValid(datum.{quantity})")
    value = alt.Tooltip(f"{quantity}:Q", format=".3~g", title=tr(axis_key))
    layers = [
        base.mark_line(point=True).encode(
            x=x,
            y=y,
            color=_color(scale, tr),
            shape=_shape(scale, tr),
            tooltip=["variant:N", "layer:Q", value],
        ),
        base.transform_filter("datum.is_output")
        .transform_calculate(kind=_literal(tr("layer_output")))
        .mark_point(shape="square", size=160, filled=False, strokeWidth=2)
        .encode(x=x, y=y, color=_color(scale, tr), tooltip=["variant:N", "kind:N", value]),
    ]
    if f"{quantity}_low" in rows:
        band = base.mark_area(opacity=0.2).encode(
            x=x, y=f"{quantity}_low:Q", y2=f"{quantity}_high:Q", color=_color(scale, tr)
        )
        layers.insert(0, band)
    if note is not None:
        layers.append(note)
    title = alt.TitleParams(tr(title_key), anchor="start")
    return alt.LayerChart(layer=layers, title=title, width=PANEL_WIDTH, height=PANEL_HEIGHT)


def layer_panels(
    layers: pd.DataFrame,
    quantities: list[tuple[str, str, str]],
    pb: Playback,
    tr: Text,
    scale: alt.Scale,
) -> alt.VConcatChart:
    """The per-layer panels, two by two with one legend, and the timeline, playing the epochs
    of ``pb``.

    layers: the comparison's per-layer rows (labelled variants); quantities: ``(column, title
    key, axis key)`` per panel. An ``update_ratio`` panel says at epoch 0 that no update has
    happened yet."""
    rows = layer_rows(layers, [q for q, _, _ in quantities], pb)
    no_update = (
        alt.Chart(pd.DataFrame({"note": [tr("play_no_update")]}))
        .transform_filter(f"{SHOWN} == 0")
        .mark_text(align="left", baseline="top", color=NEUTRAL, limit=PANEL_WIDTH - 16)
        .encode(text="note:N", x=alt.value(8), y=alt.value(8))
    )
    panels = [
        _layer_panel(rows, q, t, a, tr, scale, no_update if q == "update_ratio" else None)
        for q, t, a in quantities
    ]
    grid = alt.ConcatChart(concat=panels, columns=2, spacing=SPACING)
    width = 2 * PANEL_WIDTH + AXIS_ROOM + SPACING
    return _played(pb, tr, [grid, timeline(pb, tr, width)], data=rows)


def histogram_rows(hist: pd.DataFrame, pb: Playback) -> pd.DataFrame:
    """The bins of the epochs held, first seed, the layers :func:`ui.charts.shown_layers`
    picks: ``variant, epoch, layer, bin_start, bin_end, overflow, share`` (share: of the
    layer's values in that epoch; overflow bins drawn as :func:`ui.charts.drawable_bins`)."""
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
) -> alt.VConcatChart:
    """Small multiples of the layers' histograms (as :func:`ui.charts.layer_histograms`: one
    row per layer, one column per variant, bars the share of the layer's values in each bin,
    overflow bins lighter), and the timeline, playing the epochs of ``pb`` on fixed axes.

    hist: ``variant, seed, epoch, layer, bin_start, bin_end, count`` (labelled variants)."""
    rows = histogram_rows(hist, pb)
    columns = max(1, rows["variant"].nunique())
    room = 2 * PANEL_WIDTH + AXIS_ROOM + SPACING - SPACING * (columns - 1)
    width = max(90, min(200, room // columns))  # the grid fits where the per-layer panels do
    x_domain = (
        [float(rows["bin_start"].min()), float(rows["bin_end"].max())] if len(rows) else [0, 1]
    )
    top = float(rows["share"].max()) if len(rows) else 1.0
    cells = (
        alt.Chart(rows)
        .transform_filter(SHOWN_FILTER)
        .mark_rect()
        .encode(
            x=alt.X("bin_start:Q", title=tr(x_key), bin="binned", scale=alt.Scale(domain=x_domain)),
            x2="bin_end:Q",
            y=alt.Y("share:Q", title=None, axis=None, scale=alt.Scale(domain=[0, top])),
            y2=alt.datum(0),
            color=_color(scale, tr),
            opacity=alt.condition("datum.overflow", alt.value(0.45), alt.value(1.0)),
            tooltip=[
                "variant:N",
                "layer:O",
                alt.Tooltip("bin_start:Q", title=tr(x_key), format=".2f"),
                alt.Tooltip("share:Q", title=tr("ax_share"), format=".1%"),
            ],
        )
        .properties(width=width, height=28, name="cells")  # a facet in a concat needs a name
    )
    grid = cells.facet(
        row=alt.Row("layer:O", title=tr("ax_layer"), header=alt.Header(labelAngle=0)),
        column=alt.Column("variant:N", title=None, sort=list(scale.domain)),
        spacing={"row": 2, "column": SPACING},
    ).properties(title=tr(title_key))
    return _played(pb, tr, [grid, timeline(pb, tr, columns * width + (columns - 1) * SPACING)])


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
