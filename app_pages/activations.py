"""Activations: saturating vs non-saturating activation functions, paired."""

import numpy as np
import pandas as pd
import streamlit as st

from core import ModelConfig, TrainConfig, Variant, activations
from ui import charts, params, runs, shell, url_state
from ui.format import percent
from ui.labels import activation_name, init_name
from ui.technique import labelled, technique_section, view_key

s = shell.current()
tr = s.tr
st.title(tr("ac_title"))
st.markdown(tr("ac_intro"))
st.latex(
    r"\text{ReLU}(z) = \max(0, z), \quad"
    r"\text{LeakyReLU}_\alpha(z) = \max(\alpha z, z), \quad"
    r"\text{ELU}_\alpha(z) = \begin{cases} \alpha(e^z - 1) & z < 0 \\ z & z \ge 0 \end{cases}, \quad"
    r"\text{SELU}(z) = 1.0507\,\text{ELU}_{1.6733}(z)"
)

# --- controls (before the gallery, which draws the chosen alphas) ------------------------------
st.subheader(tr("ac_controls"))


def dying_relu_preset():
    st.session_state.update(
        acts=["relu", "leaky_relu", "elu"], optimizer="adam", lr=0.03, act_init="matching"
    )


c1, c2, c3, c4 = st.columns([4, 3, 2, 2])
url_state.widget(
    params.ACTS,
    c1.multiselect,
    tr("ac_acts"),
    params.ACTS.choices,
    format_func=activation_name,
    max_selections=params.ACTS.max_items,
)
url_state.widget(
    params.ACT_INIT,
    c2.selectbox,
    tr("ac_init"),
    params.ACT_INIT.choices,
    format_func=lambda v: tr("ac_matching") if v == "matching" else init_name(v),
)
url_state.widget(
    params.LEAKY_ALPHA,
    c3.slider,
    tr("ac_leaky_alpha"),
    params.LEAKY_ALPHA.lo,
    params.LEAKY_ALPHA.hi,
    step=0.01,
)
url_state.widget(
    params.ELU_ALPHA,
    c4.slider,
    tr("ac_elu_alpha"),
    params.ELU_ALPHA.lo,
    params.ELU_ALPHA.hi,
    step=0.01,
)
st.button(tr("ac_preset_dying"), on_click=dying_relu_preset, icon=":material/science:")

acts = url_state.value(params.ACTS)
init_choice = url_state.value(params.ACT_INIT)
alphas = {
    "leaky_relu": url_state.value(params.LEAKY_ALPHA),
    "elu": url_state.value(params.ELU_ALPHA),
}

# --- the gallery -------------------------------------------------------------------------------


def gallery():
    z = np.linspace(-4, 4, 161)
    curves, flat = [], []
    for name in activations.NAMES:
        fn = activations.get(name, alphas.get(name))
        a = fn.forward(z)
        label = activation_name(name)
        derivative = fn.derivative(z, a).astype(float)
        curves += [
            pd.DataFrame({"activation": label, "z": z, "value": a, "curve": "f"}),
            pd.DataFrame({"activation": label, "z": z, "value": derivative, "curve": "f'"}),
        ]
        for start, end in activations.saturated_intervals(name, -4, 4, alpha=alphas.get(name)):
            flat.append({"activation": label, "start": start, "end": end})
    flat = pd.DataFrame(flat, columns=["activation", "start", "end"])
    return charts.activation_gallery(pd.concat(curves), flat, tr)


runs.chart(st, ("gallery", tuple(sorted(alphas.items())), tr.lang), gallery)

# --- the comparison ----------------------------------------------------------------------------
if not acts:
    st.info(tr("all_variants_removed"))
    st.stop()
variants = [
    Variant(
        name,
        s.model(name, None if init_choice == "matching" else init_choice, alpha=alphas.get(name)),
        s.train(),
    )
    for name in acts
]
labels = {v.name: f"{activation_name(v.name)} + {init_name(v.model.init)}" for v in variants}
comp = technique_section(variants, labels, s, key="act")

if comp is not None:
    st.header(tr("section_page"))
    hidden = comp.layers[comp.layers["layer"] <= s.depth]
    per_layer = (
        hidden.groupby(["variant", "epoch", "layer"], sort=False)[["saturated", "dead"]]
        .mean()
        .reset_index()
    )
    saturating = [n for n in acts if activations.get(n).saturates]
    dying = [n for n in acts if activations.get(n).can_die]
    last = per_layer[per_layer["epoch"] == per_layer["epoch"].max()]
    lines = []
    for name in acts:
        row = last[last["variant"] == name]
        parts = []
        if name in dying and len(row):
            parts.append(tr("ro_dead", share=percent(row["dead"].mean())))
        if name in saturating and len(row):
            parts.append(tr("ro_saturated_end", share=percent(row["saturated"].mean())))
        if parts:
            lines.append(f"- **{labels[name]}**: " + "; ".join(parts) + ".")
    if lines:
        st.markdown("\n".join(lines))
    sections = (
        (saturating, "saturated", "ac_saturation_title", None, "ac_none_saturating"),
        (dying, "dead", "ac_dead_title", "ac_dead_text", "ac_none_dying"),
    )
    for chosen, statistic, title, text, none_chosen in sections:
        st.subheader(tr(title))
        if text:
            st.markdown(tr(text))
        if not chosen:
            st.caption(tr(none_chosen))
            continue
        frame = labelled(per_layer[per_layer["variant"].isin(chosen)], labels)
        runs.chart(
            st,
            view_key(comp, labels, tr, statistic),
            lambda frame=frame, statistic=statistic: charts.layer_epoch_heatmap(
                frame, statistic, tr, ""
            ),
        )

# --- SELU's self-normalization -------------------------------------------------------------------
st.subheader(tr("ac_selu_title"))
st.markdown(tr("ac_selu_text", width=s.width))
url_state.widget(params.SELU_RUN, st.toggle, tr("ac_selu_toggle"))
if url_state.value(params.SELU_RUN):
    deep = (s.width,) * 100
    at_init = TrainConfig(epochs=0, seed=s.seed)
    selu_variants = [
        Variant(f"{a}+{i}", ModelConfig(hidden=deep, activation=a, init=i), at_init)
        for a, i in (("selu", "lecun_normal"), ("relu", "he_normal"), ("tanh", "glorot_uniform"))
    ]
    selu_labels = {
        v.name: f"{activation_name(v.model.activation)} + {init_name(v.model.init)}"
        for v in selu_variants
    }
    selu = runs.run(selu_variants, s.dataset, (s.seed,), tr)
    if selu is not None:
        scale = charts.variant_colors(list(selu_labels.values()))
        layers = selu.layers[selu.layers["layer"] <= 100]
        layers = layers.assign(act_mean=layers["act_mean"].abs())  # log scale: distance from 0
        left, right = st.columns(2)
        for where, value, title, axis in (
            (left, "act_mean", "ac_selu_mean", "ax_act_mean"),
            (right, "act_std", "ac_selu_std", "ax_act_std"),
        ):
            runs.chart(
                where,
                view_key(selu, selu_labels, tr, value),
                lambda value=value, title=title, axis=axis: charts.by_layer(
                    labelled(layers, selu_labels), value, 0, tr, scale, title, axis
                ),
                width="stretch",
            )
