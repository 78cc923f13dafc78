"""Overview: what vanishing and exploding gradients are, seen in a network at initialization."""

import numpy as np
import pandas as pd
import streamlit as st

from core import TrainConfig, Variant, activations
from ui import charts, lessons, runs, shell
from ui.technique import init_readout, labelled, view_key

s = shell.current()
tr = s.tr
st.title(tr("ov_title"))
st.markdown(tr("ov_intro"))

st.subheader(tr("ov_sigmoid_title"))
left, right = st.columns([3, 2])


def sigmoid_figure():
    sigmoid = activations.get("sigmoid")
    z = np.linspace(-5, 5, 201)
    a = sigmoid.forward(z)
    curves = pd.concat(
        [
            pd.DataFrame({"z": z, "value": a, "curve": tr("ov_function")}),
            pd.DataFrame({"z": z, "value": sigmoid.derivative(z, a), "curve": tr("ov_derivative")}),
        ]
    )
    flat = pd.DataFrame(activations.saturated_intervals("sigmoid", -5, 5), columns=["start", "end"])
    tangent_z = np.array([-2.0, 2.0])
    tangent = pd.DataFrame(
        {"z": tangent_z, "value": 0.5 + tangent_z * sigmoid.derivative(0.0, 0.5)}
    )
    return charts.function_and_derivative(curves, tr, flat, tangent)


runs.chart(left, ("sigmoid", tr.lang), sigmoid_figure)
right.markdown(tr("ov_sigmoid_text"))
right.latex(r"\sigma(z) = \frac{1}{1 + e^{-z}}")
right.latex(r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) \le \tfrac14")

st.subheader(tr("ov_demo_title"))
st.markdown(tr("ov_demo_text", depth=s.depth, width=s.width))
at_init = TrainConfig(epochs=0, seed=s.seed)
variants = [
    Variant("sigmoid_normal", s.model("sigmoid", "random_normal", init_std=1.0), at_init),
    Variant("sigmoid_glorot", s.model("sigmoid", "glorot_uniform"), at_init),
    Variant("relu_he", s.model("relu", "he_normal"), at_init),
    Variant("relu_normal", s.model("relu", "random_normal", init_std=1.0), at_init),
]
labels = {v.name: tr(f"ov_v_{v.name}") for v in variants}
comp = runs.run(variants, s.dataset, s.seed_list, tr)
if comp is not None:
    scale = charts.variant_colors([labels[v.name] for v in variants])
    layers = comp.layers[comp.layers["epoch"] == 0]
    left, right = st.columns(2)
    runs.chart(
        left,
        view_key(comp, labels, tr, "grad_norm"),
        lambda: charts.grad_norm_by_layer(labelled(layers, labels), 0, tr, scale),
        width="stretch",
    )
    runs.chart(
        right,
        view_key(comp, labels, tr, "act_std"),
        lambda: charts.act_std_by_layer(labelled(layers, labels), 0, tr, scale),
        width="stretch",
    )
    lines = runs.memo(
        view_key(comp, labels, tr, "init_readout"), lambda: init_readout(comp, labels, tr)
    )
    with st.container(border=True):
        st.markdown(f"**{tr('notice')}**")
        st.markdown("\n".join(f"- {line}" for line in lines))

st.subheader(tr("ov_links_title"))
for path, title, line in [
    ("app_pages/initialization.py", "page_init", "ov_link_init"),
    ("app_pages/activations.py", "page_activations", "ov_link_activations"),
    ("app_pages/batch_normalization.py", "page_batchnorm", "ov_link_batchnorm"),
    ("app_pages/gradient_clipping.py", "page_clipping", "ov_link_clipping"),
]:
    st.page_link(path, label=f"**{tr(title)}** — {tr(line)}")

st.subheader(tr("lessons_title"))
st.markdown(tr("lessons_text"))
st.markdown(
    "\n".join(
        f"- [{tr(f'ls_{lesson.name}')}]({lesson.link(lang=s.lang)})" for lesson in lessons.LESSONS
    )
)
