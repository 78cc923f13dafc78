"""Secondary charts in expanders and tabs are computed and drawn only once opened (so a first
visit draws fewer charts), and opening one draws it, in both languages."""

import json

import pytest
from apptest_helpers import open_page

from ui.text.i18n import Text

QUICK = {"depth": "3", "width": "8", "epochs": "1"}


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def title(spec: dict) -> str:
    """The chart's title (a played chart's is an expression of the epoch shown; a title
    wrapped into lines, joined again)."""
    text = spec.get("title") or ""
    text = text.get("text", "") if isinstance(text, dict) else text
    if isinstance(text, list):
        return " ".join(text)
    return text.get("expr", "") if isinstance(text, dict) else str(text)


def played(spec: dict) -> bool:
    """A chart that plays through the epochs (it carries the ``epoch`` parameter)."""
    return any(p.get("name") == "epoch" for p in spec.get("params", []))


def facet_fields(spec: dict) -> set[str]:
    facet = spec.get("facet", {})
    parts = [facet, *(facet.get(k, {}) for k in ("row", "column"))]
    return {p["field"] for p in parts if isinstance(p, dict) and "field" in p}


#: (page, expander key, what identifies its chart)
EXPANDERS = [
    ("initialization", "in_act_hist", lambda s: facet_fields(s) == {"layer", "variant"}),
    ("initialization", "in_weights", lambda s: facet_fields(s) == {"variant"}),
    ("activations", "ac_gallery", lambda s: facet_fields(s) == {"activation"}),
    ("batch-normalization", "bn_trace", lambda s: facet_fields(s) == {"what"}),
]


@pytest.mark.parametrize("page, key, is_its_chart", EXPANDERS, ids=[e[1] for e in EXPANDERS])
def test_an_expander_draws_its_chart_only_once_opened(page, key, is_its_chart):
    at = open_page(page, **QUICK)
    closed = specs(at)
    assert not at.exception and closed
    assert not any(is_its_chart(s) for s in closed)
    at.session_state[key] = True
    at.run()
    opened = specs(at)
    assert not at.exception
    assert len(opened) == len(closed) + 1
    assert sum(is_its_chart(s) for s in opened) == 1


def test_korean_expanders_open_too():
    at = open_page("initialization", lang="ko", **QUICK)
    labels = [e.label for e in at.expander]
    assert "초기화 시점의 층별 활성화 분포(히스토그램)" in labels
    closed = len(specs(at))
    at.session_state["in_act_hist"] = True
    at.run()
    assert not at.exception
    assert len(specs(at)) == closed + 1


def test_the_shared_tabs_draw_only_the_open_one():
    at = open_page("initialization", **QUICK)
    assert sum(played(s) for s in specs(at)) == 1  # the per-layer charts, played
    assert not any(title(s).startswith("Training curves") for s in specs(at))
    at.session_state["init_tab"] = "Training curves"
    at.run()
    assert not at.exception
    assert sum(title(s).startswith("Training curves") for s in specs(at)) == 1
    assert not any(played(s) for s in specs(at))


STEP_NORMS = "Global gradient norm before clipping"


def test_the_clipping_charts_are_tabs_of_the_shared_group_drawn_once_opened():
    """The step norms and the per-epoch charts are tabs beside the per-layer charts: the page
    opens on the per-layer charts only, and each tab draws its own charts once opened."""
    at = open_page("gradient-clipping", **QUICK)
    tr = Text("en")
    first = specs(at)
    assert sum(played(s) for s in first) == 1
    assert not any(title(s).startswith((STEP_NORMS, "Share of steps clipped")) for s in first)
    at.session_state["clip_tab"] = tr("cl_tab_steps")
    at.run()
    assert not at.exception
    assert sum(title(s).startswith(STEP_NORMS) for s in specs(at)) == 1
    assert not any(played(s) for s in specs(at))
    at.session_state["clip_tab"] = tr("cl_tab_epochs")
    at.run()
    shown = [title(s) for s in specs(at)]
    assert sum(t.startswith("Share of steps clipped") for t in shown) == 1
    assert sum(t.startswith("Cosine between the raw and the clipped") for t in shown) == 1


def test_a_lesson_opens_its_page_on_the_tab_its_notice_points_to():
    """The spikes lesson's notice says to watch every step's gradient norm: its link opens the
    clipping page on that tab, not on the per-layer charts."""
    at = open_page("gradient-clipping", lesson="clipping_spikes", ask="0", **QUICK)
    assert not at.exception
    assert at.session_state["clip_tab"] == Text("en")("cl_tab_steps")
    assert sum(title(s).startswith(STEP_NORMS) for s in specs(at)) == 1
    assert not any(played(s) for s in specs(at))


@pytest.mark.parametrize(
    "acts, offered",
    [
        ("sigmoid,tanh,relu", ["ac_tab_saturated", "ac_tab_dead"]),
        ("relu,leaky_relu", ["ac_tab_dead"]),
        ("sigmoid,tanh", ["ac_tab_saturated"]),
    ],
)
def test_the_unit_tabs_offer_the_kinds_the_chosen_activations_can_have(acts, offered):
    """Saturated and dead units are tabs of the shared group, each offered only when a chosen
    activation can have that kind, and drawn once opened: the page opens on one chart."""
    tr = Text("en")
    at = open_page("activations", acts=acts, **QUICK)
    assert not at.exception
    labels = [tab.label for tab in at.tabs]
    units = [key for key in ("ac_tab_saturated", "ac_tab_dead") if tr(key) in labels]
    assert units == offered
    charts = len(specs(at))  # the played per-layer charts and the RMS slope per layer
    assert not any("rect" in json.dumps(s.get("spec", s).get("mark", "")) for s in specs(at))
    at.session_state["act_tab"] = tr(offered[0])
    at.run()
    heatmaps = [s for s in specs(at) if "rect" in json.dumps(s.get("spec", s).get("mark", ""))]
    assert not at.exception and len(heatmaps) == 1 and len(specs(at)) == charts


def test_the_open_tab_stays_open_after_a_change_of_language():
    """Streamlit knows the open tab by its label: after a switch to Korean the page still
    shows the training curves, now under their Korean label, and not the first tab."""
    at = open_page("initialization", **QUICK)
    at.session_state["init_tab"] = Text("en")("tab_curves")
    at.run()
    at.radio(key="lang").set_value("ko").run()
    assert not at.exception
    assert at.session_state["init_tab"] == Text("ko")("tab_curves")
    assert not any(played(s) for s in specs(at))  # the per-layer tab stayed closed
    assert sum(title(s).startswith(Text("ko")("chart_curves")) for s in specs(at)) == 1


@pytest.mark.parametrize("page, key, is_its_chart", EXPANDERS, ids=[e[1] for e in EXPANDERS])
def test_an_open_expander_stays_open_after_a_change_of_language(page, key, is_its_chart):
    """Streamlit knows an expander by its label: after a switch to Korean an open one stays
    open (its chart drawn), and one the visitor then closes stays closed."""
    at = open_page(page, **QUICK)
    at.session_state[key] = True
    at.run()
    at.radio(key="lang").set_value("ko").run()
    assert not at.exception and at.session_state[key]
    assert sum(is_its_chart(s) for s in specs(at)) == 1
    at.session_state[key] = False
    at.run()
    assert not at.session_state[key]
    assert not any(is_its_chart(s) for s in specs(at))


def test_the_batch_norm_charts_are_tabs_and_its_placement_lesson_opens_on_the_curves():
    """Saturation and the training/inference gap are tabs of the shared group; the placement
    lesson, whose question compares the curves, opens on them."""
    at = open_page("batch-normalization", **QUICK)
    tr = Text("en")
    assert not at.exception and sum(played(s) for s in specs(at)) == 1 and len(specs(at)) == 1
    at.session_state["bn_tab"] = tr("bn_tab_gap")
    at.run()
    assert not at.exception and len(specs(at)) == 1 and not played(specs(at)[0])
    lesson = open_page("batch-normalization", lesson="bn_placement", ask="0", **QUICK)
    assert lesson.session_state["bn_tab"] == tr("tab_curves")
    assert [title(s).startswith(tr("chart_curves")) for s in specs(lesson)] == [True]
