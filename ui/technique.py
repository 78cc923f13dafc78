"""The frame every technique page shares: run the paired comparison, flag divergence, read out
what the numbers say, and draw the common charts for every variant side by side."""

from __future__ import annotations

import streamlit as st

from core import Variant

from . import claims, figures, questions, runner
from .memo import chart, memo
from .shell import Settings
from .view import ComparisonView

#: Session key of the claims stated in this run (tests check that each one held).
STATED = "_claims_stated"


def begin_run() -> None:
    """Forget the claims stated in the previous run (call once per run, before the page)."""
    st.session_state[STATED] = []


def say(where, statement: claims.Statement) -> None:
    """Write a claim's sentence (or what was measured instead) and record it for the tests."""
    st.session_state[STATED].append((statement.claim, statement.held))
    where.markdown(statement.text)


def notice(view: ComparisonView, lines: list[str]) -> None:
    """The boxed "What to notice" list."""
    with st.container(border=True):
        st.markdown(f"**{view.tr('notice')}**")
        st.markdown("\n".join(f"- {line}" for line in lines))


def show_divergence(view: ComparisonView) -> None:
    for _, row in view.comp.diverged.dropna(subset=["diverged_at"]).iterrows():
        name = view.tr("diverged_seed", variant=view.label(row["variant"]), seed=row["seed"])
        st.error(view.tr("diverged", variant=name, epoch=int(row["diverged_at"])), icon="💥")


def epoch_choice(view: ComparisonView, key: str) -> int:
    """The epoch the layer charts show: a slider from 0 to the last epoch, opening at 0, the
    network at initialization that the read-out describes."""
    last = view.last_epoch
    if last == 0:
        return 0
    return st.slider(view.tr("epoch_select"), 0, last, 0, key=key)


def layer_charts(view: ComparisonView, epoch: int) -> None:
    """The back-propagated gradient, the weight gradient, the relative update and the outputs'
    spread per layer at ``epoch``, two by two, and why the first two differ."""
    quantities = ["backprop_norm", "grad_norm", "act_std"]
    if epoch > 0:  # the update ratio needs an update
        quantities.insert(2, "update_ratio")
    columns = st.columns(2) + st.columns(2)
    for where, quantity in zip(columns, quantities):
        chart(where, figures.by_layer, view, quantity, epoch, width="stretch")
    st.caption(view.tr("why_two_gradients"))
    st.caption(view.tr("update_ratio_note" if epoch > 0 else "update_ratio_later"))


def common_charts(view: ComparisonView, key: str) -> None:
    """The per-layer charts, the training curves and the per-layer gradient histograms, in
    tabs of which only the open one is computed and drawn (the page opens on the per-layer
    charts at epoch 0, the network the read-out describes)."""
    tr = view.tr
    layers, curves, histograms = st.tabs(
        [tr("tab_layers"), tr("tab_curves"), tr("tab_histograms")],
        key=f"{key}_tab",
        on_change="rerun",
    )
    if layers.open:
        with layers:
            layer_charts(view, epoch_choice(view, f"{key}_epoch"))
    if curves.open:
        with curves:
            chart(st, figures.training_curves, view)
    if histograms.open:
        with histograms:
            epoch = epoch_choice(view, f"{key}_hist_epoch")
            chart(st, figures.grad_histograms, view, epoch)
            st.caption(tr("hist_zero_note"))


def section(
    variants: list[Variant],
    labels: dict[str, str],
    s: Settings,
    key: str,
    summarise=None,
    extra=None,
) -> ComparisonView | None:
    """Run ``variants`` (paired, every seed) and show the shared frame, once a lesson's
    questions are answered (:mod:`ui.questions`). Returns the view, or None when it could not
    run (over budget) or waits for the answers. ``summarise`` and ``extra``: see
    :func:`ui.runner.run`."""
    if not questions.ask(variants, labels, s.tr):
        return None
    view = runner.run(variants, labels, s.dataset, s.seed_list, s.tr, summarise, extra)
    if view is None:
        return None
    questions.check(view)
    show_divergence(view)
    notice(view, memo(claims.training_readout, view))
    common_charts(view, key)
    return view
