"""The frame every technique page shares: run the paired comparison, flag divergence, read
out what the numbers say, and draw the common charts for every variant side by side."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core import Comparison, Variant

from . import charts, runs
from .format import percent, power_of_ten
from .shell import Settings


def labelled(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """``frame`` with its variant ids replaced by display labels (runs are cached by id, so
    switching the language relabels instead of retraining)."""
    return frame.assign(variant=frame["variant"].map(lambda v: labels.get(v, v)))


def gradient_ratio(layers: pd.DataFrame, epoch: int = 0) -> pd.DataFrame:
    """Per variant: grad_norm of layer 1 divided by that of the top hidden layer, at ``epoch``
    (mean over seeds). Columns ``variant, ratio, top``."""
    at = layers[layers["epoch"] == epoch]
    top = int(at["layer"].max()) - 1
    if top < 1:
        return pd.DataFrame(columns=["variant", "ratio", "top"])
    g = at.groupby(["variant", "layer"], sort=False)["grad_norm"].mean().unstack()
    return pd.DataFrame({"variant": g.index, "ratio": (g[1] / g[top]).to_numpy(), "top": top})


def _line(name: str, parts: list[str]) -> str:
    return f"**{name}**: " + "; ".join(parts) + "."


def init_readout(comp: Comparison, labels: dict[str, str], tr) -> list[str]:
    """One sentence per variant about the network at initialization (epoch 0): gradient ratio
    between the first and top hidden layers, saturation, how the activations' spread changes."""
    at = comp.layers[comp.layers["epoch"] == 0]
    ratios = gradient_ratio(comp.layers).set_index("variant")
    lines = []
    for variant in comp.variants:
        v = at[at["variant"] == variant].groupby("layer").mean(numeric_only=True)
        if v.empty:
            continue
        top, parts = int(v.index.max()) - 1, []
        if variant in ratios.index:
            ratio = power_of_ten(ratios.loc[variant, "ratio"])
            parts.append(tr("ro_gradient_ratio", ratio=ratio, top=top))
        saturated = v["saturated"].iloc[:-1].mean()
        if math.isfinite(saturated):
            parts.append(tr("ro_saturated", share=percent(saturated)))
        first, last = power_of_ten(v["act_std"].iloc[0]), power_of_ten(v["act_std"].iloc[-2])
        parts.append(tr("ro_act_growth", first=first, last=last, top=top))
        lines.append(_line(labels.get(variant, variant), parts))
    return lines


def readout(comp: Comparison, labels: dict[str, str], tr) -> list[str]:
    """One sentence per variant from the run: gradient ratio at initialization, then the final
    validation accuracy or the epoch it diverged in."""
    ratios = gradient_ratio(comp.layers).set_index("variant")
    accuracy = comp.final("val", "accuracy")
    lines = []
    for variant in comp.variants:
        parts = []
        if variant in ratios.index:
            r = ratios.loc[variant]
            parts.append(tr("ro_gradient_ratio", ratio=power_of_ten(r["ratio"]), top=int(r["top"])))
        div = comp.diverged[comp.diverged["variant"] == variant]["diverged_at"].dropna()
        if len(div):
            parts.append(tr("ro_diverged", epoch=int(div.min())))
        else:
            epochs = next(h.epochs_done for (v, _), h in comp.runs.items() if v == variant)
            parts.append(tr("ro_accuracy", acc=percent(accuracy[variant]), epochs=epochs))
        lines.append(_line(labels.get(variant, variant), parts))
    return lines


def show_divergence(comp: Comparison, labels: dict[str, str], tr) -> None:
    for _, row in comp.diverged.dropna(subset=["diverged_at"]).iterrows():
        name = labels.get(row["variant"], row["variant"])
        st.error(
            tr("diverged", variant=f"{name} (seed {row['seed']})", epoch=int(row["diverged_at"])),
            icon="💥",
        )


def epoch_choice(comp: Comparison, tr, key: str) -> int:
    last = int(comp.layers["epoch"].max()) if len(comp.layers) else 0
    if last == 0:
        return 0
    return st.slider(tr("epoch_select"), 0, last, last, key=key)


def view_key(comp: Comparison, labels: dict[str, str], tr, *extra) -> tuple:
    """What a chart of ``comp`` depends on: the run, the labels, the language, and ``extra``."""
    return (comp.key, tuple(sorted(labels.items())), tr.lang, *extra)


def common_charts(comp: Comparison, labels: dict[str, str], s: Settings, key: str) -> None:
    """Training curves, gradient norm by layer and per-layer gradient histograms."""
    tr = s.tr
    scale = charts.variant_colors([labels.get(v, v) for v in comp.variants])
    runs.chart(
        st,
        view_key(comp, labels, tr, "curves"),
        lambda: charts.training_curves(
            labelled(comp.metrics, labels), tr, scale, labelled(comp.diverged, labels)
        ),
    )
    epoch = epoch_choice(comp, tr, key=f"{key}_epoch")
    left, right = st.columns(2)
    layers = comp.layers[comp.layers["epoch"] == epoch]
    runs.chart(
        left,
        view_key(comp, labels, tr, "grad_norm", epoch),
        lambda: charts.grad_norm_by_layer(labelled(layers, labels), epoch, tr, scale),
        width="stretch",
    )
    runs.chart(
        right,
        view_key(comp, labels, tr, "act_std", epoch),
        lambda: charts.act_std_by_layer(labelled(layers, labels), epoch, tr, scale),
        width="stretch",
    )
    hist = comp.grad_hist[comp.grad_hist["epoch"] == epoch]
    runs.chart(
        st,
        view_key(comp, labels, tr, "grad_hist", epoch),
        lambda: charts.grad_histograms(labelled(hist, labels), epoch, tr, scale),
    )
    st.caption(tr("hist_zero_note"))


def technique_section(
    variants: list[Variant], labels: dict[str, str], s: Settings, key: str
) -> Comparison | None:
    """Run ``variants`` (paired, every seed) and show the shared frame. Returns the comparison,
    or None when it could not run (over budget)."""
    tr = s.tr
    comp = runs.run(variants, s.dataset, s.seed_list, tr)
    if comp is None:
        return None
    show_divergence(comp, labels, tr)
    lines = runs.memo(view_key(comp, labels, tr, "readout"), lambda: readout(comp, labels, tr))
    with st.container(border=True):
        st.markdown(f"**{tr('notice')}**")
        st.markdown("\n".join(f"- {line}" for line in lines))
    common_charts(comp, labels, s, key)
    return comp
