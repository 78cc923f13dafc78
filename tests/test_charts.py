"""Chart builders return valid Vega-Lite dicts built from real comparison frames, with every
field a reader sees titled in the page's language."""

import glob
import inspect
import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vega_lite

from core import ModelConfig, TrainConfig, Variant, compare, datasets
from ui.drawing import curves, diagrams, grids, layers, playback, style
from ui.drawing import vegalite as vl
from ui.text.format import power_of_ten
from ui.text.i18n import Text

tr = Text("en")


@pytest.fixture(scope="module")
def comp():
    data = datasets.load("moons")
    cfg = TrainConfig(epochs=2, batch_size=64, lr=0.05)
    variants = [
        Variant(
            "tanh", ModelConfig(hidden=(8,) * 3, activation="tanh", init="glorot_uniform"), cfg
        ),
        Variant("relu", ModelConfig(hidden=(8,) * 3, activation="relu", init="he_normal"), cfg),
        Variant(
            "boom",
            ModelConfig(hidden=(8,) * 3, activation="relu", init="random_normal", init_std=30.0),
            TrainConfig(epochs=2, lr=1.0),
        ),
    ]
    return compare(variants, data, seeds=(0, 1))


@pytest.fixture(scope="module")
def scale(comp):
    return style.variant_colors(comp.variants)


def test_colours_are_fixed_per_variant(scale):
    assert scale.domain == ("tanh", "relu", "boom")
    assert list(scale.range) == style.PALETTE[:3]
    kept = style.variant_colors(["b"], among=["a", "b"])
    assert kept.range == (style.PALETTE[1],)  # a variant keeps its colour on the page


# --- every builder ---------------------------------------------------------------------------


def _summary(comp):
    return pd.concat(
        [h.clip_summary().assign(variant=v, seed=s) for (v, s), h in comp.runs.items()]
    )


def _trace():
    steps = np.arange(1, 6)
    return pd.DataFrame(
        {"step": np.tile(steps, 2), "label": np.repeat(["keras 0.9", "torch 0.1"], 5),
         "convention": np.repeat(["keras", "torch"], 5), "momentum": np.repeat([0.9, 0.1], 5),
         "mean_error": 1.0 / np.tile(steps, 2), "var_error": 0.5 / np.tile(steps, 2)}
    )  # fmt: skip


def _boundaries(comp, t):
    grid = pd.DataFrame(
        {"x": [0.0, 1.0], "x2": [1.0, 2.0], "y": [0.0, 0.0], "y2": [1.0, 1.0], "label": [0, 1],
         "confidence": [0.9, 0.6]}
    )  # fmt: skip
    grid = pd.concat([grid.assign(variant=v) for v in comp.variants])
    points = pd.DataFrame({"x": [0.5], "y": [0.5], "label": [1]})
    return diagrams.decision_boundaries(grid, points, t)


def _gallery(t):
    z = np.linspace(-1, 1, 5)
    lines = pd.concat(
        [pd.DataFrame({"activation": "ReLU", "z": z, "value": np.maximum(z, 0), "curve": c})
         for c in ("f", "f'")]
    )  # fmt: skip
    flat = pd.DataFrame({"activation": ["ReLU"], "start": [-1.0], "end": [0.0]})
    return diagrams.activation_gallery(lines, flat, t)


def _sigmoid(t):
    z = np.linspace(-1, 1, 5)
    return diagrams.function_and_derivative(
        pd.DataFrame({"z": z, "value": z, "curve": t("ov_function")}),
        t,
        pd.DataFrame({"start": [-1.0], "end": [-0.5]}),
        pd.DataFrame({"z": [-1.0, 1.0], "value": [0.25, 0.75]}),
    )


def _weights(t):
    edges = np.linspace(-1, 1, 5)
    counts = pd.DataFrame(
        {"variant": "He", "bin_start": edges[:-1], "bin_end": edges[1:], "count": [1, 3, 3, 1],
         "bound": 0.9}
    )  # fmt: skip
    return diagrams.weight_histograms(counts, t, style.variant_colors(["He"]))


def _played_layers(comp, t, s):
    pb = playback.Playback(2)
    quantities = [("backprop_norm", "chart_backprop_norm", "ax_backprop_norm"),
                  ("update_ratio", "chart_update_ratio", "ax_update_ratio")]  # fmt: skip
    return playback.layer_panels(comp.layers, quantities, pb, t, s)


def _cells(comp, column, how):
    hidden = comp.layers[~comp.layers["is_output"]]
    return hidden.groupby(["variant", "epoch", "layer"])[column].agg(how).reset_index()


#: Every builder of ui/drawing, as ``name: (comp, tr, scale) -> spec`` on real frames.
BUILDERS = {
    "training_curves": lambda c, t, s: curves.training_curves(c.metrics, t, s, c.diverged),
    "bn_gap": lambda c, t, s: curves.bn_gap(
        c.metrics.assign(split=c.metrics["split"].replace({"train": "val_batch_stats"})), t, s
    ),
    "accuracy_over_baseline": lambda c, t, s: curves.accuracy_over_baseline(
        c.metrics, 0.628, t, s, c.diverged
    ),
    "per_epoch": lambda c, t, s: curves.per_epoch(
        _summary(c), "share_clipped", t, s, "cl_share_chart", "ax_share_clipped"
    ),
    "step_norms": lambda c, t, s: curves.step_norms(c.steps, t, s, threshold=1.0),
    "lr_sweep": lambda c, t, s: curves.lr_sweep(
        pd.DataFrame(
            {
                "variant": ["tanh", "tanh"],
                "lr": [0.01, 1.0],
                "loss": [0.5, np.nan],
                "diverged": [False, True],
            }
        ),
        t,
        s,
    ),  # fmt: skip
    "sweep": lambda c, t, s: curves.sweep(
        pd.DataFrame(
            {
                "variant": ["relu"] * 2,
                "threshold": [0.1, 1.0],
                "accuracy": [0.5, 0.8],
                "diverged": [False, False],
            }
        ),
        "threshold",
        t("cl_threshold"),
        "accuracy",
        t("ax_accuracy"),
        False,
        s,
        t,
    ),  # fmt: skip
    "moving_average_trace": lambda c, t, s: curves.moving_average_trace(_trace(), t),
    "layer_profile": lambda c, t, s: layers.layer_profile(
        c.layers[c.layers["epoch"] == 1],
        "grad_norm",
        "chart_grad_norm",
        "ax_grad_norm",
        t,
        s,
        470,
        style.BELOW,
    ),  # fmt: skip
    "measured_vs_theory": lambda c, t, s: layers.measured_vs_theory(
        c.layers[c.layers["epoch"] == 0]
        .groupby(["variant", "layer"])["act_std"]
        .mean()
        .reset_index(name="mean")
        .assign(mean=lambda f: f["mean"].where(f["layer"] != 2, 0.0)),
        pd.DataFrame({"variant": ["relu"] * 3, "layer": [1, 2, 3], "mean": [1.0, 1.0, 1.0]}),
        t,
        s,
    ),  # fmt: skip
    "act_histograms": lambda c, t, s: layers.act_histograms(c.act_hist, 0, t, s),
    "layer_epoch_heatmap": lambda c, t, s: grids.layer_epoch_heatmap(
        _cells(c, "dead", "mean"), "dead", t, "t"
    ),
    "distinct_units": lambda c, t, s: grids.distinct_units(
        _cells(c, "distinct_units", "max"), 8, t
    ),
    "zero_grid": lambda c, t, s: grids.zero_grid(
        pd.DataFrame(
            {
                "layer": [1, 1, 2, 2],
                "what": [t("param_weights"), t("param_biases")] * 2,
                "largest": [0.0, 0.0, 0.0, 0.3],
            }
        ),
        t,
        "t",
        [t("param_weights"), t("param_biases")],
    ),  # fmt: skip
    "accuracy_grid": lambda c, t, s: grids.accuracy_grid(
        pd.DataFrame({"init": ["He", "He"], "bn": ["none", "before"], "accuracy": [0.2, np.nan]}), t
    ),
    "function_and_derivative": lambda c, t, s: _sigmoid(t),
    "activation_gallery": lambda c, t, s: _gallery(t),
    "weight_histograms": lambda c, t, s: _weights(t),
    "clipping_geometry": lambda c, t, s: diagrams.clipping_geometry(
        pd.DataFrame({"label": ["a", "b", "c"], "x": [0.0, 0.9, 0.01], "y": [1.0, 1.0, 1.0]}),
        1.0,
        t,
    ),  # fmt: skip
    "decision_boundaries": lambda c, t, s: _boundaries(c, t),
    "layer_panels": lambda c, t, s: playback.animate(_played_layers(c, t, s), playback.Playback(2)),
    "histograms": lambda c, t, s: playback.histograms(
        c.grad_hist, playback.Playback(2), t, s, "chart_grad_hist", "ax_log_grad"
    ),
}


def test_every_builder_of_the_package_is_measured_here():
    """A builder added to ui/drawing is added to :data:`BUILDERS` too."""
    public = {
        name
        for module in (curves, layers, grids, diagrams)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_")
        and inspect.signature(fn).return_annotation == "dict"
        and "tr" in inspect.signature(fn).parameters
    }  # fmt: skip
    parts = {"layer_panel", "histogram_cell", "histogram_facet", "layer_histograms"}
    assert public - parts - set(BUILDERS) == set()


def without_handlers(spec: dict) -> dict:
    """``spec`` less the Vega signal handlers a played chart adds (Vega-Lite's schema does
    not list them: see :mod:`ui.drawing.playback`)."""
    if "params" not in spec:
        return spec
    return {**spec, "params": [{k: v for k, v in p.items() if k != "on"} for p in spec["params"]]}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_builder_returns_a_valid_vega_lite_dict(comp, scale, name):
    spec = BUILDERS[name](comp, tr, scale)
    assert isinstance(spec, dict) and spec["$schema"] == vl.SCHEMA
    vega_lite.assert_chart(without_handlers(spec))
    json.dumps(spec, allow_nan=False)  # what the browser is sent: no NaN, no numpy scalars


def test_the_specs_name_the_schema_altair_ships():
    assert vl.SCHEMA == alt.SCHEMA_URL


def data_rows(spec) -> list[dict]:
    """Every row a spec carries, in ``datasets`` or inline ``values``."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "datasets":
                found += [row for rows in value.values() for row in rows]
            elif (
                key == "values" and isinstance(value, list) and value and isinstance(value[0], dict)
            ):
                found += value
            else:
                found += data_rows(value)
    elif isinstance(spec, list):
        for item in spec:
            found += data_rows(item)
    return found


#: A column name or an internal code: lower-case ASCII words joined by underscores.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
#: The frames' own codes for splits, conventions and statistics, which a chart shows translated.
CODES = {"train", "val", "val_batch_stats", "keras", "torch", "mean_error", "var_error"}
#: Titles that are the mathematics' own names, the same in every language.
MATHS = {"z"}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_in_korean_no_reader_sees_a_column_name(comp, scale, name):
    """Axis, legend, header and tooltip titles are the catalogue's Korean, never a column's
    name, and no value a legend, header, label or tooltip shows is a column name or a code of
    the frames (``val``, ``mean_error``)."""
    ko = Text("ko")
    spec = BUILDERS[name](comp, ko, scale)
    rows = data_rows(spec)
    columns = {key for row in rows for key in row} | CODES
    seen = vega_lite.seen_fields(spec)
    # an axis shared by layers takes its title from the layer that sets one (a band's bounds)
    titled = {channel for channel, enc in seen if enc.get("title") and channel in "xy"}
    drawn = [(ch, enc) for ch, enc in seen if enc.get("legend", "") is not None]  # a legend
    for channel, enc in drawn:
        if channel == "text" or channel in titled and "title" not in enc:
            continue
        title = enc.get("title", enc["field"])
        if title is None or title in MATHS:
            continue
        assert not IDENTIFIER.match(str(title)), (channel, enc["field"], title)
        assert title not in columns, (channel, title)
    shown = {enc["field"] for channel, enc in drawn if enc.get("type") == "nominal"}
    shown -= {"variant"}  # the page's own labels, handed in
    for row in rows:
        for key in shown & set(row):
            value = row[key]
            assert not (isinstance(value, str) and value in columns), (key, value)


# --- tooltips: every field named in the page's language, every number as the page writes it --


def tooltip_fields(unit: dict, encoding: dict) -> list[dict]:
    """The field encodings a mark's tooltip shows as Streamlit draws it: its theme gives every
    mark the tooltip of its whole encoding (``mark.tooltip: {"content": "encoding"}``), each
    field under its title or, untitled, its column's name, unless the encoding's ``tooltip``
    lists the fields (or is null: no tooltip) or the mark's ``tooltip`` is null."""
    mark = unit["mark"]
    if isinstance(mark, dict) and "tooltip" in mark and not mark["tooltip"]:
        return []
    if "tooltip" in encoding:
        tip = encoding["tooltip"]
        tips = [] if tip is None else tip if isinstance(tip, list) else [tip]
        return [t for t in tips if "field" in t]
    shown = []
    for enc in encoding.values():
        if isinstance(enc, dict) and "field" in enc:
            shown.append(enc)
        elif isinstance(enc, dict) and "field" in enc.get("condition", {}):
            shown.append(enc["condition"])
    return shown


def has_a_field(encoding: dict) -> bool:
    return any(
        isinstance(enc, dict) and ("field" in enc or "field" in enc.get("condition", {}))
        for enc in encoding.values()
    )


@pytest.mark.parametrize("name", list(BUILDERS))
def test_no_mark_leaves_its_tooltip_to_the_theme(comp, scale, name):
    """Each mark that encodes a column says what its tooltip shows, or that it has none:
    Streamlit's theme would otherwise show every encoded column under its raw name
    (``epoch``, ``mean``, ``label``) with its number unformatted."""
    for unit, encoding in vega_lite.marks_of(BUILDERS[name](comp, tr, scale)):
        decided = "tooltip" in encoding or (
            isinstance(unit["mark"], dict) and unit["mark"].get("tooltip", True) is None
        )
        assert decided or not has_a_field(encoding), (unit["mark"], sorted(encoding))


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_tooltip_names_its_fields_in_the_page_language(comp, scale, name, language):
    """Each field a tooltip shows has a title from the catalogue; in Korean it is neither a
    column's name nor an identifier (in English the catalogue's word may be the column's,
    as "epoch")."""
    t = Text(language)
    spec = BUILDERS[name](comp, t, scale)
    columns = {key for row in data_rows(spec) for key in row} | CODES
    shown = [f for unit, enc in vega_lite.marks_of(spec) for f in tooltip_fields(unit, enc)]
    for enc in shown:
        title = enc.get("title")
        assert isinstance(title, str) and title.strip(), (name, enc["field"], title)
        if language == "ko" and title not in MATHS:
            assert not IDENTIFIER.match(title) and title not in columns, (name, title)


def is_whole(value) -> bool:
    return value is None or (isinstance(value, (int, float)) and float(value).is_integer())


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_number_in_a_tooltip_is_formatted(comp, scale, name):
    """A quantitative field in a tooltip carries a format (``.1%``, ``.2f``…) unless every
    value it takes is a whole number (an epoch, a layer, a step, a count); numbers of any size
    are written in Python (``<column>_text``, :func:`ui.drawing.vegalite.with_text`) or by
    :func:`ui.drawing.vegalite.as_text`, never left as Vega writes them (1496629888)."""
    spec = BUILDERS[name](comp, tr, scale)
    rows = data_rows(spec)
    for unit, encoding in vega_lite.marks_of(spec):
        for enc in tooltip_fields(unit, encoding):
            if enc.get("type") != "quantitative" or "format" in enc:
                continue
            values = [row[enc["field"]] for row in rows if enc["field"] in row]
            assert values and all(map(is_whole, values)), (name, enc["field"], values[:3])


def test_the_divergence_marker_says_what_happened_in_the_page_language(comp, scale):
    ko = Text("ko")
    spec = curves.training_curves(comp.metrics, ko, scale, comp.diverged)
    cross, label = spec["hconcat"][0]["layer"][-2:]
    for unit in (cross, label):
        tips = unit["encoding"]["tooltip"]
        assert [t["title"] for t in tips] == [ko("ax_variant"), ko("ax_epoch"), ko("ax_outcome")]
        assert "mean" not in [t["field"] for t in tips]  # the last value recorded, not this one


def test_the_share_of_steps_clipped_reads_as_a_percent(comp, scale):
    share = BUILDERS["per_epoch"](comp, tr, scale)
    line = share["layer"][-1]["encoding"]
    assert line["tooltip"][-1]["format"] == ".1%" and line["y"]["axis"]["format"] == "%"
    cosine = curves.per_epoch(_summary(comp), "cosine_mean", tr, scale, "cl_cosine_chart",
                              "ax_cosine")  # fmt: skip
    line = cosine["layer"][-1]["encoding"]
    assert line["tooltip"][-1]["format"] == ".3~g" and "axis" not in line["y"]


def test_the_training_curves_show_the_same_numbers_in_every_tooltip(comp, scale):
    """Lines and the points on them show the loss written as the page writes it and the
    accuracy as a percent with one decimal."""
    spec = curves.training_curves(comp.metrics, tr, scale, comp.diverged)
    for panel, shown in zip(spec["hconcat"], ("mean_text", "mean"), strict=True):
        line, point = [u for u in panel["layer"] if u["mark"]["type"] in ("line", "point")][:2]
        assert line["encoding"]["tooltip"] == point["encoding"]["tooltip"]
        assert line["encoding"]["tooltip"][-1]["field"] == shown
    accuracy = spec["hconcat"][1]["layer"][1]["encoding"]["tooltip"][-1]
    assert accuracy["format"] == ".1%"


def test_the_korean_charts_read_their_titles_from_the_catalogue(comp, scale):
    ko = Text("ko")
    spec = BUILDERS["training_curves"](comp, ko, scale)
    loss = spec["hconcat"][0]["layer"][1]
    assert loss["encoding"]["color"]["title"] == ko("ax_variant") != tr("ax_variant")
    assert [t["title"] for t in loss["encoding"]["tooltip"]] == [
        ko("ax_variant"), ko("ax_split"), ko("ax_epoch"), ko("ax_loss"),
    ]  # fmt: skip
    assert {row["split"] for row in spec["datasets"]["loss"]} == {
        ko("split_train"), ko("split_val"),
    }  # fmt: skip


def test_no_module_of_the_package_imports_altair():
    for path in glob.glob("ui/drawing/*.py"):
        source = open(path, encoding="utf-8").read()
        assert not re.search(r"^\s*(import altair|from altair)", source, re.M), path


def test_training_curves_with_divergence(comp, scale):
    assert comp.diverged.diverged_at.notna().any(), "the 'boom' variant should diverge"
    spec = curves.training_curves(comp.metrics, tr, scale, comp.diverged)
    vega_lite.assert_valid(spec, "TopLevelHConcatSpec")
    loss, accuracy = spec["hconcat"]
    for panel in (loss, accuracy):
        marks = [layer["mark"]["type"] for layer in panel["layer"]]
        assert marks == ["area", "line", "point", "point", "text"]  # two seeds: a band
        assert "strokeDash" in panel["layer"][1]["encoding"]
    crosses = pd.DataFrame(spec["datasets"]["loss_diverged"])
    assert list(crosses["variant"]) == ["boom"] and set(crosses["label"]) == {"diverged"}
    assert crosses["epoch"].iloc[0] == comp.diverged.dropna()["diverged_at"].min()
    shown = pd.DataFrame(spec["datasets"]["accuracy"])
    assert set(shown["variant"]) == {"tanh", "relu", "boom"}


@pytest.mark.parametrize("quantity", ["backprop_norm", "grad_norm", "act_std", "update_ratio"])
def test_layer_charts_mark_the_output_layer(comp, scale, quantity):
    rows_of = comp.layers[comp.layers["epoch"] == 1]
    spec = layers.layer_profile(
        rows_of, quantity, "chart_grad_norm", "ax_grad_norm", tr, scale, 470, style.BELOW
    )
    vega_lite.assert_valid(spec, "TopLevelLayerSpec")
    marks = [layer["mark"] for layer in spec["layer"]]
    rows = pd.DataFrame(spec["datasets"]["rows"])
    zeros = f"{quantity}_zero" in rows and rows[f"{quantity}_zero"].fillna(False).any()
    floor = ["rule", "point"] if zeros else []  # exact zeros (dead layers): the zero row
    assert [m["type"] for m in marks] == ["area", "line", "point", *floor]  # two seeds: a band
    assert marks[2]["shape"] == "square" and not marks[2]["filled"]
    marked = rows[rows["is_output"]]  # the square's filter: datum.is_output
    assert set(marked["layer"]) == {4}  # 3 hidden layers, then the output layer
    # each point is the mean over the two seeds, the band their range
    seeds = rows_of[(rows_of["variant"] == "relu") & (rows_of["layer"] == 2)][quantity]
    row = rows[(rows["variant"] == "relu") & (rows["layer"] == 2)].iloc[0]
    assert row[quantity] == pytest.approx(seeds.mean(), rel=1e-3)
    assert (row[f"{quantity}_low"], row[f"{quantity}_high"]) == pytest.approx(
        (seeds.min(), seeds.max()), rel=1e-3
    )


def test_a_layer_profile_leaves_out_the_layers_it_cannot_draw(comp, scale):
    # the output layer has no activation slope: no point there, and no empty column for it
    at_1 = comp.layers[comp.layers["epoch"] == 1]
    assert at_1[at_1["is_output"]]["slope_mean"].isna().all()
    spec = layers.layer_profile(
        at_1, "slope_mean", "chart_slope_mean", "ax_slope_mean", tr, scale, 470, style.BELOW
    )
    rows = pd.DataFrame(spec["datasets"]["rows"])
    assert set(rows["layer"]) == {1, 2, 3} and not rows["is_output"].any()
    assert spec["layer"][-1]["encoding"]["x"]["scale"]["domain"] == [1, 3]


def test_overflow_bins_are_drawn_beyond_the_finite_range():
    hist = pd.DataFrame(
        {"bin_start": [-np.inf, -5.0, 5.0], "bin_end": [-5.0, -4.8, np.inf], "count": [1, 2, 3]}
    )
    drawn = style.drawable_bins(hist)
    assert drawn["overflow"].tolist() == [True, False, True]
    assert drawn["bin_start"].tolist() == pytest.approx([-5.4, -5.0, 5.0])
    assert drawn["bin_end"].tolist() == pytest.approx([-5.0, -4.8, 5.4])


def test_seed_band_aggregates_over_seeds(comp):
    band = style.seed_band(comp.layers[comp.layers.epoch == 0], ["variant", "layer"], "grad_norm")
    assert (band["seeds"] == 2).all()
    assert (band["low"] <= band["mean"]).all() and (band["mean"] <= band["high"]).all()


def test_seed_band_drops_non_finite():
    frame = pd.DataFrame({"variant": ["a"] * 3, "epoch": [0, 0, 0], "loss": [1.0, np.inf, np.nan]})
    band = style.seed_band(frame, ["variant", "epoch"], "loss")
    assert band["mean"].tolist() == [1.0] and band["seeds"].tolist() == [1]


@pytest.mark.parametrize(
    "n,most,expected", [(5, 12, [1, 2, 3, 4, 5]), (101, 5, [1, 26, 51, 76, 101])]
)
def test_shown_layers(n, most, expected):
    assert style.shown_layers(n, most) == expected


def test_the_clipping_geometry_draws_the_square_the_circle_and_the_arrows():
    arrows = pd.DataFrame({"label": ["a", "b", "c"], "x": [0.0, 0.9, 0.01], "y": [1.0, 1.0, 1.0]})
    geometry = diagrams.clipping_geometry(arrows, 1.0, tr)
    square, circle, ray, clipped, points = (layer["data"]["values"] for layer in geometry["layer"])
    assert max(abs(p["x"]) for p in square) == 1.0 and len(circle) == 121
    assert [p["label"] for p in ray] == ["a"] and [p["label"] for p in points] == ["b", "c"]
    x, y = (points and geometry["layer"][-1]["encoding"][axis]["scale"] for axis in "xy")
    assert x == y  # equal axes: a circle stays round


def test_a_sweep_draws_a_diverged_run_as_a_cross_at_the_top():
    sweep = pd.DataFrame(
        {"variant": ["x", "x"], "lr": [0.01, 1.0], "loss": [0.5, np.nan], "diverged": [False, True]}
    )
    spec = curves.lr_sweep(sweep, tr, style.variant_colors(["x"]))
    line, crosses = spec["layer"]
    assert line["transform"][0] == {"filter": "!datum.diverged"}
    assert crosses["transform"][0] == {"filter": "datum.diverged"}
    assert crosses["mark"]["shape"] == "cross" and crosses["encoding"]["y"] == {"value": 8}
    assert [row["loss"] for row in spec["data"]["values"]] == [0.5, None]


def test_the_heatmap_keeps_one_colour_scale_whatever_the_shares(comp):
    heat = comp.layers.groupby(["variant", "epoch", "layer"])["dead"].mean().reset_index()
    spec = grids.layer_epoch_heatmap(heat, "dead", tr, "t")
    cells = pd.DataFrame(spec["data"]["values"])
    assert len(cells) == len(heat) and set(cells["variant"]) == {"tanh", "relu", "boom"}
    # one colour scale for every page, 0 to 100 %, whatever the largest share measured
    assert spec["spec"]["encoding"]["color"]["scale"]["domain"] == [0, 1]
    small = grids.layer_epoch_heatmap(heat.assign(dead=heat["dead"] / 20), "dead", tr, "t")
    assert small["spec"]["encoding"]["color"]["scale"]["domain"] == [0, 1]


def test_distinct_units_panels_write_the_count_when_small(comp):
    counts = comp.layers[~comp.layers["is_output"]]
    frame = counts.groupby(["variant", "epoch", "layer"])["distinct_units"].max().reset_index()
    spec = grids.distinct_units(frame, 8, tr)
    marks = [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    assert marks == ["rect", "text"]
    assert spec["spec"]["layer"][0]["encoding"]["color"]["scale"]["domain"] == [1, 8]
    assert set(spec["data"]["values"][0]) >= {"variant", "epoch", "layer"}
    many = pd.concat([frame.assign(epoch=frame["epoch"] + 10 * k) for k in range(50)])
    assert len(grids.distinct_units(many, 8, tr)["spec"]["layer"]) == 1


def test_the_histograms_draw_the_first_seed_of_the_layers_shown(comp, scale):
    spec = layers.act_histograms(comp.act_hist, 1, tr, scale)
    rows = pd.DataFrame(spec["data"]["values"])
    first = comp.act_hist.query("seed == 0 and epoch == 1")
    assert len(rows) == len(first) and set(rows["epoch"]) == {1}
    sums = rows.groupby(["variant", "layer"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)
    assert spec["facet"]["column"]["sort"] == list(scale.domain)


def test_one_variant_encoding_one_legend():
    scale = style.variant_colors(["a", "b"])
    colour, shapes = style.variant(scale, tr), style.variant(scale, tr, style.SHAPES)
    assert colour["scale"]["range"] == list(style.PALETTE[:2])
    assert shapes["scale"]["range"] == style.SHAPES[:2]
    # the same field, title and legend: Vega-Lite merges them into one legend
    assert {k: v for k, v in colour.items() if k != "scale"} == {
        k: v for k, v in shapes.items() if k != "scale"
    }
    assert colour["legend"] == style.BELOW and colour["legend"] is not style.BELOW
    dashes = style.variant(scale, tr, style.DASHES)
    dashes["scale"]["range"][0].append(9)  # a spec's parts are its own
    assert style.DASHES[0] == [1, 0]


def test_long_step_series_keep_their_spikes():
    norms = np.ones(5000)
    norms[1234] = 50.0  # one spike, which an average over two steps would halve
    steps = pd.DataFrame(
        {
            "variant": np.repeat(["a", "b"], 5000),
            "seed": 0,
            "step": np.tile(np.arange(5000), 2),
            "epoch": 1,
            "grad_norm": np.tile(norms, 2),
            "clipped": np.tile(norms > 10, 2),
        }
    )
    assert curves.step_stride(5000) == 2
    spec = curves.step_norms(steps, tr, style.variant_colors(["a", "b"]), threshold=10.0)
    rows = pd.DataFrame(spec["datasets"]["steps"])
    assert rows.groupby("variant").size().tolist() == [2500, 2500]
    assert rows["grad_norm"].max() == 50.0  # the largest of each pair, not their mean
    assert rows["clipped"].sum() == 2  # the clipped step stays marked, once per variant
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "point", "rule", "text"]  # steps, clipped steps, threshold
    assert {"filter": "datum.clipped && datum.marked"} in spec["layer"][1]["transform"]
    assert rows["marked"].all()  # one clipped step in 2,500: a spike worth marking


def test_only_runs_that_clip_now_and_then_have_their_clipped_steps_marked():
    """A method that clips every step would cover its line with marks; one that clips a few
    steps has exactly those marked, and every tooltip number is written as the page writes it."""
    steps = pd.DataFrame(
        {
            "variant": np.repeat(["always", "spikes"], 100),
            "seed": 0,
            "step": np.tile(np.arange(100), 2),
            "epoch": 1,
            "grad_norm": np.tile(np.geomspace(1e-6, 2e4, 100), 2),
            "clipped": np.r_[np.ones(100, bool), np.arange(100) % 10 == 0],
        }
    )
    spec = curves.step_norms(steps, tr, style.variant_colors(["always", "spikes"]))
    rows = pd.DataFrame(spec["datasets"]["steps"])
    marked = rows[rows["clipped"] & rows["marked"]]
    assert set(marked["variant"]) == {"spikes"} and len(marked) == 10
    assert rows["grad_norm_text"].tolist() == [power_of_ten(v, 2) for v in rows["grad_norm"]]
    assert "×10⁻⁶" in rows["grad_norm_text"].iloc[0]


def test_exact_zeros_are_drawn_on_a_zero_row_labelled_0():
    frame = pd.DataFrame(
        {
            "variant": ["zeros"] * 3 + ["he"] * 3,
            "seed": 0,
            "epoch": 0,
            "layer": [1, 2, 3] * 2,
            "is_output": [False, False, True] * 2,
            "grad_norm": [0.0, 0.0, 0.0, 0.5, 0.02, 0.3],
        }
    )
    scale = style.variant_colors(["zeros", "he"])
    spec = layers.layer_profile(
        frame, "grad_norm", "chart_grad_norm", "ax_grad_norm", tr, scale, 470, style.BELOW
    )
    vega_lite.assert_valid(spec, "TopLevelLayerSpec")
    rows = pd.DataFrame(spec["datasets"]["rows"])
    assert rows.set_index("variant")["grad_norm_zero"].to_dict() == {"zeros": True, "he": False}
    y = spec["layer"][0]["encoding"]["y"]
    floor = vl.zero_floor(0.02)
    assert floor == pytest.approx(1e-3) and y["scale"]["domain"][0] == pytest.approx(floor)
    assert y["axis"]["labelExpr"].startswith(f"datum.value <= {floor:.6g} ? '0'")
    drawn = spec["layer"][-1]
    assert drawn["encoding"]["y"]["datum"] == pytest.approx(floor)
    assert drawn["transform"][0]["filter"].endswith("datum.grad_norm_zero")


def test_numbers_in_charts_are_written_as_the_text_writes_them():
    """Tooltip texts written in Python are the page's own numbers; the axes' label expression
    (evaluated by Vega: tests/test_browser.py reads the labels it draws) builds the same
    powers of ten from superscript digits, with no e-notation and no regular expression."""
    frame = pd.DataFrame({"v": [1e-6, 2e-6, 0.2, 30.0, 3.7e7, 1e150]})
    assert vl.with_text(frame, "v")["v_text"].tolist() == [
        "1×10⁻⁶",
        "2×10⁻⁶",
        "0.2",
        "30",
        "3.7×10⁷",
        "1×10¹⁵⁰",
    ]  # fmt: skip (a tooltip as the read-out writes it; an axis label drops the "1×")
    expr = vl.POWER_LABELS
    assert "e+" not in expr and "'.0e'" not in expr and "regexp" not in expr
    assert vl.literal(vl.SUPERSCRIPT_DIGITS) in expr and "'⁻'" in expr


# --- colours: legible on Streamlit's light and dark themes ------------------------------------
BACKGROUNDS = ("#ffffff", "#0e1117")  # Streamlit's light and dark backgrounds


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio (L1 + 0.05) / (L2 + 0.05) of two sRGB colours ``#rrggbb``/``#rgb``."""

    def luminance(colour: str) -> float:
        h = colour.lstrip("#")
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        srgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG's own example
    assert contrast("#0e1117", "#0e1117") == pytest.approx(1.0)


def test_reference_rules_and_notes_are_legible_on_both_themes():
    """4:1 or more on both backgrounds (no single grey reaches 4.5:1 on both)."""
    assert min(contrast(style.NEUTRAL, bg) for bg in BACKGROUNDS) >= 4.0


def test_every_colour_the_charts_write_stands_out_on_both_themes():
    """No colour written in ui/drawing/ melts into either background (as #333 rules and a
    black series did on the dark theme)."""
    source = "".join(open(p, encoding="utf-8").read() for p in glob.glob("ui/drawing/*.py"))
    written = set(re.findall(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b", source))
    written -= set(BACKGROUNDS)  # named in a comment
    assert style.NEUTRAL in written and len(written) >= 8
    for colour in written:
        assert min(contrast(colour, bg) for bg in BACKGROUNDS) >= 2.0, colour


def test_the_batch_norm_gap_draws_both_statistics_per_epoch():
    data = datasets.load("moons")
    model = ModelConfig(hidden=(8,) * 3, activation="relu", init="he_normal", batchnorm="before")
    bn = compare([Variant("bn", model, TrainConfig(epochs=2, batch_size=64))], data)
    spec = vega_lite.assert_valid(
        curves.bn_gap(bn.metrics, tr, style.variant_colors(["bn"])), "TopLevelLayerSpec"
    )
    rows = pd.DataFrame(spec["data"]["values"])
    assert set(rows["split"]) == {tr("bn_moving"), tr("bn_batch")}
    assert sorted(rows["epoch"].unique()) == [0, 1, 2]
    batch = bn.metrics[bn.metrics["split"] == "val_batch_stats"].set_index("epoch")["accuracy"]
    shown = rows[rows["split"] == tr("bn_batch")].set_index("epoch")["mean"]
    assert shown.to_dict() == pytest.approx(batch.to_dict())


# --- log axes, colour bars and titles that fit ------------------------------------------------


def log_encodings(spec) -> list[dict]:
    """Every x or y encoding of ``spec`` on a log scale."""
    return [
        enc
        for unit, encoding in vega_lite.marks_of(spec)
        for channel, enc in encoding.items()
        if channel in ("x", "y") and isinstance(enc, dict) and "field" in enc
        and enc.get("scale", {}).get("type") == "log"
    ]  # fmt: skip


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_log_axis_ticks_at_powers_of_ten(comp, scale, name):
    """Each log axis lists its ticks (Vega's own drop labels unevenly: 6, 0.7, 0.08, 9×10⁻³):
    1, 2 and 5 times powers of ten over a few decades, only powers of ten over more."""
    for enc in log_encodings(BUILDERS[name](comp, tr, scale)):
        ticks = enc["axis"]["values"]
        mantissas = {round(v / 10 ** np.floor(np.log10(v) + 1e-9), 6) for v in ticks}
        decades = np.log10(ticks[-1] / ticks[0])
        assert mantissas <= ({1.0, 2.0, 5.0} if decades <= 3 + 1e-9 else {1.0}), (name, ticks)
        assert vl.POWER_LABELS in enc["axis"]["labelExpr"]


def test_a_loss_axis_over_four_decades_ticks_at_each_power_of_ten(scale):
    """The clipping lesson's loss ran from 6 down to 0.009: the axis reads 10⁻³ … 10."""
    losses = [6.0, 0.7, 0.08, 0.009]
    metrics = pd.DataFrame(
        {"variant": "tanh", "seed": 0, "epoch": range(4), "split": "val", "loss": losses,
         "accuracy": 0.5}
    )  # fmt: skip
    loss = curves.training_curves(metrics, tr, scale)["hconcat"][0]
    y = loss["layer"][0]["encoding"]["y"]
    assert y["scale"]["type"] == "log"
    assert y["axis"]["values"] == pytest.approx([1e-3, 1e-2, 0.1, 1.0, 10.0])


def test_the_sweeps_log_axes_list_their_ticks():
    sweep = pd.DataFrame(
        {"variant": ["x"] * 3, "lr": [0.001, 0.1, 1.0], "loss": [60.0, 0.09, np.nan],
         "diverged": [False, False, True]}
    )  # fmt: skip
    spec = curves.lr_sweep(sweep, tr, style.variant_colors(["x"]))
    x, y = (spec["layer"][0]["encoding"][axis]["axis"]["values"] for axis in "xy")
    assert x == pytest.approx([1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0])
    assert y == pytest.approx([0.01, 0.1, 1.0, 10.0, 100.0])


@pytest.mark.parametrize("name", ["layer_epoch_heatmap", "distinct_units", "accuracy_grid"])
def test_colour_bars_lie_under_the_cells(comp, scale, name):
    """A colour bar beside the cells had its title and end labels cut at the chart's edge."""
    spec = BUILDERS[name](comp, Text("ko"), scale)
    (colour,) = [enc for ch, enc in vega_lite.seen_fields(spec) if ch == "color"]
    assert colour["legend"]["orient"] == "bottom"
    assert colour["legend"]["direction"] == "horizontal"
    if colour["legend"].get("format") == "%":  # both ends labelled, 100 % never dropped
        assert colour["legend"]["values"] == [0, 0.25, 0.5, 0.75, 1]


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("key", ["cl_share_chart", "cl_cosine_chart"])
def test_a_title_half_the_page_wide_wraps_between_words(comp, scale, language, key):
    t = Text(language)
    quantity = {"cl_share_chart": "share_clipped", "cl_cosine_chart": "cosine_mean"}[key]
    spec = curves.per_epoch(_summary(comp), quantity, t, scale, key, "ax_cosine")
    text = spec["title"]["text"]
    lines = [text] if isinstance(text, str) else text
    assert " ".join(lines) == t(key)
    assert all(vl.text_width(line) <= curves.HALF_WIDTH for line in lines)


def test_title_lines():
    assert vl.title_lines("short", 100) == "short"
    assert vl.title_lines("one two three", 8 * 8) == ["one two", "three"]
    assert vl.text_width("가나") == 2 * vl.TITLE_CHAR_PX["wide"]
    assert vl.title_lines("averyveryverylongword x", 40) == ["averyveryverylongword", "x"]


def test_variants_keep_their_page_colours_and_never_share_one():
    """A variant's colour is its place among the page's labels; two whose places wrap around
    the palette to the same colour do not share it (the later takes the next free one)."""
    among = [f"v{i}" for i in range(len(style.PALETTE) + 2)]
    scale = style.variant_colors(["v1", "v3"], among)
    assert scale.range == (style.PALETTE[1], style.PALETTE[3])
    wrapped = style.variant_colors(["v0", f"v{len(style.PALETTE)}"], among)
    assert wrapped.range[0] == style.PALETTE[0] and wrapped.range[1] != style.PALETTE[0]
    assert len(set(style.variant_colors(among[: len(style.PALETTE)], among).range)) == len(
        style.PALETTE
    )


def test_a_variant_keeps_its_shape_where_it_keeps_its_colour():
    """Shapes and dashes pair with colours: a lesson showing the page's second and third
    variants marks them as the page does, not with the first two shapes."""
    among = ["a", "b", "c"]
    tr = Text("en")
    page, lesson = style.variant_colors(among), style.variant_colors(["b", "c"], among)
    for patterns in (style.SHAPES, style.DASHES):
        everyone = dict(zip(among, style.variant(page, tr, patterns)["scale"]["range"]))
        some = dict(zip(["b", "c"], style.variant(lesson, tr, patterns)["scale"]["range"]))
        assert some == {"b": everyone["b"], "c": everyone["c"]}
        assert some["b"] != some["c"]


def test_heatmap_panels_keep_the_page_order_in_every_language():
    """One panel per variant in the order the page compares them, not Vega's alphabetical
    one (which differs between languages)."""
    frame = pd.DataFrame(
        [(v, e, 1, 0.5) for v in ("ReLU", "leaky ReLU", "ELU") for e in (0, 1)],
        columns=["variant", "epoch", "layer", "dead"],
    )
    spec = grids.layer_epoch_heatmap(frame, "dead", Text("en"), "")
    assert spec["facet"]["column"]["sort"] == ["ReLU", "leaky ReLU", "ELU"]
