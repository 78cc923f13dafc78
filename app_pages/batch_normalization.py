"""Batch normalization: before or after the activation, training vs inference, folding."""

import pandas as pd
import streamlit as st

from core import Variant, activations
from ui.caches.memo import chart, memo
from ui.page import controls, export_offer, lasting, params, shell, technique, url_state
from ui.runs import budget, runner
from ui.story import claims, claims_bn, figures, ideas, measure, measure_training, readouts
from ui.text.format import markdown_table, power_of_ten
from ui.text.labels import namers

s, tr = shell.page("bn_title", "bn_intro", "bn_inference")
_, init_name = namers(tr)
# the formulas, drawn once opened: typesetting them costs the browser time on every visit, and
# the two paragraphs above say in words what they do
with lasting.expander(tr("bn_formulas_open"), "bn_formulas", icon=":material/function:") as box:
    if box.open:
        st.markdown(f"**{tr('bn_steps')}**")
        st.latex(
            r"1.\ \mu_B = \frac{1}{m_B}\sum_{i=1}^{m_B} x^{(i)} \qquad"
            r"2.\ \sigma_B^2 = \frac{1}{m_B}\sum_{i=1}^{m_B} \left(x^{(i)} - \mu_B\right)^2"
        )
        st.latex(
            r"3.\ \hat{x}^{(i)} = \frac{x^{(i)} - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}} \qquad"
            r"4.\ z^{(i)} = \gamma \otimes \hat{x}^{(i)} + \beta"
        )
        st.caption(tr("bn_symbols"))
        st.markdown(f"**{tr('bn_moving_title')}**")
        st.latex(
            r"\hat{v} \leftarrow \hat{v} \times \text{momentum} + v \times (1 - \text{momentum})"
        )

st.subheader(tr("bn_controls"))
# a row of its own: three long labels, each chip readable
controls.multiselect(params.BNS, st, tr, "bn_variants")
c2, c3, c4 = st.columns([2, 3, 3])
controls.selectbox(params.BN_ACTIVATION, c2, tr)
controls.selectbox(params.BN_INIT, c3, tr)
controls.radio(params.BN_CONVENTION, c4, tr)
placements = url_state.value(params.BNS)
activation = url_state.value(params.BN_ACTIVATION)
init = url_state.value(params.BN_INIT)
convention = url_state.value(params.BN_CONVENTION)
if not placements:
    st.info(tr("all_variants_removed"))
    st.stop()


def model(placement, initializer=init):
    return s.model(activation, initializer, batchnorm=placement, bn_convention=convention)


variants = [Variant(p, model(p), s.train()) for p in placements]
labels = {p: tr(f"bn_v_{p}") for p in params.BNS.order}  # every placement: its place, its colour
url_state.bind(params.BN_FOLD)  # its toggle is drawn below; the study reads the networks
fold = url_state.value(params.BN_FOLD)
study = sum(
    (budget.fold_study_cost(runner.shape_of(s.dataset), v.model, s.batch_size) for v in variants),
    budget.Cost(),
)
saturates = activations.get(activation).saturates


def saturation(view, key):
    st.markdown(f"**{tr('bn_saturation_title')}**\n\n{tr('bn_saturation_text')}")
    chart(st, figures.share_heatmap, view, "saturated", tuple(placements))


def training_vs_inference(view, key):
    st.markdown(f"**{tr('bn_gap_title')}**\n\n{tr('bn_gap_text')}")
    chart(st, figures.bn_gap, view, width="stretch")


# the page's own charts are tabs beside the shared ones: only the open tab is drawn
own_tabs = (
    *([("bn_tab_saturation", saturation)] if saturates else []),
    *([("bn_tab_gap", training_vs_inference)] if any(p != "none" for p in placements) else []),
)
view = technique.section(
    variants,
    labels,
    s,
    key="bn",
    summarise=measure.fold_summary if fold else None,
    extra=study if fold else None,
    more=own_tabs,
)

if view is not None:
    st.header(tr("section_page"))
    said = []
    if {"none", "before"} <= set(placements):
        if view.last_epoch >= claims_bn.REGULARIZE_EPOCHS and all(
            measure_training.progress(view, p) in ("learning", "plateau")
            for p in ("none", "before")
        ):  # both learn: what is left to compare is how closely each fits the training set
            said.append(claims.state("bn_regularizes", view))
        else:
            said.append(claims.state("bn_rescues", view))
    if {"before", "after"} <= set(placements):
        if saturates:
            said.append(claims.state("after_cannot_undo", view))
        else:
            said.append(claims.state("placements_train", view))
    if any(p != "none" for p in placements):  # the gap between batch statistics and averages
        readout = "\n".join(f"- {line}" for line in memo(readouts.bn_gap_readout, view))
        said.append(claims.state("moving_lag", view))
        technique.say(st, *said, lead=readout)
    else:
        technique.say(st, *said)

with lasting.expander(tr("bn_trace_title"), "bn_trace") as box:
    if box.open:  # a side study: computed and drawn only once opened
        st.markdown(tr("bn_trace_text"))
        chart(st, ideas.moving_average_trace, 600, s.seed, tr)

# --- sensitivity to initialization, and higher learning rates (run on request) ---------------
if technique.on_request(params.BN_GRID, tr, "bn_grid_toggle"):
    st.subheader(tr("bn_grid_title"))
    grid_inits = ("random_normal", "glorot_uniform", "he_normal", "lecun_normal")
    grid = [
        Variant(f"{i} {p}", model(p, i), s.train()) for i in grid_inits for p in ("none", "before")
    ]
    grid_labels = {
        v.name: f"{init_name(v.model.init)} · {tr(f'bn_v_{v.model.batchnorm}')}" for v in grid
    }
    result = runner.run(grid, grid_labels, s.dataset, (s.seed,), tr)
    if result is not None:
        chart(st, figures.accuracy_grid, result)

if technique.on_request(params.BN_SWEEP, tr, "bn_sweep_toggle"):
    st.subheader(tr("bn_sweep_title"))
    st.markdown(tr("bn_sweep_text"))
    rates = (0.001, 0.01, 0.1, 1.0)
    sweep = [
        Variant(f"{p} {lr:g}", model(p, "glorot_uniform"), s.train(lr=lr))
        for p in ("none", "before")
        for lr in rates
    ]
    sweep_labels = {v.name: f"{tr(f'bn_v_{v.model.batchnorm}')} · {v.train.lr:g}" for v in sweep}
    result = runner.run(sweep, sweep_labels, s.dataset, (s.seed,), tr)
    if result is not None:
        chart(st, figures.lr_sweep, result, width="stretch")
        st.markdown("\n".join(f"- {line}" for line in memo(readouts.lr_sweep_readout, result)))

# --- a BN layer on raw inputs instead of standardizing them (run on request) -----------------
if technique.on_request(params.BN_INPUTS, tr, "ibn_toggle"):
    st.subheader(tr("ibn_title"))
    facts = memo(measure_training.input_bn_facts, measure_training.INPUT_BN_DATASET)
    st.markdown(tr("ibn_text", **facts))
    st.caption(tr("ibn_convention", **facts))
    on_raw, on_standardized = measure_training.input_bn_variants(s.seed)
    arm_labels = {v.name: tr(f"ibn_v_{v.name}") for v in (*on_raw, *on_standardized)}
    arm_views = []
    for arms in (on_raw, on_standardized):  # each on its own data: raw, then standardized
        where = measure_training.arm_data(measure_training.INPUT_BN_DATASET, arms[0].name)
        shape = runner.shape_of(where)
        # the read-out's spreads at initialization, computed once the runs are done
        spreads = [budget.spread_cost(shape, v.model, v.train) for v in arms]
        extra = sum(spreads, budget.Cost()).times(len(s.seed_list))
        arm_view = runner.run(arms, arm_labels, where, s.seed_list, tr, extra=extra)
        if arm_view is None:
            break
        arm_views.append(arm_view)
    else:
        study = measure_training.input_bn_view(*arm_views)
        technique.show_divergence(study)
        chart(st, figures.input_bn_accuracy, study, width="stretch")
        readout = "\n".join(f"- {line}" for line in memo(readouts.input_bn_readout, study))
        said = ("raw_inputs_fail", "standardizing_fixes", "input_bn_fixes")
        technique.say(st, *(claims.state(name, study) for name in said), lead=readout)

# --- cost, and folding ------------------------------------------------------------------------
if technique.on_request(params.BN_FOLD, tr, "bn_fold_toggle") and view is not None:
    st.subheader(tr("bn_cost_title"))
    st.markdown(tr("bn_cost_text"))
    rows, worst, shift = [], None, 0.0
    for v in variants:
        report = view.summaries.get(v.name)
        if report is None:  # diverged: no trained network to time or fold
            continue
        row = {
            tr("bn_col_variant"): labels[v.name],
            tr("bn_col_step_time"): f"{1000 * report['step_seconds']:.2f} ms",
        }
        if v.model.uses_batchnorm:
            worst = max(worst or 0.0, report["relative_diff"])
            shift = max(shift, report["largest_shift"])
            row[tr("bn_col_max_diff")] = (
                f"{power_of_ten(report['max_abs_diff'], 2)} ({power_of_ten(report['relative_diff'], 1)})"
            )
            row[tr("bn_col_params")] = f"{report['params_before']:,} → {report['params_after']:,}"
            row[tr("bn_col_speed")] = tr(
                f"bn_speed_{measure_training.timing_verdict(report)}",
                before=f"{1000 * report['seconds_before']:.2f}",
                after=f"{1000 * report['seconds_after']:.2f}",
                spread=f"{1000 * max(report['spread_before'], report['spread_after']):.2f}",
            )
        rows.append(row)
    if rows:
        st.markdown(markdown_table(pd.DataFrame(rows).set_index(tr("bn_col_variant")).fillna("–")))
    if all(v.model.uses_batchnorm for v in variants):  # BN's cost is read against no BN
        st.caption(tr("bn_cost_no_baseline", none=tr("bn_v_none")))
    if worst is not None:
        technique.say(st, claims.state("fold_exact", view, worst=worst, shift=shift))

export_offer.offer(view)  # download the comparison as PyTorch / Keras code
