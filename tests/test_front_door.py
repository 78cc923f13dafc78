"""The front door: the landing page's ways in, the lesson plan, the shared settings folded into
their summary, and no control on screen that changes nothing."""

import hashlib
import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import vega_lite
from apptest_helpers import PAGES, open_page

from ui.page import params, shell
from ui.story import lessons
from ui.text.i18n import Text

#: A network small enough that every setting below can be changed and trained again quickly.
SMALL = {"depth": "2", "width": "8", "epochs": "1", "batch_size": "64"}


def page_links(at) -> list[str]:
    """The pages the page links of the main area point to (their url paths)."""
    return [el.proto.page for el in at.main.get("page_link")]


def link_buttons(root) -> list[tuple[str, str]]:
    return [(el.proto.label, el.proto.url) for el in root.get("link_button")]


def result(at) -> str:
    """A digest of everything the main area shows: texts, tables and chart specs (data
    included)."""
    protos = "".join(str(node.proto) for node in at.main if getattr(node, "proto", None))
    return hashlib.sha256(protos.encode()).hexdigest()


def test_the_landing_page_names_the_app_and_shows_the_ways_in():
    at = open_page("overview", settings_open=False)
    assert not at.exception
    assert at.title[0].value == "Gradient Lab"
    links = page_links(at)
    assert links[:3] == ["lessons", "initialization", "lab"], "start here: plan, first page, Lab"
    fixes = ["initialization", "activations", "batch-normalization", "gradient-clipping"]
    assert links[3:] == fixes, "what fixes it: a link to each technique's page"
    first = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "‖∂L/∂z‖" in str(first["title"]), "the first chart: the back-propagated gradient"


def test_the_shared_settings_start_folded_into_their_summary():
    at = open_page("initialization", settings_open=False, depth="6", width="32", seed="3")
    assert not at.exception
    assert not at.sidebar.slider and not at.sidebar.selectbox  # nothing drawn until opened
    (section,) = at.sidebar.expander
    assert section.label.replace(shell.NBSP, " ") == (
        "digits · 6 layers × 32 units · SGD 0.01 · batch 32 · 5 epochs · seed 3"
    )
    assert dict(at.query_params) == {"depth": "6", "width": "32", "seed": "3"}
    at.session_state[shell.SECTION] = True  # the visitor opens it
    at.run()
    assert at.sidebar.slider(key="depth").value == 6
    assert at.sidebar.number_input(key="seed").value == 3


def test_the_summary_names_only_what_the_page_uses():
    values = {p.name: p.default for p in params.SHARED} | {"seed": 4, "seeds": 3}
    en, ko = Text("en"), Text("ko")

    def line(page, tr):  # items break only between one another
        text = shell.summary(values, shell.used(page), tr)
        assert " " not in text.replace(" · ", "")
        return text.replace(shell.NBSP, " ")

    assert line("", en) == "digits · 10 layers × 100 units · seeds 4–6"
    assert line("lab", ko) == "손글씨 숫자 · 10층 × 유닛 100개 · 배치 32 · 5 에포크 · 시드 4–6"
    assert line("initialization", en) == (
        "digits · 10 layers × 100 units · SGD 0.01 · batch 32 · 5 epochs · seeds 4–6"
    )
    assert shell.used("lessons") == ()


def test_the_overview_ignores_the_training_settings_it_hides():
    """What the overview hides could not change it: it measures networks at initialization."""
    plain = open_page("overview", settings_open=False, **{"depth": "3", "width": "8"})
    trained = open_page(
        "overview",
        settings_open=False,
        depth="3",
        width="8",
        epochs="50",
        lr="1.0",
        optimizer="adam",
        batch_size="8",
    )
    assert result(plain) == result(trained)
    assert dict(trained.query_params)["optimizer"] == "adam"  # still part of the link


#: A different valid value for each shared setting, from its current one.
NEXT = {
    "dataset": lambda v: "moons" if v != "moons" else "digits",
    "depth": lambda v: v + 1,
    "width": lambda v: v + 1,
    "optimizer": lambda v: "adam" if v != "adam" else "sgd",
    "lr": lambda v: 0.1 if v != 0.1 else 0.01,
    "batch_size": lambda v: 32 if v != 32 else 64,
    "epochs": lambda v: v + 1,
    "seed": lambda v: v + 1,
    "seeds": lambda v: v + 1,
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_shared_setting_on_screen_changes_the_page(page):
    at = open_page(page, **SMALL)
    assert not at.exception
    shown = [w for w in at.sidebar if getattr(w, "key", None) in NEXT]
    assert {w.key for w in shown} == {
        p.name for p in shell.used("" if page == "overview" else page)
    }
    for widget in shown:
        before = result(at)
        widget.set_value(NEXT[widget.key](widget.value)).run()
        assert not at.exception, widget.key
        assert result(at) != before, f"{widget.key} changed nothing on {page}"


def test_the_lesson_plan_links_every_lesson_in_order():
    at = open_page("lessons", lang="ko")
    assert not at.exception
    assert not at.sidebar.expander, "no shared setting changes the lesson plan"
    buttons = link_buttons(at.main)
    assert len(buttons) == 2 * len(lessons.LESSONS)
    for lesson, (ask_first, at_once) in zip(lessons.LESSONS, zip(buttons[::2], buttons[1::2])):
        for (_, url), ask in ((ask_first, None), (at_once, "0")):
            path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
            assert path == lesson.page and query["lesson"] == lesson.name
            assert query["lang"] == "ko" and query.get("ask") == ask
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    for lesson in lessons.LESSONS:
        asked = len(lesson.questions)
        assert f"질문 {asked}개 · {lesson.minutes}분" in text
    core = 5 + sum(lesson.minutes for lesson in lessons.LESSONS if lesson.core)
    assert 45 <= core <= 65 and f"약 {core}분" in text, "the core lessons fit an hour"


def test_the_links_reference_lists_every_lesson_as_published():
    """docs/links.md's table of lessons says what each lesson's link sets."""
    from conftest import ROOT

    rows = re.findall(
        r"^\| `(\w+)` \| ([\w-]+) \| `([^`]*)` \|$", (ROOT / "docs/links.md").read_text(), re.M
    )
    assert {name: (page, query) for name, page, query in rows} == {
        lesson.name: (lesson.page, urlencode(dict(lesson.query), safe=","))
        for lesson in lessons.LESSONS
    }


PAGE_PARAMS = {p.name: p for p in params.PAGE}


def another(param: params.Param, value):
    """A different valid value for ``param`` than ``value``."""
    if param.kind == "choices":
        value = list(value)
        if len(value) > 1:
            return value[:-1]
        return value + [next(c for c in param.choices if c not in value)]
    if param.kind == "choice":
        return next(c for c in param.choices if c != value)
    if param.kind == "bool":
        return not value
    far = param.hi if value != param.hi else param.lo
    return type(value)(far) if param.kind == "float" else int(far)


@pytest.mark.parametrize("page", [p for p in PAGES if p != "overview"])
def test_every_page_control_changes_the_page_or_says_why_it_cannot(page):
    """Each control of the page's own settings, at its defaults: enabled, a new value changes
    what the page shows; disabled (its setting cannot matter for the variants chosen), it says
    why in its help."""
    at = open_page(page, **SMALL)
    if page == "lab":  # its files opened: the configuration to download holds every setting
        at.session_state["lab_files"] = True
        at.run()
    widgets = [
        w
        for kind in ("slider", "select_slider", "selectbox", "multiselect", "number_input")
        + ("radio", "toggle", "checkbox")
        for w in getattr(at.main, kind)
        if w.key in PAGE_PARAMS and w.key != params.EPOCH.name
    ]
    assert widgets
    for key in [w.key for w in widgets]:
        widget = next(w for w in at.main if getattr(w, "key", None) == key)
        if widget.disabled:
            assert widget.help, f"{key} on {page} is disabled without a reason"
            continue
        before = result(at)
        widget.set_value(another(PAGE_PARAMS[key], widget.value)).run()
        assert not at.exception, (page, key)
        assert result(at) != before, f"{key} changed nothing on {page}"


def test_an_activations_alpha_is_offered_where_it_changes_something():
    """The slope of leaky ReLU and the level of ELU are set beside the initializer only while
    that activation is compared or the gallery (which draws them) is open; a hidden one keeps
    the value its link gave."""
    sliders = {"leaky_alpha", "elu_alpha"}
    at = open_page("activations", **SMALL, leaky_alpha="0.3")
    assert {s.key for s in at.main.slider} & sliders == {"elu_alpha"}  # the default: no leaky
    assert at.query_params["leaky_alpha"] in ("0.3", ["0.3"])
    at.multiselect(key="acts").set_value(["relu", "leaky_relu"]).run()
    assert {s.key for s in at.main.slider} & sliders == {"leaky_alpha"}
    assert at.slider(key="leaky_alpha").value == 0.3
    at.session_state["ac_gallery"] = True
    at.run()
    assert {s.key for s in at.main.slider} & sliders == sliders


def test_the_clipping_geometry_is_drawn_once_opened_or_when_a_link_sets_a_gradient():
    """The 2-D explorer (two sliders, a chart, a sentence) waits folded until opened, with the
    threshold set beside the comparison it also changes; a link that sets the gradient opens
    it, and the gradient stays in the link while it is folded."""
    at = open_page("gradient-clipping", **SMALL)
    assert not at.main.slider
    assert at.number_input(key="clip_threshold").value == params.CLIP_THRESHOLD.default
    at.session_state["cl_geometry"] = True
    at.run()
    assert [s.key for s in at.main.slider] == ["gx", "gy"]
    at.number_input(key="clip_threshold").set_value(50.0).run()  # above |g₁|: only g₂ is cut
    said = " ".join(m.value for m in at.main.markdown)
    assert "(0.9, 100) → (0.9, 50)" in said

    at = open_page("gradient-clipping", **SMALL, gx="5")
    assert at.slider(key="gx").value == 5.0
    at.session_state["cl_geometry"] = False
    at.run()
    assert not at.main.slider
    assert at.query_params["gx"] in ("5.0", ["5.0"])


def variant_colours(at) -> dict[str, str]:
    """Each variant's colour in the main area's charts: ``{label: colour}``."""
    colours = {}
    for chart in at.main.get("vega_lite_chart"):
        for _, encoding in vega_lite.marks_of(json.loads(chart.proto.spec)):
            colour = encoding.get("color", {})
            scale = colour.get("scale", {}) if colour.get("field") == "variant" else {}
            if isinstance(scale.get("domain"), list) and isinstance(scale.get("range"), list):
                colours.update(zip(scale["domain"], scale["range"]))
    return colours


@pytest.mark.parametrize(
    "page,param,shown",
    [
        ("batch-normalization", "bns", "before,after"),
        ("gradient-clipping", "clips", "norm,global_norm"),
        ("activations", "acts", "relu,selu"),
        ("initialization", "inits", "he_normal,lecun_normal"),
    ],
)
def test_a_variant_keeps_its_colour_whichever_others_a_link_shows(page, param, shown):
    """A lesson showing two of a page's variants draws each in the colour the page gives it
    by default, so a class that moves between the two sees one colour per variant."""
    full = variant_colours(open_page(page, **SMALL))
    part = variant_colours(open_page(page, **SMALL, **{param: shown}))
    assert len(part) == 2 and set(part) <= set(full), (part, full)
    assert all(part[label] == full[label] for label in part), (part, full)
