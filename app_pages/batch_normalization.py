"""Batch normalization: before or after the activation, training vs inference, folding."""

import numpy as np
import pandas as pd
import streamlit as st

from core import Variant, bn_studies, datasets
from ui import charts, params, runs, shell, url_state
from ui.format import percent, power_of_ten
from ui.labels import activation_name, init_name
from ui.technique import labelled, technique_section, view_key

s = shell.current()
tr = s.tr
st.title(tr("bn_title"))
st.markdown(tr("bn_intro"))
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
st.latex(r"\hat{v} \leftarrow \hat{v} \times \text{momentum} + v \times (1 - \text{momentum})")
st.markdown(tr("bn_inference"))

st.subheader(tr("bn_controls"))
c1, c2, c3, c4 = st.columns([5, 2, 3, 3])
url_state.widget(
    params.BNS,
    c1.multiselect,
    tr("bn_variants"),
    params.BNS.choices,
    format_func=lambda v: tr(f"bn_v_{v}"),
)
url_state.widget(
    params.BN_ACTIVATION,
    c2.selectbox,
    tr("bn_activation"),
    params.BN_ACTIVATION.choices,
    format_func=activation_name,
)
url_state.widget(
    params.BN_INIT, c3.selectbox, tr("bn_init"), params.BN_INIT.choices, format_func=init_name
)
url_state.widget(
    params.BN_CONVENTION,
    c4.radio,
    tr("bn_convention"),
    params.BN_CONVENTION.choices,
    format_func=lambda v: tr(f"bn_{v}"),
)
placements = url_state.value(params.BNS)
activation = url_state.value(params.BN_ACTIVATION)
init = url_state.value(params.BN_INIT)
convention = url_state.value(params.BN_CONVENTION)
if not placements:
    st.info(tr("all_variants_removed"))
    st.stop()


def model(placement, init_name_=init):
    return s.model(activation, init_name_, batchnorm=placement, bn_convention=convention)


variants = [Variant(p, model(p), s.train()) for p in placements]
labels = {p: tr(f"bn_v_{p}") for p in placements}
comp = technique_section(variants, labels, s, key="bn")

if comp is not None:
    st.header(tr("section_page"))
    with_bn = [p for p in placements if p != "none"]
    if with_bn:
        st.subheader(tr("bn_gap_title"))
        st.markdown(tr("bn_gap_text"))
        scale = charts.variant_colors([labels[p] for p in placements])
        runs.chart(
            st,
            view_key(comp, labels, tr, "gap"),
            lambda: charts.bn_gap(labelled(comp.metrics, labels), tr, scale),
            width="stretch",
        )
        moving, batch = comp.final("val", "accuracy"), comp.final("val_batch_stats", "accuracy")
        for p in with_bn:
            if p in batch.index:
                gap = tr("ro_bn_gap", batch=percent(batch[p]), moving=percent(moving[p]))
                st.markdown(f"- **{labels[p]}**: {gap}")


def trace(steps: int, seed: int) -> pd.DataFrame:
    X, _ = datasets.digits()
    conventions = [("keras", 0.9), ("keras", 0.99), ("keras", 0.999), ("torch", 0.1)]
    return bn_studies.moving_average_trace(X, conventions, 32, steps, np.random.default_rng(seed))


st.subheader(tr("bn_trace_title"))
st.markdown(tr("bn_trace_text"))
runs.chart(
    st, ("bn-trace", s.seed, tr.lang), lambda: charts.moving_average_trace(trace(600, s.seed), tr)
)

# --- sensitivity to initialization, and higher learning rates (run on request) ---------------
url_state.widget(params.BN_GRID, st.toggle, tr("bn_grid_toggle"))
if url_state.value(params.BN_GRID):
    st.subheader(tr("bn_grid_title"))
    grid_inits = ("random_normal", "glorot_uniform", "he_normal", "lecun_normal")
    grid = [
        Variant(f"{i}|{p}", model(p, i), s.train()) for i in grid_inits for p in ("none", "before")
    ]
    result = runs.run(grid, s.dataset, (s.seed,), tr)
    if result is not None:
        accuracy = result.final("val", "accuracy")
        ids = accuracy.index.str.split("|")
        final = pd.DataFrame(
            {
                "init": ids.str[0].map(init_name),
                "bn": ids.str[1].map(lambda p: tr(f"bn_v_{p}")),
                "accuracy": accuracy.where(
                    ~accuracy.index.isin(result.diverged_variants)
                ).to_numpy(),
            }
        )
        runs.chart(
            st,
            ("grid", result.key, tr.lang),
            lambda: charts.accuracy_grid(final[["init", "bn", "accuracy"]], tr),
        )

url_state.widget(params.BN_SWEEP, st.toggle, tr("bn_sweep_toggle"))
if url_state.value(params.BN_SWEEP):
    st.subheader(tr("bn_sweep_title"))
    rates = (0.001, 0.01, 0.1, 1.0)
    sweep = [
        Variant(f"{p}|{lr:g}", model(p), s.train(lr=lr)) for p in ("none", "before") for lr in rates
    ]
    result = runs.run(sweep, s.dataset, (s.seed,), tr)
    if result is not None:
        loss = result.final("train", "loss")
        ids = loss.index.str.split("|")
        frame = pd.DataFrame(
            {
                "variant": ids.str[0].map(lambda p: tr(f"bn_v_{p}")),
                "lr": ids.str[1].astype(float),
                "loss": loss.to_numpy(),
                "diverged": loss.index.isin(result.diverged_variants),
            }
        )
        scale = charts.variant_colors([tr("bn_v_none"), tr("bn_v_before")])
        runs.chart(
            st,
            ("sweep", result.key, tr.lang),
            lambda: charts.lr_sweep(frame, tr, scale),
            width="stretch",
        )

# --- cost, and folding ------------------------------------------------------------------------
url_state.widget(params.BN_FOLD, st.toggle, tr("bn_fold_toggle"))
if comp is not None and url_state.value(params.BN_FOLD):
    st.subheader(tr("bn_cost_title"))
    st.markdown(tr("bn_cost_text"))
    data = runs.load_data(s.dataset)
    rows, worst = [], None
    for v in variants:
        history = comp.runs[(v.name, s.seed)]
        step_key = ("step-time", v.model, s.dataset, s.batch_size)
        step = runs.memo(
            step_key, lambda m=v.model: bn_studies.seconds_per_step(m, data, s.batch_size)
        )
        row = {
            tr("bn_col_variant"): labels[v.name],
            tr("bn_col_step_time"): f"{1000 * step:.2f} ms",
        }
        if v.name != "none" and history.net is not None:
            key = ("fold", tuple(variants), s.dataset, s.seed, v.name)
            report = runs.memo(key, lambda net=history.net: bn_studies.fold_report(net, data.X_val))
            row[tr("bn_col_max_diff")] = (
                f"{power_of_ten(report['max_abs_diff'], 2)} ({power_of_ten(report['relative_diff'], 1)})"
            )
            row[tr("bn_col_params")] = f"{report['params_before']:,} → {report['params_after']:,}"
            row[tr("bn_col_speed")] = (
                f"{1000 * report['seconds_before']:.2f} → {1000 * report['seconds_after']:.2f} ms"
            )
            if v.name == "after" and report["relative_diff"] > 1e-4:
                worst = history.net
        rows.append(row)
    st.table(pd.DataFrame(rows).set_index(tr("bn_col_variant")).fillna("–"))
    if worst is not None:
        st.info(tr("bn_fold_note", scale=power_of_ten(bn_studies.largest_shift(worst))))
