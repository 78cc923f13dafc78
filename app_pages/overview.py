"""Overview, the front door: the app's name, the phenomenon in one chart with the ways in, then
why it happens and the same networks measured three more ways, all at initialization."""

import streamlit as st

from core import TrainConfig, Variant
from ui.caches.memo import chart, memo
from ui.page import lasting, shell, site
from ui.page.technique import notice, say
from ui.runs import runner
from ui.story import claims, figures, ideas, readouts

#: The logistic function and its derivative, in the characters the page's text uses.
SIGMOID_FORMULAS = "σ(z) = 1 / (1 + exp(−z))  \nσ′(z) = σ(z) · (1 − σ(z)) ≤ 1/4"

s = shell.current()
tr = s.tr
st.title("Gradient Lab")
st.markdown(tr("ov_tagline"))

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
judged = readouts.with_verdicts(view) if view is not None else None  # legends say what each does

front, side = st.columns([2, 1], gap="medium")
if judged is not None:
    chart(front, figures.front_profile, judged, width="stretch")
with side:
    st.markdown(f"**{tr('ov_start_title')}**")
    site.link("lessons", tr, tr("ov_start_class"))
    site.link("initialization", tr, tr("ov_start_self"))
    site.link("lab", tr, tr("ov_start_lab"))
    band = memo(readouts.verdict_band, view) if view is not None else ""  # the legend's words
    st.caption("\n\n".join(filter(None, [tr("ov_read_chart", depth=s.depth, width=s.width), band])))

st.header(tr("ov_why_title"))
st.markdown(tr("ov_intro"))
st.subheader(tr("ov_sigmoid_title"))
left, right = st.columns([3, 2])
chart(left, ideas.sigmoid_and_slope, tr)
# the formulas as text in the same element: typeset (KaTeX) they would cost every visit the
# browser's time for the typesetter and its fonts
right.markdown(tr("ov_sigmoid_text") + "\n\n" + SIGMOID_FORMULAS)

if view is not None:
    st.subheader(tr("ov_demo_title"))
    st.markdown(tr("ov_demo_text"))
    # one chart at a time, in tabs of which only the open one is drawn: four charts at once
    # would cost every visit the browser's time for all of them
    demo = (  # (tab, the per-layer quantity drawn, or None for the zoom; its caption)
        ("ov_tab_zoom", None, "ov_zoom_note"),
        ("ov_tab_grad", "grad_norm", "why_two_gradients"),
        ("ov_tab_std", "act_std", None),
        ("ov_tab_slope", "slope_rms", None),
    )
    tabs = lasting.tabs(tr, [name for name, *_ in demo], "ov_demo_tab")
    for tab, (_, quantity, note) in zip(tabs, demo):
        if not tab.open:
            continue
        with tab:
            left, right = st.columns([3, 2])  # the chart as wide as the one above the tabs
            if quantity is None:
                chart(left, figures.front_zoom, judged, width="stretch")
            else:
                chart(left, figures.by_layer, judged, quantity, 0, width="stretch")
            if note is not None:
                right.caption(tr(note))
    notice(view, memo(readouts.init_readout, view), memo(readouts.verdict_band, view))
    say(
        st,
        claims.state("derivative_max", view, sigmoid="sigmoid_glorot", tanh="tanh_glorot"),
        claims.state("saturation", view, sigmoid="sigmoid_normal"),
        claims.state("flat_weight_gradient", view, relu="relu_normal"),
    )

st.subheader(tr("ov_links_title"))
fixes = {
    "initialization": "ov_link_init",
    "activations": "ov_link_activations",
    "batch-normalization": "ov_link_batchnorm",
    "gradient-clipping": "ov_link_clipping",
}
for column, (url_path, line) in zip(st.columns(len(fixes)), fixes.items()):
    with column.container(border=True):
        site.link(url_path, tr)
        st.caption(tr(line))
