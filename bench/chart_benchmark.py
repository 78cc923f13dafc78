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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import ModelConfig, TrainConfig, Variant, compare, datasets  # noqa: E402
from ui.drawing import charts  # noqa: E402
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
        scale=alt.Scale(domain=scale.domain, range=charts.SHAPES[: len(scale.domain)]),
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
        band = charts.seed_band(m, ["variant", "split", "epoch"], value)
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


# --- the pairs measured --------------------------------------------------------------------


def pairs(comp, tr):
    """``{chart: (Altair chart builder, dict builder)}``, each a function of nothing."""
    scale = charts.variant_colors(list(comp.variants))
    return {
        "training curves (2 panels)": (
            lambda: altair_curves(comp.metrics, tr, scale),
            lambda: charts.training_curves(comp.metrics, tr, scale, comp.diverged),
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
