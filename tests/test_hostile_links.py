"""Hostile, mistyped and garbage links never break a page: 20+ per page, each read as its page
reads it, and every page run under AppTest with its share of them at once.

Values that cannot be used fall back to defaults or are clamped, and the page says which, as
literal text: no link can put a link, image, heading, HTML or LaTeX into the page.
"""

import re

import pytest
from apptest_helpers import PAGES, markdown_sources, open_page, shared_page, split_code_spans
from hypothesis import given
from hypothesis import strategies as st

from ui.page import params, url_state
from ui.text import format
from ui.text.i18n import Text

#: (query, name of a parameter the page must report) — shared parameters, valid on every page.
SHARED_LINKS = [
    ({"depth": "-3"}, "depth"),
    ({"depth": "1e12"}, "depth"),
    ({"depth": "NaN"}, "depth"),
    ({"width": "0x40"}, "width"),
    ({"width": "9999999999999999999999"}, "width"),
    ({"lr": "inf"}, "lr"),
    ({"lr": "-1"}, "lr"),
    ({"lr": "1e-300"}, "lr"),
    ({"epochs": "2.5"}, "epochs"),
    ({"batch_size": "0"}, "batch_size"),
    ({"seed": "-7"}, "seed"),
    ({"seeds": "99"}, "seeds"),
    ({"dataset": "../../etc/passwd"}, "dataset"),
    ({"dataset": "mnist"}, "dataset"),
    ({"optimizer": "rmsprop"}, "optimizer"),
    ({"lang": "<script>alert(1)</script>"}, "lang"),
    ({"lang": "fr"}, "lang"),
    ({"lesson": "{{7*7}}"}, "lesson"),
    ({"hide": "__proto__"}, "hide"),
    ({"depth": "`rm -rf /`"}, "depth"),
    ({"width": "%00"}, "width"),
    ({"seed": "x" * 5000}, "seed"),
]

PAGE_LINKS = {
    "overview": [],
    "initialization": [
        ({"inits": "he_normal,DROP TABLE"}, "inits"),
        ({"inits": ",,,"}, "inits"),
        ({"init_std": "0"}, "init_std"),
        ({"activation": "relu6"}, "activation"),
        ({"normal": "maybe"}, "normal"),
        ({"init_value": "1e9"}, "init_value"),
        ({"lesson": "symmetry", "ask": "perhaps"}, "ask"),
    ],
    "activations": [
        ({"acts": "relu,relu,relu,softmax"}, "acts"),
        ({"leaky_alpha": "-0.5"}, "leaky_alpha"),
        ({"elu_alpha": "1e999"}, "elu_alpha"),
        ({"act_init": "he"}, "act_init"),
        ({"selu": "2"}, "selu"),
    ],
    "batch-normalization": [
        ({"bns": "middle"}, "bns"),
        ({"bn_convention": "caffe"}, "bn_convention"),
        ({"grid": "yes please"}, "grid"),
        ({"bn_init": "xavier"}, "bn_init"),
        ({"sweep": "-1"}, "sweep"),
        ({"bn_inputs": "<b>maybe</b>"}, "bn_inputs"),
        ({"bn_inputs": "2"}, "bn_inputs"),
    ],
    "lab": [
        ({"variants": "7"}, "variants"),
        ({"v1_activation": "softplus"}, "v1_activation"),
        ({"v2_lr": "1e99"}, "v2_lr"),
        ({"v1_batchnorm": "sideways"}, "v1_batchnorm"),
        ({"v2_clip": "global"}, "v2_clip"),
    ],
    "gradient-clipping": [
        ({"clips": "max"}, "clips"),
        ({"clip_threshold": "-1"}, "clip_threshold"),
        ({"gx": "1e9"}, "gx"),
        ({"gy": "nan"}, "gy"),
        ({"clip_init_std": "0"}, "clip_init_std"),
    ],
}
#: Each page is run with several of the values above at once (one per parameter, on top of a
#: small network): every shared value on one page, each page's own values on their page. The
#: values that make the most work (depth 100, width 512, 5 seeds, batch size 1) go where it is
#: least: the overview only measures its networks (epochs=0).
ON_PAGE = {
    "overview": {
        "depth": "1e12",
        "lr": "-1",
        "batch_size": "0",
        "seeds": "99",
        "lang": "<script>alert(1)</script>",
        "hide": "__proto__",
    },
    "initialization": {
        "depth": "-3",
        "width": "9999999999999999999999",
        "seed": "-7",
        "dataset": "../../etc/passwd",
    },
    "activations": {
        "depth": "NaN",
        "lr": "1e-300",
        "dataset": "mnist",
        "lang": "fr",
        "seed": "x" * 5000,
    },
    "batch-normalization": {
        "width": "0x40",
        "lr": "inf",
        "optimizer": "rmsprop",
        "lesson": "{{7*7}}",
    },
    "gradient-clipping": {"depth": "`rm -rf /`", "epochs": "2.5"},
    "lab": {"width": "%00"},
}
SMALL = {"depth": "3", "width": "8", "epochs": "1"}  # keep the runs quick


def valid(param: params.Param, value) -> bool:
    """Whether ``value`` is one that ``param``'s widget can hold."""
    if param.kind in ("int", "float"):
        return param.lo <= value <= param.hi and (param.kind == "float" or type(value) is int)
    if param.kind == "bool":
        return isinstance(value, bool)
    if param.kind == "choices":
        return set(value) <= set(param.choices) and len(value) <= param.max_items
    return value in param.choices


def assert_noted(notes: str, name: str) -> None:
    """The notes name the parameter in a code span; a raw value is never shown as markup."""
    assert re.search(f"`+ ?{name}[=`]", notes), (name, notes)
    outside_code, _ = split_code_spans(notes)
    assert "<" not in outside_code, notes


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_hostile_value_is_read_into_a_valid_value_and_a_literal_note(page, lang):
    """Every value above, on every page, through what reads it there: the page binds the
    parameter on its first run (url_state.bind, which reads the link with params.read and
    keeps the note that url_state.end_run shows), the value read is one the widget can hold,
    and the note names the parameter with the raw value as literal text. The page runs with
    these values are test_hostile_values_leave_a_page_working_and_noted."""
    bound = shared_page(page).session_state["_url_params_this_run"]  # the page's defaults
    tr = Text(lang)
    for query, name in SHARED_LINKS + PAGE_LINKS[page]:
        assert name in bound, (page, name)
        value, note = params.read(bound[name], query[name])
        assert valid(bound[name], value), (page, query, value)
        assert note is not None and note.name == name and note.used == value, (page, query)
        assert_noted(url_state.note_line(note, tr), name)


def test_every_hostile_value_is_run_on_a_page():
    """ON_PAGE holds each shared value once, on a page that reads it."""
    ran = [(name, raw) for values in ON_PAGE.values() for name, raw in values.items()]
    assert sorted(ran) == sorted((name, q[name]) for q, name in SHARED_LINKS)


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_values_leave_a_page_working_and_noted(page):
    """A page run with its share of the shared values and the first of its own for each
    parameter: no exception, and a note for every value it could not take."""
    own, noted = {}, list(ON_PAGE[page])
    for query, name in PAGE_LINKS[page]:
        if all(own.setdefault(key, value) == value for key, value in query.items()):
            noted.append(name)
    at = open_page(page, **(SMALL | ON_PAGE[page] | own))
    assert not at.exception, [e.value for e in at.exception]
    notes = " ".join(w.value for w in at.warning)
    for name in noted:
        assert_noted(notes, name)


#: Markdown and HTML a link might carry, each aimed at a different way out of literal text.
PAYLOADS = {
    "phishing": "\n\n[Sign in again](https://evil.example/a)\n\n# Heading",
    "pixel": "![x](https://evil.example/p.png)<img src=x>",
    "escape": "`` ` </code>$$\\frac{1}{0}$$\u202e\x00 **bold**",
    "autolink": "www.evil.example a@evil.example :red[x]",
    "controls": "\r\x1b[31m\t|\u2028[y](https://evil.example/c)",
}
#: Text of the payloads that must never reach the page outside a code span.
FRAGMENTS = ("evil", "Sign in", "Heading", "frac{1}{0}", "bold", ":red", "</code>", "<img")


def assert_no_markup(source: str) -> None:
    """Every payload fragment in ``source`` lies inside a one-line code span, and nothing
    outside code spans would render as a link (other than the app's own, to its pages), an
    image, a heading, HTML or LaTeX. Inside a code span nothing is parsed; backslash escapes
    would not do (Streamlit's Markdown finds www. and https:// autolinks after escapes are
    undone, as a browser showed)."""
    outside, spans = split_code_spans(source)
    for fragment in FRAGMENTS:
        assert fragment not in outside, source
    assert not any("\n" in span or "\r" in span for span in spans), source
    for markup in ("![", "<a ", "<script", "$$", "\u202e", "\x00", "\x1b"):
        assert markup not in outside, source
    # the app's own links are relative page paths (page?... or ?...), never another site's
    assert not re.search(r"\]\((?![a-z-]*\?)", outside), source
    assert not re.search(r"(^|\n)\s*#", outside), source


@given(st.text(max_size=200))
def test_literal_text_is_one_code_span_whatever_it_holds(text):
    outside, spans = split_code_spans(f"x {format.literal(text)} y")
    assert outside == "x  y" and len(spans) == 1
    assert len(spans[0].strip(" ")) <= format.LITERAL_LENGTH
    assert not any(ch.isspace() and ch != " " for ch in spans[0])


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_every_note_shows_a_payload_as_literal_text(payload, lang):
    tr = Text(lang)
    for action in ("clamped", "ignored", "dropped", "missing", "corrupt", "kept", "wrong_type"):
        for name in ("depth", "hide", "v4_clip_threshold"):
            assert_no_markup(url_state.note_line(params.Note(name, payload, action, 3), tr))
    assert_no_markup(url_state.note_line(params.Note("", payload, "unknown", None), tr))


@pytest.mark.parametrize("payload", list(PAYLOADS.values())[:3], ids=list(PAYLOADS)[:3])
def test_no_link_puts_markup_into_any_page(payload):
    """The payload in every parameter at once (but the network's size, kept tiny so that the
    pages train almost nothing), on every page in turn: each parameter a page reads gets a
    note, and the payload is shown only as literal text."""
    size = {"depth": "1", "width": "2", "epochs": "1"}
    query = {p.name: payload for p in (*params.NAMED, params.HIDE)} | size
    at = open_page("overview", **query)
    for page in PAGES:
        if page != "overview":
            for key, value in query.items():
                at.query_params[key] = value
            at.switch_page(PAGES[page]).run()
        assert not at.exception, [e.value for e in at.exception]
        for source in markdown_sources(at):
            assert_no_markup(source)
        notes = " ".join(w.value for w in at.warning)
        for name in at.session_state["_url_params_this_run"].keys() - size.keys():
            assert re.search(f"`+ ?{name}[=`]", notes), (page, name)
    assert set(at.query_params) <= {p.name for p in params.NAMED}


@pytest.mark.parametrize("payload", list(PAYLOADS.values())[:3], ids=list(PAYLOADS)[:3])
def test_the_size_parameters_show_a_payload_as_literal_text(payload):
    """Depth and epochs (width takes the same path: :func:`url_state.note_line`)."""
    at = open_page("overview", depth=payload, width="2", epochs=payload)  # 10 layers of 2 units
    assert not at.exception
    for source in markdown_sources(at):
        assert_no_markup(source)
    notes = " ".join(w.value for w in at.warning)
    assert re.search("`+ ?depth=", notes) and re.search("`+ ?epochs=", notes)


def test_empty_values_make_no_note():
    at = open_page("overview", hide="", depth="", lr="", lesson="", epochs="1", width="8")
    assert not at.exception
    assert not at.warning  # no "default **** was used"
    assert at.sidebar.slider(key="depth").value == params.DEPTH.default


def test_a_long_hide_list_keeps_its_valid_names_and_notes_the_others():
    names = [p.name for p in params.SHARED if p.name != "lang"]
    hide = ",".join(names + ["__proto__", "<b>x</b>"] + ["depth"] * 50)
    at = open_page("overview", hide=hide, depth="2", width="8", epochs="1")
    assert not at.exception
    assert len(hide) > 4 * params.MAX_RAW_LENGTH
    assert not at.sidebar.slider  # depth, width, epochs, seeds: all hidden
    notes = " ".join(w.value for w in at.warning)
    assert "`hide`" in notes and "`__proto__,<b>x</b>`" in notes
    assert at.query_params["hide"] == ",".join(names)


def test_unknown_parameters_leave_the_link():
    junk = {f"junk{i}": "x" for i in range(990)}
    at = open_page("overview", depth="2", width="8", epochs="1", **junk)
    assert not at.exception
    assert dict(at.query_params) == {"depth": "2", "width": "8", "epochs": "1"}
    assert not at.warning  # unknown names are dropped without a note


def test_a_link_of_more_than_a_thousand_parameters_is_cleaned_too():
    """Streamlit ignores such a query string as a whole (the page sees no parameter), so the
    URL equals what the page wants; it is written anyway on a session's first run."""
    junk = {f"junk{i}": "x" for i in range(1005)}
    at = open_page("overview", depth="2", width="8", epochs="1", **junk)
    assert not at.exception
    assert dict(at.query_params) == {}


def test_a_corrupted_fashion_mnist_cache_is_not_offered(monkeypatch, tmp_path):
    """Files that exist but fail their SHA-256 check: a note that says so, never an error box,
    on the pages that read the data set themselves."""
    from test_fashion_mnist import write_look_alikes

    from core import fashion_mnist

    cache = tmp_path / "fashion-mnist"
    cache.mkdir()
    files, _ = write_look_alikes(cache, 20, 10)
    (cache / files["train_labels"][0]).write_bytes(b"\x1f\x8b damaged")
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path))
    monkeypatch.setattr(fashion_mnist, "FILES", files)
    small = {"depth": "2", "width": "8", "epochs": "1", "dataset": "fashion_mnist"}
    for page in ("overview", "initialization", "lab"):
        at = open_page(page, **small)
        assert not at.exception and not at.error, page
        assert at.sidebar.selectbox(key="dataset").value == "digits"
        assert not any("fashion" in o for o in at.sidebar.selectbox(key="dataset").options)
        notes = " ".join(w.value for w in at.warning)
        assert "`dataset=fashion_mnist`" in notes and "SHA-256" in notes, notes
