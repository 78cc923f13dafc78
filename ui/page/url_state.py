"""Keeps the page URL and the widgets in step: the URL is the experiment.

Each run: :func:`begin_run` first; :func:`bind` before creating a widget whose key is a URL
parameter (it seeds the widget's value from the URL on first sight, after validation); and
:func:`end_run` last, which writes the current values back to the query string (values equal
to their defaults are left out, unknown names dropped) and shows what the link asked for but
did not get.

Widget values are seeded through ``st.session_state`` instead of ``bind="query-params"``
because the URL must hold canonical values (``activation=relu``), not the translated labels a
selectbox shows, and because a teacher's hand-written link deserves a visible note when a
value is out of range instead of a silent reset.
"""

from __future__ import annotations

import urllib.parse

import streamlit as st

from ..text.format import literal, power_of_ten
from ..text.i18n import Text
from ..text.labels import activation_name, init_name
from . import params

_RUN_PARAMS = "_url_params_this_run"
_NOTES = "_url_notes"
_KEPT = "_url_kept_values"
_LINK = "_url_share_link"
_WRITTEN = "_url_written"  # the URL has been written once in this session
_LABELLED = "_url_labelled"  # widget key -> the language its value was last sent labelled in


def begin_run() -> None:
    st.session_state[_RUN_PARAMS] = {}
    st.session_state.setdefault(_NOTES, [])
    st.session_state.setdefault(_KEPT, {})


def _raw(param: params.Param) -> str | None:
    """The link's text for ``param``; None when absent or empty (``?hide=`` asks for nothing)."""
    if param.name not in st.query_params:
        return None
    if param.kind == "choices":  # ?inits=a,b and ?inits=a&inits=b both work
        raw = ",".join(st.query_params.get_all(param.name))
    else:
        raw = st.query_params.get(param.name)
    return raw if raw.strip() else None


def widget_value(param: params.Param, value):
    """A parameter value as its widget holds it (lists for multiselects)."""
    return list(value) if param.kind == "choices" else value


def bind(param: params.Param) -> str:
    """Seed the widget ``param.name`` on first sight and register it for the URL.

    Order of precedence: the URL (validated), then the value this session last had on this
    page, then the default. Returns the widget key.
    """
    st.session_state[_RUN_PARAMS][param.name] = param
    if param.name not in st.session_state:
        raw = _raw(param)
        value, note = params.read(param, raw)
        if raw is None:
            value = st.session_state[_KEPT].get(param.name, value)
        if note is not None:
            st.session_state[_NOTES].append(note)
        st.session_state[param.name] = widget_value(param, value)
    return param.name


def hidden_controls() -> tuple[str, ...]:
    """The parameter names whose controls this link hides (``?hide=depth,lr``)."""
    bind(params.HIDE)
    return value(params.HIDE)


def unavailable(param: params.Param, status: str) -> None:
    """The bound value cannot be had on this server (``status``: ``"missing"``, a data set not
    downloaded here, or ``"corrupt"``, one whose files fail their checksum): note it, like a
    link value not taken, and use the default."""
    raw = str(st.session_state[param.name])
    st.session_state[_NOTES].append(params.Note(param.name, raw, status, param.default))
    st.session_state[param.name] = widget_value(param, param.default)


def clamp(param: params.Param, hi) -> None:
    """Clamp the bound value of ``param`` to ``hi``, a limit known only once the page has
    computed something (the run's last epoch), noting it like a link value out of range."""
    if st.session_state[param.name] > hi:
        raw = str(st.session_state[param.name])
        st.session_state[_NOTES].append(params.Note(param.name, raw, "clamped", hi))
        st.session_state[param.name] = hi


def widget(param: params.Param, make, *args, **kwargs):
    """``make(*args, key=param.name, **kwargs)``, bound to the URL, unless the link hides it
    (a lesson that wants a class to see only what it needs). A hidden control keeps its value.
    Every widget but the language switch is relabelled (:func:`relabel`): harmless for those
    whose value is not a label (a slider's number is sent again once)."""
    key = bind(param)
    if param.name in hidden_controls():
        return st.session_state[key]
    if param is not params.LANG:
        relabel(key)
    return make(*args, key=key, **kwargs)


def relabel(key: str) -> None:
    """Call just before drawing the widget ``key`` whose choices are labelled in the visitor's
    language: when it was last drawn in another language, its value is set again, so that
    Streamlit sends it to the browser once more. The browser holds a select box's or a
    multiselect's choice as its label, and would otherwise go on showing (and sending back)
    the old language's. Kept per widget, not per run: a run that stops early (``st.stop``, or
    a visitor's new click) has drawn some widgets in the new language and not others."""
    lang = st.session_state.get(params.LANG.name)
    sent = st.session_state.setdefault(_LABELLED, {})
    if sent.get(key, lang) != lang and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    sent[key] = lang


def value(param: params.Param):
    """The current value of a bound parameter (tuples for lists)."""
    v = st.session_state[param.name]
    return tuple(v) if param.kind == "choices" else v


def _text(param: params.Param, v) -> str:
    if param.kind == "choices":
        return ",".join(v)
    if param.kind == "float":
        return repr(float(v))
    if param.kind == "bool":
        return "1" if v else "0"
    return str(v)


def query(explicit: bool = False) -> dict[str, str]:
    """The query string of this run's parameters; with ``explicit``, defaults included."""
    out = {}
    for name, param in st.session_state[_RUN_PARAMS].items():
        v = value(param)
        if explicit or v != param.default:
            out[name] = _text(param, v)
    return out


def _current(param: params.Param):
    """The value ``param`` has now: its widget's, else the one last used, else the default."""
    if param.name in st.session_state:
        return value(param)
    return st.session_state[_KEPT].get(param.name, param.default)


def load(config: dict) -> list[params.Note]:
    """Set every setting of ``config`` (name -> value, as in a saved configuration), on this
    page or another (``v3_lr`` too while two variants are shown); call it from a widget
    callback. Returns a note for each value not taken as written: clamped into range, kept at
    its current value (wrong type or invalid, :func:`params.read_loaded`) or unknown. Every
    value is read before any is set."""
    known = {p.name: p for p in (*params.NAMED, params.HIDE)}
    values, notes = {}, []
    for name, raw in config.items():
        param = known.get(name)
        if param is None:
            notes.append(params.Note("", str(name)[: params.NOTE_RAW_LENGTH], "unknown", None))
            continue
        values[param], note = params.read_loaded(param, raw, _current(param))
        if note is not None:
            notes.append(note)
    for param, v in values.items():
        st.session_state[param.name] = widget_value(param, v)
    return notes


#: How the values of a setting are named on the page, by the end of the setting's name (the
#: lab's ``v1_init`` ends as ``init``), so that a note names what the reader sees.
_NAMES = (
    ("dataset", lambda tr, v: tr(f"dss_{v}")),
    ("activation", activation_name),
    ("acts", activation_name),
    ("act_init", lambda tr, v: tr("ac_matching") if v == "matching" else init_name(tr, v)),
    ("init", init_name),
    ("inits", init_name),
    ("optimizer", lambda tr, v: tr(f"opt_{v}")),
    ("clip", lambda tr, v: tr(f"cl_v_{v}")),
    ("clips", lambda tr, v: tr(f"cl_v_{v}")),
    ("batchnorm", lambda tr, v: tr(f"bn_v_{v}")),
    ("bns", lambda tr, v: tr(f"bn_v_{v}")),
)


def namer(name: str):
    """How the values of the setting ``name`` are named on the page, ``f(tr, value)``; None
    when they are written as they are."""
    return next((f for end, f in _NAMES if name == end or name.endswith("_" + end)), None)


def shown_value(name: str, value, tr: Text) -> str:
    """A setting's value as the page names it: a data set, activation or initializer by its
    display name, a number as the page writes numbers (``10⁻⁵``, not ``1e-05``); other values as
    they are."""
    if isinstance(value, tuple):
        return ", ".join(shown_value(name, v, tr) for v in value)
    if isinstance(value, float):
        return power_of_ten(value, 3) if "e" in str(value) else str(value)
    named = namer(name)
    if named is not None and isinstance(value, str):
        try:
            return named(tr, value)
        except KeyError:  # a value without a display name is shown as it is
            return value
    return str(value)


def note_line(note: params.Note, tr: Text) -> str:
    """One note as a sentence (a list item's text); the raw value as literal text, the value
    used as the page names it (:func:`shown_value`)."""
    empty = note.used in ("", None, ())
    used = tr("url_nothing") if empty else shown_value(note.name, note.used, tr)
    if note.action == "unknown":
        return tr("url_unknown", value=literal(note.raw))
    if note.action == "dropped":
        return tr("url_dropped", name=literal(note.name), items=literal(note.raw), used=used)
    return tr(f"url_{note.action}", value=literal(f"{note.name}={note.raw}"), used=used)


def share_link(page_path: str = "") -> str:
    """A link that reproduces this run: the page's address as the browser sees it (so any
    prefix that ``--server.baseUrlPath`` or a proxy adds is kept) and the settings that differ
    from their defaults, empty ones left out. Without a browser (a test client) it is relative
    to the app's root: ``initialization?depth=30``, ``./?lang=ko`` for the default page."""
    wanted = {name: text for name, text in query().items() if text != ""}
    where = st.context.url or page_path or "."
    if not page_path:  # the default page is the app's root: keep its closing slash
        where = where.rstrip("/") + "/"
    return f"{where}?{urllib.parse.urlencode(wanted, safe=',')}" if wanted else where


def share_box(tr: Text):
    """The box for the link to share, at the top of the sidebar (under the page list), so that
    it is seen without scrolling. Until :func:`end_run` writes this run's link it holds the last
    run's, or on a first visit the same button disabled (the link is not known yet), so that
    nothing below it moves while a page computes."""
    box = st.sidebar.empty()
    if _LINK in st.session_state:
        _show_link(box, *st.session_state[_LINK])
    else:
        box.popover(tr("share_label"), icon=":material/link:", width="stretch", disabled=True)
    return box


def _show_link(box, tr: Text, link: str) -> None:
    """The link in a popover, with a copy button: a code box drawn on every page load would
    make the browser load and run its syntax highlighter on every visit, which a popover does
    only when opened."""
    with box.popover(tr("share_label"), icon=":material/link:", width="stretch"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(tr("share_help"))


def end_run(notes_box, share_box, page_path: str, tr: Text) -> None:
    """Write the URL, remember the values, show the link to share, and show the notes on
    links not taken as written.

    The first run of a session always writes the URL: Streamlit ignores a query string of
    more than 1000 parameters as a whole, so the page sees none, yet the address bar would
    keep them all."""
    wanted = query()
    if not st.session_state.get(_WRITTEN) or st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
        st.session_state[_WRITTEN] = True
    for name, param in st.session_state[_RUN_PARAMS].items():
        st.session_state[_KEPT][name] = value(param)
    st.session_state[_LINK] = (tr, share_link(page_path))
    _show_link(share_box, *st.session_state[_LINK])
    notes = st.session_state[_NOTES]
    if notes:
        lines = [tr("url_notes"), *("- " + note_line(n, tr) for n in notes)]
        notes_box.warning("\n".join(lines), icon=":material/link_off:")
        notes_box.button(tr("dismiss"), on_click=notes.clear, key="_dismiss_url_notes")
