"""Chart builders return valid Vega-Lite specs built from real comparison frames."""

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vega_lite

from core import ModelConfig, TrainConfig, Variant, compare, datasets
from ui.drawing import charts, playback
from ui.drawing import vegalite as vl
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
    return charts.variant_colors(comp.variants)


def valid(chart):
    """The chart's spec, checked against the Vega-Lite JSON schema (raises if it breaks it)."""
    return chart.to_dict(validate=True)


def test_colours_are_fixed_per_variant(scale):
    assert scale.domain == ["tanh", "relu", "boom"]
    assert scale.range == charts.PALETTE[:3]


def test_training_curves_with_divergence(comp, scale):
    assert comp.diverged.diverged_at.notna().any(), "the 'boom' variant should diverge"
    spec = charts.training_curves(comp.metrics, tr, scale, comp.diverged)
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
    layers = comp.layers[comp.layers["epoch"] == 1]
    spec = playback.layer_profile(
        layers,
        quantity,
        "chart_grad_norm",
        "ax_grad_norm",
        tr,
        scale,
        470,
        charts.BELOW,
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
    seeds = layers[(layers["variant"] == "relu") & (layers["layer"] == 2)][quantity]
    row = rows[(rows["variant"] == "relu") & (rows["layer"] == 2)].iloc[0]
    assert row[quantity] == pytest.approx(seeds.mean(), rel=1e-3)
    assert (row[f"{quantity}_low"], row[f"{quantity}_high"]) == pytest.approx(
        (seeds.min(), seeds.max()), rel=1e-3
    )
    valid(charts.act_histograms(comp.act_hist, 0, tr, scale))


def test_a_layer_profile_leaves_out_the_layers_it_cannot_draw(comp, scale):
    # the output layer has no activation slope: no point there, and no empty column for it
    layers = comp.layers[comp.layers["epoch"] == 1]
    assert layers[layers["is_output"]]["slope_mean"].isna().all()
    spec = playback.layer_profile(
        layers, "slope_mean", "chart_slope_mean", "ax_slope_mean", tr, scale, 470, charts.BELOW
    )
    rows = pd.DataFrame(spec["datasets"]["rows"])
    assert set(rows["layer"]) == {1, 2, 3} and not rows["is_output"].any()
    assert spec["layer"][-1]["encoding"]["x"]["scale"]["domain"] == [1, 3]


def test_overflow_bins_are_drawn_beyond_the_finite_range():
    hist = pd.DataFrame(
        {"bin_start": [-np.inf, -5.0, 5.0], "bin_end": [-5.0, -4.8, np.inf], "count": [1, 2, 3]}
    )
    drawn = charts.drawable_bins(hist)
    assert drawn["overflow"].tolist() == [True, False, True]
    assert drawn["bin_start"].tolist() == pytest.approx([-5.4, -5.0, 5.0])
    assert drawn["bin_end"].tolist() == pytest.approx([-5.0, -4.8, 5.4])


def test_seed_band_aggregates_over_seeds(comp):
    band = charts.seed_band(comp.layers[comp.layers.epoch == 0], ["variant", "layer"], "grad_norm")
    assert (band["seeds"] == 2).all()
    assert (band["low"] <= band["mean"]).all() and (band["mean"] <= band["high"]).all()


def test_seed_band_drops_non_finite():
    frame = pd.DataFrame({"variant": ["a"] * 3, "epoch": [0, 0, 0], "loss": [1.0, np.inf, np.nan]})
    band = charts.seed_band(frame, ["variant", "epoch"], "loss")
    assert band["mean"].tolist() == [1.0] and band["seeds"].tolist() == [1]


@pytest.mark.parametrize(
    "n,most,expected", [(5, 12, [1, 2, 3, 4, 5]), (101, 5, [1, 26, 51, 76, 101])]
)
def test_shown_layers(n, most, expected):
    assert charts.shown_layers(n, most) == expected


def test_page_specific_builders(comp, scale):
    steps = comp.steps
    valid(charts.step_norms(steps, tr, scale))
    summary = pd.concat(
        [h.clip_summary().assign(variant=v, seed=s) for (v, s), h in comp.runs.items()]
    )
    valid(
        charts.per_epoch(summary, "share_clipped", tr, scale, "cl_share_chart", "ax_share_clipped")
    )
    arrows = pd.DataFrame({"label": ["a", "b", "c"], "x": [0.0, 0.9, 0.01], "y": [1.0, 1.0, 1.0]})
    geometry = vega_lite.assert_valid(
        charts.clipping_geometry(arrows, 1.0, tr), "TopLevelLayerSpec"
    )
    square, circle, ray, clipped, points = (layer["data"]["values"] for layer in geometry["layer"])
    assert max(abs(p["x"]) for p in square) == 1.0 and len(circle) == 121
    assert [p["label"] for p in ray] == ["a"] and [p["label"] for p in points] == ["b", "c"]
    grid = pd.DataFrame({"init": ["a", "a"], "bn": ["none", "before"], "accuracy": [0.2, np.nan]})
    valid(charts.accuracy_grid(grid, tr))
    sweep = pd.DataFrame(
        {"variant": ["x", "x"], "lr": [0.01, 1.0], "loss": [0.5, np.nan], "diverged": [False, True]}
    )
    valid(charts.lr_sweep(sweep, tr, charts.variant_colors(["x"])))
    heat = comp.layers.groupby(["variant", "epoch", "layer"])["dead"].mean().reset_index()
    spec = vega_lite.assert_valid(
        charts.layer_epoch_heatmap(heat, "dead", tr, "t"), "TopLevelFacetSpec"
    )
    cells = pd.DataFrame(spec["data"]["values"])
    assert len(cells) == len(heat) and set(cells["variant"]) == {"tanh", "relu", "boom"}
    # one colour scale for every page, 0 to 100 %, whatever the largest share measured
    assert spec["spec"]["encoding"]["color"]["scale"]["domain"] == [0, 1]
    small = charts.layer_epoch_heatmap(heat.assign(dead=heat["dead"] / 20), "dead", tr, "t")
    assert small["spec"]["encoding"]["color"]["scale"]["domain"] == [0, 1]


def test_distinct_units_panels_write_the_count_when_small(comp):
    counts = comp.layers[~comp.layers["is_output"]]
    frame = counts.groupby(["variant", "epoch", "layer"])["distinct_units"].max().reset_index()
    spec = valid(charts.distinct_units(frame, 8, tr))
    marks = [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    assert marks == ["rect", "text"]
    assert spec["spec"]["layer"][0]["encoding"]["color"]["scale"]["domain"] == [1, 8]
    assert set(spec["datasets"][spec["data"]["name"]][0]) >= {"variant", "epoch", "layer"}
    many = pd.concat([frame.assign(epoch=frame["epoch"] + 10 * k) for k in range(50)])
    assert len(valid(charts.distinct_units(many, 8, tr))["spec"]["layer"]) == 1


def test_chart_builders_are_plain_functions_of_frames():
    z = np.linspace(-1, 1, 5)
    curves = pd.DataFrame({"z": z, "value": z, "curve": "f"})
    chart = charts.function_and_derivative(
        curves,
        tr,
        pd.DataFrame({"start": [-1.0], "end": [-0.5]}),
        pd.DataFrame({"z": [-1.0, 1.0], "value": [0.25, 0.75]}),
    )
    assert isinstance(chart, alt.LayerChart)
    valid(chart)


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
    assert charts.step_stride(5000) == 2
    spec = valid(charts.step_norms(steps, tr, charts.variant_colors(["a", "b"]), threshold=10.0))
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert rows.groupby("variant").size().tolist() == [2500, 2500]
    assert rows["grad_norm"].max() == 50.0  # the largest of each pair, not their mean
    assert rows["clipped"].sum() == 2  # the clipped step stays marked, once per variant
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "point", "rule", "text"]  # steps, clipped steps, threshold
    assert {"filter": "datum.clipped"} in spec["layer"][1]["transform"]


def test_exact_zeros_are_drawn_on_a_zero_row_labelled_0():
    layers = pd.DataFrame(
        {
            "variant": ["zeros"] * 3 + ["he"] * 3,
            "seed": 0,
            "epoch": 0,
            "layer": [1, 2, 3] * 2,
            "is_output": [False, False, True] * 2,
            "grad_norm": [0.0, 0.0, 0.0, 0.5, 0.02, 0.3],
        }
    )
    scale = charts.variant_colors(["zeros", "he"])
    spec = playback.layer_profile(
        layers, "grad_norm", "chart_grad_norm", "ax_grad_norm", tr, scale, 470, charts.BELOW
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
    # the label expression, evaluated the way Vega does, for the values an axis shows
    import math

    def label(value):  # the expression's branches, in Python
        if value == 0:
            return "0"
        if 0.01 <= abs(value) < 999.5:
            return f"{value:.3g}"
        exponent = math.floor(math.log10(abs(value)) + 1e-9)
        mantissa = f"{value / 10**exponent:.2f}".rstrip("0").rstrip(".")
        power = "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return power if mantissa == "1" else f"{mantissa}×{power}"

    assert [label(v) for v in (1e-6, 2e-6, 0.2, 30.0, 3.7e7)] == [
        "10⁻⁶", "2×10⁻⁶", "0.2", "30", "3.7×10⁷",
    ]  # fmt: skip
    expr = vl.POWER_LABELS
    assert "e+" not in expr and "'.0e'" not in expr
    assert all(f"'{sup}'" in expr or f'"{sup}"' in expr for sup in "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


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
    assert min(contrast(charts.NEUTRAL, bg) for bg in BACKGROUNDS) >= 4.0


def test_every_colour_the_charts_write_stands_out_on_both_themes():
    """No colour written in ui/drawing/charts.py melts into either background (as #333 rules and a
    black series did on the dark theme)."""
    import inspect
    import re

    written = set(re.findall(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b", inspect.getsource(charts)))
    written -= set(BACKGROUNDS)  # named in a comment
    assert charts.NEUTRAL in written and len(written) >= 8
    for colour in written:
        assert min(contrast(colour, bg) for bg in BACKGROUNDS) >= 2.0, colour


def test_the_batch_norm_gap_draws_both_statistics_per_epoch():
    data = datasets.load("moons")
    model = ModelConfig(hidden=(8,) * 3, activation="relu", init="he_normal", batchnorm="before")
    bn = compare([Variant("bn", model, TrainConfig(epochs=2, batch_size=64))], data)
    spec = vega_lite.assert_valid(
        charts.bn_gap(bn.metrics, tr, charts.variant_colors(["bn"])), "TopLevelLayerSpec"
    )
    rows = pd.DataFrame(spec["data"]["values"])
    assert set(rows["split"]) == {tr("bn_moving"), tr("bn_batch")}
    assert sorted(rows["epoch"].unique()) == [0, 1, 2]
    batch = bn.metrics[bn.metrics["split"] == "val_batch_stats"].set_index("epoch")["accuracy"]
    shown = rows[rows["split"] == tr("bn_batch")].set_index("epoch")["mean"]
    assert shown.to_dict() == pytest.approx(batch.to_dict())
