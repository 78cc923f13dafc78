"""Benchmark: building a chart's Vega-Lite spec the Altair way (the chart's objects, then
``to_dict(validate=False)``, as ``memo.spec`` did) against writing it as a dict
(:mod:`ui.drawing.vegalite` pieces), for a few representative charts of a real comparison.

The Altair builders below are written here, as the pages' charts were written with Altair, so
that the comparison stays runnable once the pages draw only dicts; both ways take the same
frames and give the same marks, encodings and data.

Usage: python bench/chart_benchmark.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import altair as alt
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import ModelConfig, TrainConfig, Variant, compare, datasets  # noqa: E402
from ui.drawing import curves, layers, style  # noqa: E402
from ui.drawing import vegalite as vl  # noqa: E402
from ui.text.i18n import Text  # noqa: E402

alt.data_transformers.disable_max_rows()


def comparison():
    """The technique pages' comparison at their default size: digits, 10 hidden layers of 100
    units, 5 epochs, three variants (one of which diverges), two seeds."""
    cfg = TrainConfig(epochs=5, batch_size=32, lr=0.01)
    model = ModelConfig(hidden=(100,) * 10, activation="relu", init="he_normal")
    variants = [
        Variant("sigmoid", ModelConfig(hidden=(100,) * 10, activation="sigmoid",
                                       init="random_normal"), cfg),
        Variant("he", model, cfg),
        Variant("boom", ModelConfig(hidden=(100,) * 10, activation="relu", init="random_normal",
                                    init_std=3.0), TrainConfig(epochs=5, batch_size=32, lr=1.0)),
    ]  # fmt: skip
    return compare(variants, datasets.load("digits"), seeds=(0, 1))


# --- the Altair way ------------------------------------------------------------------------


def altair_curves(metrics, tr, scale):
    """Loss (log) and accuracy per epoch, train dashed, as the curves' dict spec draws them."""
    names = {"train": tr("split_train"), "val": tr("split_val")}
    m = metrics[metrics["split"].isin(names)]
    m = m.assign(split=m["split"].map(names))
    colour = alt.Color(
        "variant:N",
        scale=alt.Scale(domain=scale.domain, range=scale.range),
        title=tr("ax_variant"),
        legend=alt.Legend(orient="bottom", columns=1),
    )
    shape = alt.Shape(
        "variant:N",
        scale=alt.Scale(domain=scale.domain, range=style.SHAPES[: len(scale.domain)]),
        title=tr("ax_variant"),
    )
    dash = alt.StrokeDash("split:N", title=tr("ax_split"),
                          scale=alt.Scale(domain=[names["val"], names["train"]],
                                          range=[[1, 0], [5, 3]]))  # fmt: skip
    panels = []
    for value, title, log in (
        ("loss", tr("ax_loss"), True),
        ("accuracy", tr("ax_accuracy"), False),
    ):
        band = style.seed_band(m, ["variant", "split", "epoch"], value)
        y = alt.Y("mean:Q", title=title,
                  scale=alt.Scale(type="log") if log else alt.Scale(domain=[0, 1]))  # fmt: skip
        base = alt.Chart(band).encode(x=alt.X("epoch:Q", title=tr("ax_epoch")), color=colour)
        tooltip = [alt.Tooltip("variant:N", title=tr("ax_variant")),
                   alt.Tooltip("split:N", title=tr("ax_split")),
                   alt.Tooltip("epoch:Q", title=tr("ax_epoch")),
                   alt.Tooltip("mean:Q", title=title, format=".3~g")]  # fmt: skip
        layers = [
            base.mark_area(opacity=0.15).encode(y="low:Q", y2="high:Q"),
            base.mark_line().encode(y=y, strokeDash=dash, tooltip=tooltip),
            base.transform_filter(alt.datum.split == names["val"])
            .mark_point(filled=True, size=40)
            .encode(y=y, shape=shape),
        ]
        panels.append(alt.layer(*layers).properties(width=300, height=220))
    return alt.hconcat(*panels).properties(title=tr("chart_curves"))


def _colour(scale, tr):
    return alt.Color("variant:N", scale=alt.Scale(domain=list(scale.domain),
                     range=list(scale.range)), title=tr("ax_variant"),
                     legend=alt.Legend(**style.BELOW))  # fmt: skip


def _log_y(field, title):
    return alt.Y(field, title=title, scale=alt.Scale(type="log"),
                 axis=alt.Axis(labelExpr=vl.POWER_LABELS))  # fmt: skip


def altair_step_norms(steps, tr, scale, threshold):
    """The gradient norm of every step (first seed), clipped steps marked, the threshold."""
    s = steps[(steps["seed"] == steps["seed"].min()) & (steps["grad_norm"] > 0)]
    tooltip = [alt.Tooltip("variant:N", title=tr("ax_variant")),
               alt.Tooltip("step:Q", title=tr("ax_step")),
               alt.Tooltip("epoch:Q", title=tr("ax_epoch")),
               alt.Tooltip("grad_norm_text:N", title=tr("ax_step_norm"))]  # fmt: skip
    text = vl.as_text("grad_norm")
    base = (
        alt.Chart(s)
        .transform_calculate(**{text["as"]: text["calculate"]})
        .encode(x=alt.X("step:Q", title=tr("ax_step")),
                y=_log_y("grad_norm:Q", tr("ax_step_norm")), color=_colour(scale, tr))
    )  # fmt: skip
    dash = alt.StrokeDash("variant:N", title=tr("ax_variant"), legend=alt.Legend(**style.BELOW),
                          scale=alt.Scale(domain=list(scale.domain),
                                          range=style.DASHES[: len(scale.domain)]))  # fmt: skip
    lines = base.mark_line(strokeWidth=1.2, opacity=0.85).encode(strokeDash=dash, tooltip=tooltip)
    marked = (
        base.transform_filter("datum.clipped")
        .mark_point(shape="diamond", filled=True, size=45, opacity=0.9)
        .encode(tooltip=[*tooltip, alt.Tooltip("what:N", title=tr("ax_step"))])
        .transform_calculate(what=vl.literal(tr("cl_clipped_step")))
    )
    rule = pd.DataFrame({"y": [threshold], "step": [float(s["step"].max())], "label": ["t"]})
    line = alt.Chart(rule).encode(y=alt.Y("y:Q", title=tr("ax_step_norm")))
    layers = [
        lines,
        marked,
        line.mark_rule(color=style.NEUTRAL, strokeDash=[6, 4]),
        line.mark_text(align="right", dy=-3).encode(x="step:Q", text="label:N"),
    ]
    return alt.layer(*layers).properties(height=style.STRETCH_HEIGHT, title=tr("cl_norm_chart"))


def altair_histograms(hist, epoch, tr, scale):
    """A row per layer shown, a column per variant: the share of the layer's values per bin."""
    h = style.histogram_shares(hist[hist["epoch"] == epoch], ["variant", "layer"])
    chart = (
        alt.Chart(h)
        .mark_rect()
        .encode(
            x=alt.X("bin_start:Q", title=tr("ax_activation"), bin="binned"),
            x2="bin_end:Q",
            y=alt.Y("share:Q", title=None, axis=None),
            y2=alt.datum(0),
            color=_colour(scale, tr),
            opacity=alt.condition("datum.overflow", alt.value(0.45), alt.value(1.0)),
            tooltip=[alt.Tooltip("variant:N", title=tr("ax_variant")),
                     alt.Tooltip("layer:O", title=tr("ax_layer")),
                     alt.Tooltip("bin_start:Q", title=tr("ax_activation"), format=".2f"),
                     alt.Tooltip("share:Q", title=tr("ax_share"), format=".1%")],
        )
        .properties(width=200, height=28)
    )  # fmt: skip
    return chart.facet(
        row=alt.Row("layer:O", title=tr("ax_layer"), header=alt.Header(labelAngle=0)),
        column=alt.Column("variant:N", title=None, sort=list(scale.domain)),
        spacing={"row": 2, "column": 12},
    ).properties(title=tr("chart_act_hist"))


# --- the pairs measured --------------------------------------------------------------------


def pairs(comp, tr):
    """``{chart: (Altair chart builder, dict builder)}``, each a function of nothing."""
    scale = style.variant_colors(list(comp.variants))
    first = comp.steps[comp.steps["seed"] == 0]
    bins = style.histogram_shares(comp.act_hist[comp.act_hist["epoch"] == 5], ["variant", "layer"])
    return {
        "training curves (2 panels)": (
            lambda: altair_curves(comp.metrics, tr, scale),
            lambda: curves.training_curves(comp.metrics, tr, scale, comp.diverged),
        ),
        f"step norms ({len(first)} steps)": (
            lambda: altair_step_norms(comp.steps, tr, scale, 1.0),
            lambda: curves.step_norms(comp.steps, tr, scale, 1.0),
        ),
        f"activation histograms ({len(bins)} bins)": (
            lambda: altair_histograms(comp.act_hist, 5, tr, scale),
            lambda: layers.act_histograms(comp.act_hist, 5, tr, scale),
        ),
    }


def best_and_median(fn, repeats: int) -> tuple[float, float]:
    """Milliseconds of ``fn()``: the best and the median of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    comp = comparison()
    tr = Text("en")
    print(f"{'chart':34s} {'Altair + to_dict ms':>22s} {'dict ms':>16s} {'ratio':>7s}")
    print(f"{'':34s} {'best / median':>22s} {'best / median':>16s} {'(median)':>7s}")
    for name, (altair_way, dict_way) in pairs(comp, tr).items():
        altair_way().to_dict(validate=False)  # warm imports and caches once
        dict_way()
        a = best_and_median(lambda f=altair_way: f().to_dict(validate=False), args.repeats)
        d = best_and_median(dict_way, args.repeats)
        print(
            f"{name:34s} {a[0]:10.1f} / {a[1]:9.1f} {d[0]:7.1f} / {d[1]:6.1f} {a[1] / d[1]:6.1f}×"
        )


if __name__ == "__main__":
    main()
