"""Initialization: Glorot, He and LeCun against naive weights, everything else held fixed."""

import numpy as np
import pandas as pd
import streamlit as st

from core import Variant, initializers, theory
from ui import charts, params, runs, shell, url_state
from ui.format import power_of_ten
from ui.labels import activation_name, init_name
from ui.technique import labelled, technique_section, view_key

s = shell.current()
tr = s.tr
st.title(tr("in_title"))
st.markdown(tr("in_intro"))
st.latex(
    r"\text{fan}_\text{avg} = \frac{\text{fan}_\text{in} + \text{fan}_\text{out}}{2}, \qquad"
    r"\sigma^2_\text{Glorot} = \frac{1}{\text{fan}_\text{avg}}, \quad"
    r"\sigma^2_\text{He} = \frac{2}{\text{fan}_\text{in}}, \quad"
    r"\sigma^2_\text{LeCun} = \frac{1}{\text{fan}_\text{in}}, \qquad r = \sqrt{3\sigma^2}"
)
st.markdown(tr("in_fan_avg"))

# --- the table, for this network's layer sizes ----------------------------------------------
st.subheader(tr("in_table_title"))
data = runs.load_data(s.dataset)
hidden_shape, first_shape = (s.width, s.width), (data.n_features, s.width)
formulas = {
    "glorot": ("1 / fan_avg", "√(3 / fan_avg)"),
    "he": ("2 / fan_in", "√(6 / fan_in)"),
    "lecun": ("1 / fan_in", "√(3 / fan_in)"),
}
rows = []
for family, (var_formula, r_formula) in formulas.items():
    normal = initializers.get(f"{family}_normal", truncated=False)
    uniform = initializers.get(f"{family}_uniform")
    rows.append(
        {
            tr("in_col_strategy"): tr(f"in_s_{family}"),
            tr("in_col_acts"): tr(f"in_acts_{family}"),
            tr("in_col_var"): var_formula,
            tr("in_col_r"): r_formula,
            tr(
                "in_col_hidden", n=s.width
            ): f"{normal.variance(hidden_shape):.4g} / {uniform.limit(hidden_shape):.4g}",
            tr(
                "in_col_first", i=data.n_features, n=s.width
            ): f"{normal.variance(first_shape):.4g} / {uniform.limit(first_shape):.4g}",
        }
    )
st.table(pd.DataFrame(rows).set_index(tr("in_col_strategy")))

# --- the variants ----------------------------------------------------------------------------
st.subheader(tr("in_controls"))


def he_2015_preset():
    st.session_state.update(depth=30, activation="relu", inits=["glorot_normal", "he_normal"])


c1, c2, c3, c4 = st.columns([2, 4, 2, 2])
url_state.widget(
    params.ACTIVATION,
    c1.selectbox,
    tr("in_activation"),
    params.ACTIVATION.choices,
    format_func=activation_name,
)
url_state.widget(
    params.INITS,
    c2.multiselect,
    tr("in_inits"),
    params.INITS.choices,
    format_func=init_name,
    max_selections=params.INITS.max_items,
)
url_state.widget(
    params.INIT_STD,
    c3.number_input,
    tr("in_init_std"),
    params.INIT_STD.lo,
    params.INIT_STD.hi,
    format="%.4g",
)
url_state.widget(
    params.NORMAL,
    c4.radio,
    tr("in_normal"),
    params.NORMAL.choices,
    format_func=lambda v: tr(f"in_{v}"),
)
st.button(tr("in_preset_he"), on_click=he_2015_preset, icon=":material/science:")

activation = url_state.value(params.ACTIVATION)
inits = url_state.value(params.INITS)
std = url_state.value(params.INIT_STD)
truncated = url_state.value(params.NORMAL) == "truncated"
if not inits:
    st.info(tr("all_variants_removed"))
    st.stop()
variants = [
    Variant(name, s.model(activation, name, init_std=std, truncated=truncated), s.train())
    for name in inits
]
labels = {name: init_name(name, std) for name in inits}
comp = technique_section(variants, labels, s, key="init")

if comp is not None:
    st.header(tr("section_page"))
    st.subheader(tr("in_signal_title"))
    st.markdown(tr("in_signal_text"))
    scale = charts.variant_colors(list(labels.values()))
    predictable = all(theory.predicted_act_std(v.model, 1.0) is not None for v in variants)
    if not predictable:
        st.caption(tr("in_no_theory", activation=activation_name(activation)))

    def signal_figure():
        at_init = comp.layers[(comp.layers["epoch"] == 0) & (comp.layers["layer"] <= s.depth)]
        measured = (
            at_init.groupby(["variant", "layer"], sort=False)["act_std"]
            .mean()
            .reset_index(name="mean")
        )
        predicted = [pd.DataFrame(columns=["variant", "layer", "mean"])]
        for v in variants:
            first = measured[(measured["variant"] == v.name) & (measured["layer"] == 1)]["mean"]
            curve = theory.predicted_act_std(v.model, float(first.iloc[0])) if len(first) else None
            if curve is not None:
                predicted.append(
                    pd.DataFrame(
                        {"variant": v.name, "layer": np.arange(1, s.depth + 1), "mean": curve}
                    )
                )
        theory_frame = pd.concat(predicted)
        return charts.measured_vs_theory(
            labelled(measured, labels), labelled(theory_frame, labels), tr, scale
        )

    runs.chart(st, view_key(comp, labels, tr, "theory"), signal_figure, width="stretch")
    at_start = comp.act_hist[comp.act_hist["epoch"] == 0]
    runs.chart(
        st,
        view_key(comp, labels, tr, "act_hist"),
        lambda: charts.act_histograms(labelled(at_start, labels), 0, tr, scale),
    )

    st.subheader(tr("in_weights_title", n=s.width))
    st.caption(tr("in_weights_text"))

    def weights_figure():
        frames = []
        for v in variants:
            init = initializers.get(v.name, std, truncated)
            spread = 4 * np.sqrt(init.variance(hidden_shape))
            edges = np.linspace(-spread, spread, 61)
            rng = np.random.default_rng(s.seed)
            counts = initializers.sample_histogram(v.name, hidden_shape, rng, edges, std, truncated)
            truncates = getattr(init, "distribution", "") == "truncated_normal"
            bound = init.limit(hidden_shape) if truncates else np.nan
            frames.append(
                pd.DataFrame(
                    {
                        "variant": labels[v.name],
                        "bin_start": edges[:-1],
                        "bin_end": edges[1:],
                        "count": counts,
                        "bound": bound,
                    }
                )
            )
        return charts.weight_histograms(pd.concat(frames), tr, scale)

    weights_key = ("weights", tuple(inits), std, truncated, hidden_shape, s.seed, tr.lang)
    runs.chart(st, weights_key, weights_figure)
    st.caption(
        " · ".join(
            f"{labels[v.name]}: σ² = {power_of_ten(initializers.get(v.name, std).variance(hidden_shape), 2)}"
            for v in variants
        )
    )
