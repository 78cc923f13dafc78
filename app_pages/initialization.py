"""Initialization: Glorot, He and LeCun against naive weights, everything else held fixed."""

import pandas as pd
import streamlit as st

from core import Variant, diagnostics, initializers, theory
from ui.caches import data
from ui.caches.memo import chart
from ui.page import controls, export_offer, lasting, params, shell, technique, url_state
from ui.story import claims, claims_init, figures, ideas
from ui.text.format import markdown_table, power_of_ten, significant
from ui.text.labels import namers

s, tr = shell.page("in_title", "in_intro", "in_fan_avg")
activation_name, init_name = namers(tr)
# the rules as formulas, drawn once opened: typesetting costs the browser time on every visit,
# and the table below writes the same rules out
with lasting.expander(tr("in_formulas_open"), "in_formulas", icon=":material/function:") as box:
    if box.open:
        st.latex(
            r"\begin{gathered}"
            r"\text{fan}_\text{avg} = \frac{\text{fan}_\text{in} + \text{fan}_\text{out}}{2}, \qquad "
            r"r = \sqrt{3\sigma^2} \\[0.8em]"
            r"\sigma^2_\text{Glorot} = \frac{1}{\text{fan}_\text{avg}}, \quad"
            r"\sigma^2_\text{He} = \frac{2}{\text{fan}_\text{in}}, \quad"
            r"\sigma^2_\text{LeCun} = \frac{1}{\text{fan}_\text{in}}"
            r"\end{gathered}"
        )

# --- the table, for this network's layer sizes ----------------------------------------------
st.subheader(tr("in_table_title"))
d = data.load(s.dataset)
hidden_shape, first_shape = (s.width, s.width), (d.n_features, s.width)
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
            ): f"{significant(normal.variance(hidden_shape))} / {significant(uniform.limit(hidden_shape))}",
            tr(
                "in_col_first", i=d.n_features, n=s.width
            ): f"{significant(normal.variance(first_shape))} / {significant(uniform.limit(first_shape))}",
        }
    )
st.markdown(markdown_table(pd.DataFrame(rows).set_index(tr("in_col_strategy"))))

# --- the variants ----------------------------------------------------------------------------
st.subheader(tr("in_controls"))


def he_2015_preset():
    st.session_state.update(depth=30, activation="relu", inits=["glorot_normal", "he_normal"])


c1, c2 = st.columns([1, 4])  # the initializers' row is wide enough for four chips
controls.selectbox(params.ACTIVATION, c1, tr, "in_activation")
controls.multiselect(params.INITS, c2, tr, "in_inits")
# each of these matters only to some initializers: without one of them it is disabled, and says so
chosen = set(url_state.value(params.INITS))
uses_std = bool(chosen & {"random_normal", "random_uniform"})
uses_value = "constant" in chosen
uses_normal = bool(chosen & {"glorot_normal", "he_normal", "lecun_normal"})
c3, c4, c5 = st.columns(3)
controls.number_input(params.INIT_STD, c3, tr, "in_init_std", used=uses_std)
controls.number_input(params.INIT_VALUE, c4, tr, "in_init_value", used=uses_value)
controls.radio(params.NORMAL, c5, tr, "in_normal", used=uses_normal)
st.button(tr("in_preset_he"), on_click=he_2015_preset, icon=":material/science:")

activation = url_state.value(params.ACTIVATION)
inits = url_state.value(params.INITS)
std = url_state.value(params.INIT_STD)
value = url_state.value(params.INIT_VALUE)
truncated = url_state.value(params.NORMAL) == "truncated"
if not inits:
    st.info(tr("all_variants_removed"))
    st.stop()
variants = [
    Variant(
        name,
        s.model(activation, name, init_std=std, truncated=truncated, init_value=value),
        s.train(),
    )
    for name in inits
]
# every initializer the page offers, in its order: a variant's colour is its place there
labels = {name: init_name(name, std, value) for name in params.INITS.order}
view = technique.section(variants, labels, s, key="init")

if view is not None:
    st.header(tr("section_page"))
    he = next((name for name in ("he_normal", "he_uniform") if name in inits), None)
    if activation == "relu" and he is not None:
        technique.say(
            st,
            *(
                claims.state(claim, view, he=he, **{role: naive})
                for naive, claim, role in (
                    ("glorot_normal", "glorot_shrinks", "glorot"),
                    ("glorot_uniform", "glorot_shrinks", "glorot"),
                    ("random_normal", "signal_explodes", "normal"),
                )
                if naive in inits
            ),
        )
    equal = [name for name in inits if name in initializers.CONSTANT]
    if equal:
        st.subheader(tr("in_symmetry_title"))
        st.markdown(tr("in_symmetry_text", zeros=claims_init.zeros_sentence(view)))
        chart(st, figures.distinct_units, view)
        st.caption(tr("in_symmetry_caption", rtol=power_of_ten(diagnostics.SAME_UNIT_RTOL)))
        for name in equal:
            technique.say(st, claims.state("symmetric", view, same=name))
        if "zeros" in inits:
            chart(st, figures.zeros_gradients, view, "zeros", width="stretch")
            technique.say(st, claims.state("zeros_frozen", view, zeros="zeros"))
        drawn = next((name for name in inits if name not in initializers.CONSTANT), None)
        if "constant" in inits and drawn is not None:
            technique.say(
                st, claims.state("constant_alike", view, constant="constant", random=drawn)
            )
    st.subheader(tr("in_signal_title"))
    st.markdown(tr("in_signal_text"))
    if activation not in theory.EXACT_FOR:
        st.caption(tr("in_no_theory", activation=activation_name(activation)))
    elif equal:
        st.caption(tr("in_no_theory_constant"))
    chart(st, figures.signal_vs_theory, view, width="stretch")
    # secondary charts: computed and drawn only once opened (each rerun asks .open)
    with lasting.expander(tr("in_act_hist_open"), "in_act_hist") as box:
        if box.open:
            chart(st, figures.act_histograms, view, 0)
            st.caption(tr("act_hist_overflow_note"))

with lasting.expander(tr("in_weights_title", n=s.width), "in_weights") as box:
    if box.open:
        st.caption(tr("in_weights_text"))
        named = tuple((name, labels[name]) for name in inits)
        chart(st, ideas.drawn_weights, named, std, truncated, hidden_shape, s.seed, tr, value)
        st.caption(
            " · ".join(
                f"{labels[name]}: σ² = {power_of_ten(initializers.get(name, std, value=value).variance(hidden_shape), 2)}"
                for name in inits
            )
        )

export_offer.offer(view)  # download the comparison as PyTorch / Keras code
