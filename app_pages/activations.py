"""Activations: saturating vs non-saturating activation functions, paired."""

import streamlit as st

from core import ModelConfig, TrainConfig, Variant, activations, initializers
from ui.caches.memo import chart, memo
from ui.page import controls, export_offer, lasting, params, shell, technique, url_state
from ui.runs import runner
from ui.story import claims, figures, ideas, readouts
from ui.text.labels import namers

s, tr = shell.page("ac_title", "ac_intro")
activation_name, init_name = namers(tr)
# --- controls (before the gallery, which draws the chosen alphas) ------------------------------
st.subheader(tr("ac_controls"))


def dying_relu_preset():
    st.session_state.update(
        acts=["relu", "leaky_relu", "elu"], optimizer="adam", lr=0.03, act_init="matching"
    )


controls.multiselect(params.ACTS, st, tr, "ac_acts")  # the full width: four chips fit
init_column, *alpha_columns = st.columns([3, 2, 2])
controls.selectbox(params.ACT_INIT, init_column, tr, "ac_init")
st.button(tr("ac_preset_dying"), on_click=dying_relu_preset, icon=":material/science:")

acts = url_state.value(params.ACTS)
init_choice = url_state.value(params.ACT_INIT)
ALPHAS = {
    "leaky_relu": (params.LEAKY_ALPHA, "ac_leaky_alpha"),
    "elu": (params.ELU_ALPHA, "ac_elu_alpha"),
}
for param, _ in ALPHAS.values():
    url_state.bind(param)  # in the link whether its slider is shown or not
alphas = {name: url_state.value(param) for name, (param, _) in ALPHAS.items()}

# --- the gallery -------------------------------------------------------------------------------
gallery = lasting.expander(tr("ac_gallery_open"), "ac_gallery")
# an activation's alpha beside the initializer, where it changes something: the activation is
# compared, or the open gallery draws it (the value stays in the link either way)
shown = [name for name in ALPHAS if name in acts or gallery.open]
for (param, label), column in zip((ALPHAS[name] for name in shown), alpha_columns):
    controls.slider(param, column, tr, label)
with gallery as box:
    if box.open:  # drawn only once opened: nine small multiples cost the browser most
        st.latex(
            r"\begin{gathered}"
            r"\text{ReLU}(z) = \max(0, z), \qquad \text{LeakyReLU}_\alpha(z) = \max(\alpha z, z) \\[0.8em]"
            r"\text{ELU}_\alpha(z) = \begin{cases} \alpha(e^z - 1) & z < 0 \\ z & z \ge 0 \end{cases},"
            r"\qquad \text{SELU}(z) = 1.0507\,\text{ELU}_{1.6733}(z)"
            r"\end{gathered}"
        )
        chart(st, ideas.activation_gallery, tuple(sorted(alphas.items())), tr)

# --- the comparison ----------------------------------------------------------------------------
if not acts:
    st.info(tr("all_variants_removed"))
    st.stop()


def model_of(name):
    return s.model(name, None if init_choice == "matching" else init_choice, alpha=alphas.get(name))


variants = [Variant(name, model_of(name), s.train()) for name in acts]
# every activation the page offers, in its order: a variant's colour is its place there
labels = {a: f"{activation_name(a)} + {init_name(model_of(a).init)}" for a in params.ACTS.order}
saturating = tuple(n for n in acts if activations.get(n).saturates)
dying = tuple(n for n in acts if activations.get(n).can_die)


def saturated_units(view, key):
    st.markdown(f"**{tr('ac_saturation_title')}**\n\n{tr('ac_saturation_text')}")
    chart(st, figures.share_heatmap, view, "saturated", saturating)


def dead_units(view, key):
    st.markdown(f"**{tr('ac_dead_title')}**\n\n{tr('ac_dead_text')}")
    chart(st, figures.share_heatmap, view, "dead", dying)
    st.caption(tr("ac_dead_probe"))


# the units' charts are tabs beside the shared ones, drawn once opened; a kind of unit none of
# the chosen activations can have is not offered
own_tabs = (
    *([("ac_tab_saturated", saturated_units)] if saturating else []),
    *([("ac_tab_dead", dead_units)] if dying else []),
)
view = technique.section(variants, labels, s, key="act", more=own_tabs)

if view is not None:
    st.header(tr("section_page"))
    if {"sigmoid", "tanh"} <= set(acts) and init_choice != "matching":
        technique.say(st, claims.state("derivative_max", view, sigmoid="sigmoid", tanh="tanh"))
    st.subheader(tr("ac_slope_title"))
    st.markdown(tr("ac_slope_text"))
    chart(st, figures.by_layer, view, "slope_rms", 0, width="stretch")
    technique.notice(view, memo(readouts.activation_readout, view))
    # the mean slope misleads most visibly for ReLU, whose slope is 0 or 1
    relu_like = next((n for n in ("relu", "leaky_relu") if n in acts), None)
    if relu_like is not None and view.variant(relu_like).model.init not in initializers.CONSTANT:
        technique.say(st, claims.state("rms_slope", view, name=relu_like))
    if "sigmoid" in saturating:  # its saturated units are in the tab "Saturated units" above
        technique.say(st, claims.state("vanishes_unsaturated", view, sigmoid="sigmoid"))

# --- SELU's self-normalization -------------------------------------------------------------------
selu_title, selu_text = tr("ac_selu_title"), tr("ac_selu_text", width=s.width)
if technique.on_request(params.SELU_RUN, tr, "ac_selu_toggle", selu_title, selu_text):
    deep = (s.width,) * 100
    at_init = TrainConfig(epochs=0, seed=s.seed)
    # each activation with the weights it is matched with, as in the comparison above
    selu_variants = [
        Variant(a, ModelConfig(hidden=deep, activation=a, init=initializers.matching(a)), at_init)
        for a in ("selu", "relu", "tanh")
    ]
    selu_labels = {
        v.name: f"{activation_name(v.model.activation)} + {init_name(v.model.init)}"
        for v in selu_variants
    }
    selu = runner.run(selu_variants, selu_labels, s.dataset, (s.seed,), tr)
    if selu is not None:
        left, right = st.columns(2)
        chart(left, figures.selu_by_layer, selu, "act_mean", width="stretch")
        chart(right, figures.selu_by_layer, selu, "act_std", width="stretch")
        technique.say(st, claims.state("self_normalizes", selu, selu="selu"))

export_offer.offer(view)  # download the comparison as PyTorch / Keras code
