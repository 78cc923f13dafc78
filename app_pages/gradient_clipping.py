"""Gradient clipping: by value, by norm per tensor, by global norm."""

import numpy as np
import streamlit as st

from core import Variant, clipping
from ui.caches.memo import chart, memo
from ui.page import controls, export_offer, lasting, params, shell, technique, url_state
from ui.runs import runner
from ui.story import claims, figures, ideas, measure_training, readouts
from ui.text.labels import namers

#: One threshold per decade: enough to find each method's best decade within the budget.
SWEEP_THRESHOLDS = (0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)

s, tr = shell.page("cl_title", "cl_intro")
_, init_name = namers(tr)
# the formulas and the code, drawn once opened: typesetting and the browser's syntax
# highlighter would cost every visit their time
with lasting.expander(tr("cl_code_title"), "cl_code", icon=":material/code:") as box:
    if box.open:
        st.latex(
            rf"\text{{{tr('cl_f_value')}: }} g_i \leftarrow \min(\max(g_i, -c), c) \qquad"
            rf"\text{{{tr('cl_f_norm')}: }} g \leftarrow g \cdot \frac{{c}}{{\max(\lVert g \rVert, c)}} \qquad"
            rf"\lVert g \rVert_\text{{{tr('cl_f_global')}}} = \sqrt{{\textstyle\sum_t \lVert g_t \rVert^2}}"
        )
        keras_tab, torch_tab = st.tabs(["Keras", "PyTorch"])
        keras_tab.code(
            "optimizer = keras.optimizers.SGD(clipvalue=1.0)  # or clipnorm=1.0, global_clipnorm=1.0\n"
            'model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer)',
            language="python",
        )
        torch_tab.code(
            "loss.backward()\n"
            "torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # global norm\n"
            "# torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=1.0)  # by value\n"
            "optimizer.step()",
            language="python",
        )

# --- geometry, drawn once opened: the comparison is what a visit comes for, and every element
# more on its first screen is time every visitor waits. A link that sets a gradient opens it.
for param in (params.GX, params.GY, params.CLIP_THRESHOLD):
    url_state.bind(param)  # in the link whether the explorer is open or not
threshold = url_state.value(params.CLIP_THRESHOLD)
g = np.array([url_state.value(params.GX), url_state.value(params.GY)])
asked = (g[0], g[1]) != (params.GX.default, params.GY.default)
geometry = lasting.expander(
    tr("cl_geometry_title"), "cl_geometry", icon=":material/explore:", expanded=bool(asked)
)
with geometry as box:
    if box.open:
        st.markdown(tr("cl_geometry_text"))
        left, right = st.columns([1, 2])
        controls.slider(params.GX, left, tr, "cl_gx")
        controls.slider(params.GY, left, tr, "cl_gy")
        by_value = clipping.clip_by_value([g], threshold)
        by_norm = clipping.clip_by_global_norm([g], threshold)[0]
        chart(right, ideas.clipping_geometry, (float(g[0]), float(g[1])), threshold, tr,
              width="content")  # fmt: skip
        fmt = lambda v: f"({v[0]:.3g}, {v[1]:.3g})"  # noqa: E731
        left.markdown(
            tr(
                "cl_angle",
                threshold=f"{threshold:g}",
                angle=clipping.turn_degrees(by_value.cosine),
                raw=fmt(g),
                clipped=fmt(by_value[0]),
                normed=fmt(by_norm),
            )
        )

# --- the comparison ----------------------------------------------------------------------------
st.subheader(tr("cl_controls"))
controls.multiselect(params.CLIPS, st, tr, "cl_variants")  # the full width: its four chips fit
scenario = st.empty()  # the caption names the default network only while it is chosen
d0, d1, d2, d3 = st.columns(4)
controls.number_input(params.CLIP_THRESHOLD, d0, tr, "cl_threshold")
controls.selectbox(params.CLIP_ACTIVATION, d1, tr, "cl_activation")
url_state.bind(params.CLIP_INIT)
url_state.bind(params.CLIP_INIT_STD)
std = url_state.value(params.CLIP_INIT_STD)  # named in the initializer's label: N(0, 0.25²)
controls.selectbox(params.CLIP_INIT, d2, tr, "cl_init", format_func=lambda i: init_name(i, std))
uses_std = url_state.value(params.CLIP_INIT) in ("random_normal", "random_uniform")
controls.number_input(params.CLIP_INIT_STD, d3, tr, "cl_init_std", used=uses_std)
at_default = (url_state.value(params.CLIP_INIT), std) == (
    params.CLIP_INIT.default,
    params.CLIP_INIT_STD.default,
)
caption = tr("cl_scenario")
if at_default:
    caption += " — " + tr("cl_scenario_default", std=f"{std:g}")
scenario.caption(caption)
methods = url_state.value(params.CLIPS)
if not methods:
    st.info(tr("all_variants_removed"))
    st.stop()
model = s.model(
    url_state.value(params.CLIP_ACTIVATION),
    url_state.value(params.CLIP_INIT),
    init_std=url_state.value(params.CLIP_INIT_STD),
)
variants = [Variant(m, model, s.train(clip=m, clip_threshold=threshold)) for m in methods]
labels = {m: tr(f"cl_v_{m}") for m in params.CLIPS.order}  # every method: its place, its colour


def step_norms(view, key):
    chart(st, figures.step_norms, view, width="stretch")
    stride = figures.step_stride(view)
    st.caption(
        tr("cl_norm_note") + (f"\n\n{tr('cl_norm_thinned', n=stride)}" if stride > 1 else "")
    )


def per_epoch(view, key):
    left, right = st.columns(2)
    for where, quantity in ((left, "share_clipped"), (right, "cosine_mean")):
        chart(where, figures.clip_per_epoch, view, quantity, width="stretch")


clipped = any(m != "none" for m in methods)
own_tabs = (("cl_tab_steps", step_norms), *([("cl_tab_epochs", per_epoch)] if clipped else []))
view = technique.section(variants, labels, s, key="clip", more=own_tabs)

if view is not None:
    st.header(tr("section_page"))
    readout = "\n".join(f"- {line}" for line in memo(readouts.clipping_readout, view))
    stats = memo(measure_training.clip_statistics, view).set_index("method")
    spikes_only = {"none", "global_norm"} <= set(stats.index) and (
        stats.loc["global_norm", "share_clipped"] < measure_training.ALWAYS_CLIPPED
    )
    said = []
    if spikes_only:  # clipping as a guard: what the unclipped run did, and what clipping did
        said += [claims.state("spikes_fail", view), claims.state("guards_spikes", view)]
    else:
        if "none" in stats.index and stats.loc["none", "diverged"]:
            said.append(claims.state("keeps_finite", view))
        norms = stats[stats.index.isin(["norm", "global_norm"])]
        if len(norms) and (norms["share_clipped"] >= measure_training.ALWAYS_CLIPPED).any():
            said.append(claims.state("norm_always", view))
    technique.say(st, *said, lead=readout)

# --- a fair comparison: every method over a range of thresholds (run on request) -------------
sweep_title, sweep_text = tr("cl_sweep_title"), tr("cl_sweep_text")
if technique.on_request(params.CLIP_SWEEP, tr, "cl_sweep_toggle", sweep_title, sweep_text):
    swept = [m for m in methods if m != "none"] or [m for m in clipping.METHODS if m != "none"]
    sweep = [
        Variant(f"{m} {t:g}", model, s.train(clip=m, clip_threshold=t, diagnostics=False))
        for m in swept
        for t in SWEEP_THRESHOLDS
    ]
    sweep_labels = {
        v.name: f"{tr(f'cl_v_{v.train.clip}')} · {v.train.clip_threshold:g}" for v in sweep
    }
    result = runner.run(sweep, sweep_labels, s.dataset, (s.seed,), tr)
    if result is not None:
        page_labels = tuple(labels.values())
        chart(st, figures.threshold_sweep, result, page_labels, width="stretch")
        if result.comp.diverged_variants:
            st.caption(tr("cl_sweep_caption"))
        st.markdown("\n".join(f"- {line}" for line in memo(readouts.sweep_readout, result)))

export_offer.offer(view)  # download the comparison as PyTorch / Keras code
