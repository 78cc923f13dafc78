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

from . import params
from .i18n import Text

_RUN_PARAMS = "_url_params_this_run"
_NOTES = "_url_notes"
_KEPT = "_url_kept_values"
_LINK = "_url_share_link"


def begin_run() -> None:
    st.session_state[_RUN_PARAMS] = {}
    st.session_state.setdefault(_NOTES, [])
    st.session_state.setdefault(_KEPT, {})


def _raw(param: params.Param) -> str | None:
    if param.name not in st.query_params:
        return None
    if param.kind == "choices":  # ?inits=a,b and ?inits=a&inits=b both work
        return ",".join(st.query_params.get_all(param.name))
    return st.query_params.get(param.name)


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


def unavailable(param: params.Param) -> None:
    """The bound value cannot be had on this server (a data set not downloaded here): note
    it, like a link value not taken, and use the default."""
    raw = str(st.session_state[param.name])
    st.session_state[_NOTES].append(params.Note(param.name, raw, "unavailable", param.default))
    st.session_state[param.name] = widget_value(param, param.default)


def widget(param: params.Param, make, *args, **kwargs):
    """``make(*args, key=param.name, **kwargs)``, bound to the URL, unless the link hides it
    (a lesson that wants a class to see only what it needs). A hidden control keeps its value."""
    key = bind(param)
    if param.name in hidden_controls():
        return st.session_state[key]
    return make(*args, key=key, **kwargs)


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


def apply(query: dict) -> None:
    """Set every parameter of ``query`` (name -> text, as in a link or a saved configuration)
    that this page knows, validated like a link; call it from a widget callback."""
    known = st.session_state[_RUN_PARAMS] | {p.name: p for p in params.SHARED}
    for name, raw in query.items():
        if name in known:
            v, note = params.read(known[name], str(raw))
            st.session_state[name] = widget_value(known[name], v)
            if note is not None:
                st.session_state[_NOTES].append(note)


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


def share_box():
    """The box for the link to share, at the top of the sidebar (under the page list), so that
    it is seen without scrolling. It holds the last run's link until :func:`end_run` writes this
    run's, so that the controls below it do not jump while a page computes."""
    box = st.sidebar.empty()
    if _LINK in st.session_state:
        _show_link(box, *st.session_state[_LINK])
    return box


def _show_link(box, tr: Text, link: str) -> None:
    with box.container():
        st.caption(f":material/link: {tr('share_label')}", help=tr("share_help"))
        st.code(link, language=None, wrap_lines=True)


def end_run(notes_box, share_box, page_path: str, tr: Text) -> None:
    """Write the URL, remember the values, show the link to share, and show the notes on
    links not taken as written."""
    wanted = query()
    if dict(st.query_params.to_dict()) != wanted:
        st.query_params.from_dict(wanted)
    for name, param in st.session_state[_RUN_PARAMS].items():
        st.session_state[_KEPT][name] = value(param)
    st.session_state[_LINK] = (tr, share_link(page_path))
    _show_link(share_box, *st.session_state[_LINK])
    notes = st.session_state[_NOTES]
    if notes:
        lines = [tr("url_notes")]
        for n in notes:
            key = f"url_{n.action}"  # url_clamped, url_ignored, url_unavailable
            used = ",".join(n.used) if isinstance(n.used, tuple) else n.used
            raw = n.raw.replace("`", "'")  # shown inside a code span: keep it there
            lines.append("- " + tr(key, name=n.name, raw=raw, used=used))
        notes_box.warning("\n".join(lines), icon="🔗")
        notes_box.button(tr("dismiss"), on_click=notes.clear, key="_dismiss_url_notes")
