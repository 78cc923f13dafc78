"""Overview: what vanishing and exploding gradients are, seen in a network at initialization."""

import streamlit as st

from core import TrainConfig, Variant
from ui import claims, figures, lessons, runner, shell
from ui.memo import chart, memo
from ui.technique import notice, say

s = shell.current()
tr = s.tr
st.title(tr("ov_title"))
st.markdown(tr("ov_intro"))

st.subheader(tr("ov_sigmoid_title"))
left, right = st.columns([3, 2])
chart(left, figures.sigmoid_and_slope, tr)
right.markdown(tr("ov_sigmoid_text"))
right.latex(r"\sigma(z) = \frac{1}{1 + e^{-z}}")
right.latex(r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) \le \tfrac14")

st.subheader(tr("ov_demo_title"))
st.markdown(tr("ov_demo_text", depth=s.depth, width=s.width))
at_init = TrainConfig(epochs=0, seed=s.seed)
variants = [
    Variant("sigmoid_normal", s.model("sigmoid", "random_normal", init_std=1.0), at_init),
    Variant("sigmoid_glorot", s.model("sigmoid", "glorot_uniform"), at_init),
    Variant("tanh_glorot", s.model("tanh", "glorot_uniform"), at_init),
    Variant("relu_he", s.model("relu", "he_normal"), at_init),
    Variant("relu_normal", s.model("relu", "random_normal", init_std=1.0), at_init),
]
labels = {v.name: tr(f"ov_v_{v.name}") for v in variants}
view = runner.run(variants, labels, s.dataset, s.seed_list, tr)
if view is not None:
    judged = claims.with_verdicts(view)  # legends say what each line measures
    top = st.columns(2)
    chart(top[0], figures.by_layer, judged, "backprop_norm", 0, width="stretch")
    chart(top[1], figures.by_layer, judged, "grad_norm", 0, width="stretch")
    st.caption(tr("why_two_gradients"))
    bottom = st.columns(2)
    chart(bottom[0], figures.by_layer, judged, "act_std", 0, width="stretch")
    chart(bottom[1], figures.by_layer, judged, "slope_mean", 0, width="stretch")
    notice(view, memo(claims.init_readout, view))
    say(st, claims.state("derivative_max", view, sigmoid="sigmoid_glorot", tanh="tanh_glorot"))
    say(st, claims.state("saturation", view, sigmoid="sigmoid_normal"))
    say(st, claims.state("flat_weight_gradient", view, relu="relu_normal"))

st.subheader(tr("ov_links_title"))
for path, title, line in [
    ("app_pages/initialization.py", "page_init", "ov_link_init"),
    ("app_pages/activations.py", "page_activations", "ov_link_activations"),
    ("app_pages/batch_normalization.py", "page_batchnorm", "ov_link_batchnorm"),
    ("app_pages/gradient_clipping.py", "page_clipping", "ov_link_clipping"),
]:
    st.page_link(path, label=tr(title))
    st.caption(tr(line))

st.subheader(tr("lessons_title"))
st.markdown(tr("lessons_text"))
st.markdown(
    "\n".join(
        f"- [{tr(f'ls_{lesson.name}')}]({lesson.link(lang=s.lang)})" for lesson in lessons.LESSONS
    )
)
