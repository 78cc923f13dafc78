"""A parameter draws its own control: range, step, options, names and format come from the
``Param``, the value from the link, and a hidden control draws nothing but keeps its value."""

import pytest
from streamlit.testing.v1 import AppTest

from ui.page import controls, params
from ui.text.i18n import Text


def _page():
    """A page of one control of each kind, bound to the link as the app binds them."""
    import streamlit as st

    from ui.page import controls, params, url_state
    from ui.text.i18n import Text

    url_state.begin_run()
    tr = Text(st.session_state[url_state.bind(params.LANG)])
    controls.slider(params.DEPTH, st, tr)
    controls.slider(params.GX, st.sidebar, tr, "cl_gx")
    controls.select_slider(params.LR, st, tr)
    controls.select_slider(params.BATCH_SIZE, st, tr)
    controls.number_input(params.SEED, st, tr)
    controls.number_input(params.INIT_STD, st, tr, "in_init_std", used=False)
    controls.number_input(params.CLIP_THRESHOLD, st, tr, "cl_threshold")
    controls.selectbox(params.ACTIVATION, st, tr, "in_activation")
    controls.radio(params.NORMAL, st, tr, "in_normal")
    controls.multiselect(params.INITS, st, tr, "in_inits")
    controls.multiselect(params.CLIPS, st, tr, "cl_variants")
    controls.toggle(params.SELU_RUN, st, tr, "ac_selu_toggle")
    st.query_params.from_dict(url_state.query())


def _open(**query) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sliders_take_their_range_and_step_from_the_param_and_value_from_the_link():
    at = _open(depth="30", gx="5")
    tr = Text("en")
    depth = at.slider(key="depth")
    assert (depth.min, depth.max, depth.step, depth.value) == (1, 100, 1, 30)
    assert depth.label == tr("depth")  # the label's key is the parameter's name
    gx = at.sidebar.slider(key="gx")  # drawn where it was asked to be
    assert (gx.min, gx.max, gx.step, gx.value) == (-100.0, 100.0, 0.1, 5.0)
    assert gx.label == tr("cl_gx")


def test_select_sliders_offer_the_steps_and_a_value_between_them():
    at = _open(lr="0.05")
    lr = at.select_slider(key="lr")
    assert lr.value == 0.05
    assert lr.options[:2] == ["0.00001", "0.00003"]  # plain decimals, never 1e-05
    assert lr.options[lr.options.index("0.03") + 1] == "0.05"  # the link's value, in its place
    assert len(lr.options) == len(params.LR_STEPS) + 1
    batch = at.select_slider(key="batch_size")
    assert batch.options == [str(n) for n in params.BATCH_STEPS]
    assert batch.value == params.BATCH_SIZE.default


def test_number_inputs_step_whole_numbers_and_show_floats_to_four_digits():
    at = _open(clip_threshold="20000")
    seed = at.number_input(key="seed")
    assert (seed.min, seed.max, seed.step, seed.value) == (0, 2**31 - 1, 1, 0)
    threshold = at.number_input(key="clip_threshold")
    assert threshold.value == params.CLIP_THRESHOLD.hi  # clamped into range, as a link is
    assert threshold.proto.format == "%.4g" and threshold.min == params.CLIP_THRESHOLD.lo
    assert not threshold.disabled


def test_an_unused_control_is_disabled_and_says_what_would_use_it():
    at = _open()
    tr = Text("en")
    std = at.number_input(key="init_std")
    assert std.disabled and std.help == tr("unused_init_std")


def test_choices_are_named_in_the_interface_language_and_limited_only_when_it_binds():
    for lang in ("en", "ko"):
        tr = Text(lang)
        at = _open(lang=lang, activation="tanh", inits="he_normal,zeros")
        activation = at.selectbox(key="activation")
        assert activation.value == "tanh"
        assert activation.options[:3] == [tr("act_sigmoid"), tr("act_tanh"), tr("act_relu")]
        assert at.radio(key="normal").options == [tr("in_truncated"), tr("in_untruncated")]
        inits = at.multiselect(key="inits")
        assert inits.value == ["he_normal", "zeros"]
        assert tr("init_he_normal") in inits.options and inits.label == tr("in_inits")
        assert inits.max_selections == params.INITS.max_items  # 4 of 10
        assert at.multiselect(key="clips").max_selections == 0  # 4 of 4: no limit to show
        # no "Select all" row, whose label Streamlit writes in English only
        assert [m.proto.select_all for m in at.multiselect] == [0, 0]  # 0: never shown
        assert at.toggle(key="selu").label == tr("ac_selu_toggle")


def test_a_hidden_control_draws_nothing_and_keeps_its_value_and_its_link():
    at = _open(hide="depth,inits,selu", depth="7", inits="zeros", selu="1")
    assert [s.key for s in at.slider] == ["gx"]
    assert [m.key for m in at.multiselect] == ["clips"] and not at.toggle
    assert at.session_state["depth"] == 7 and at.session_state["selu"] is True
    assert at.session_state["inits"] == ["zeros"]
    query = at.query_params
    assert (query["depth"], query["inits"], query["selu"]) == ("7", "zeros", "1")
    assert query["hide"] == "depth,inits,selu"


def test_the_link_is_written_back_as_it_came():
    link = {"depth": "30", "lr": "0.05", "activation": "tanh", "inits": "he_normal,zeros"}
    at = _open(**link)
    assert {k: at.query_params[k] for k in at.query_params} == link


@pytest.mark.parametrize(
    "draw,param",
    [
        (controls.slider, params.ACTIVATION),
        (controls.number_input, params.INITS),
        (controls.selectbox, params.DEPTH),
        (controls.multiselect, params.ACTIVATION),
        (controls.toggle, params.DEPTH),
        (controls.select_slider, params.DEPTH),  # a number, but with no steps to offer
    ],
)
def test_a_control_refuses_a_param_it_cannot_draw(draw, param):
    with pytest.raises(ValueError, match=param.name):
        draw(param, None, Text("en"))


def test_options_are_named_as_the_page_names_them():
    tr = Text("ko")
    assert controls.option_names(params.DATASET, tr)("digits") == tr("ds_digits")  # long name
    assert controls.option_names(params.LAB[2]["clip"], tr)("norm") == tr("cl_v_norm")
    assert controls.option_names(params.ACT_INIT, tr)("matching") == tr("ac_matching")
    assert controls.option_names(params.LANG, Text("en"))("ko") == "한국어"
    assert controls.option_names(params.DEPTH, tr) is None
