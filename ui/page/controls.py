"""A parameter draws its own control: ``controls.slider(params.DEPTH, where, tr)``.

Each function takes the :class:`~ui.page.params.Param`, where to draw (``st``, a column, the
sidebar) and the interface text ``tr``, and derives the rest from the parameter:

- the label: the catalogue entry named ``label`` (default: the parameter's name, as for the
  shared settings), except the language switch, which names each language in itself;
- bounds from ``lo``/``hi``, a slider's ``step``, a select slider's ``steps``, the choices;
- how options are named (:func:`option_names`): ``relu`` shows as ReLU, ``sgd`` as SGD;
- the format: floats in number boxes to four significant digits (``%.4g``), learning rates as
  plain decimals (``0.00001``, never ``1e-05``);
- a multiselect's limit (``max_items``), given only when it can bind;
- with ``used=False``, a control that changes nothing now: disabled, its help (the catalogue's
  ``unused_<name>``) saying what would use it.

Every control goes through :func:`url_state.widget`: bound to the link, left out when the link
hides it (``hide=``; it keeps its value), relabelled when the language changes. Any other
keyword (``help=``, ``horizontal=``, ``format_func=``, ``options=``) is passed to Streamlit as
it is, and wins over the derived one.
"""

from __future__ import annotations

from collections.abc import Callable

from ..text.format import decimal
from ..text.i18n import Text
from . import params, url_state

#: The languages, each by its own name: the switch reads the same in either language.
LANG_NAMES = {"en": "English", "ko": "한국어"}

#: How a control names its options where that differs from how a link's note names the value
#: (:func:`url_state.namer`): a select box has room for a data set's long name, and a note
#: writes these others as the link does.
_OPTION_NAMES = {
    params.LANG.name: lambda tr, v: LANG_NAMES[v],
    params.DATASET.name: lambda tr, v: tr(f"ds_{v}"),
    params.NORMAL.name: lambda tr, v: tr(f"in_{v}"),
    params.BN_CONVENTION.name: lambda tr, v: tr(f"bn_{v}"),
}


def option_names(param: params.Param, tr: Text) -> Callable[[str], str] | None:
    """The ``format_func`` naming ``param``'s choices in the interface language; None when
    they are shown as they are."""
    namer = _OPTION_NAMES.get(param.name) or url_state.namer(param.name)
    return None if namer is None else (lambda v: namer(tr, v))


def _named(param: params.Param, tr: Text) -> dict:
    names = option_names(param, tr)
    return {} if names is None else {"format_func": names}


def _label(param: params.Param, tr: Text, key: str | None) -> str:
    """The control's label: the catalogue's ``key`` (default: the parameter's name)."""
    if param is params.LANG:
        return " / ".join(LANG_NAMES.values())
    return tr(key or param.name)


def with_value(options: tuple, value) -> list:
    """A select slider's options, plus the value when a link names one between the steps."""
    return sorted(set(options) | {value})


def _draw(kind: str, param, where, tr, label, args=(), used=True, derived=None, **kwargs):
    """``where.<kind>(label, *args, **derived, **kwargs)`` through :func:`url_state.widget`."""
    derived = dict(derived or {})
    if not used:
        derived.update(disabled=True, help=tr("unused_" + param.name))
    make, label = getattr(where, kind), _label(param, tr, label)
    return url_state.widget(param, make, label, *args, **{**derived, **kwargs})


def _takes(param: params.Param, *kinds: str) -> None:
    if param.kind not in kinds:
        raise ValueError(
            f"{param.name} holds a {param.kind}; this control takes {' or '.join(kinds)}"
        )


def slider(param: params.Param, where, tr: Text, label: str | None = None, *, used=True, **kwargs):
    """A slider from ``lo`` to ``hi`` in steps of ``param.step`` (Streamlit's when None: 1 for
    whole numbers, 0.01 otherwise)."""
    _takes(param, "int", "float")
    derived = {} if param.step is None else {"step": param.step}
    return _draw("slider", param, where, tr, label, (param.lo, param.hi), used, derived, **kwargs)


def select_slider(
    param: params.Param, where, tr: Text, label: str | None = None, *, used=True, **kwargs
):
    """A slider over ``param.steps`` (the value added when a link names one between them);
    floats labelled as plain decimals, the learning rate's ``0.00001`` not ``1e-05``."""
    _takes(param, "int", "float")
    if not param.steps:
        raise ValueError(f"{param.name} has no steps: use slider or number_input")
    url_state.bind(param)  # the value, to offer it when it lies between the steps
    options = with_value(param.steps, url_state.value(param))
    derived = {"format_func": decimal} if param.kind == "float" else {}
    return _draw("select_slider", param, where, tr, label, (options,), used, derived, **kwargs)


def number_input(
    param: params.Param, where, tr: Text, label: str | None = None, *, used=True, **kwargs
):
    """A number box from ``lo`` to ``hi``: whole numbers step by 1, floats show four
    significant digits (``0.0001``, ``1e+04``)."""
    _takes(param, "int", "float")
    derived = {"step": 1} if param.kind == "int" else {"format": "%.4g"}
    args = (param.lo, param.hi)
    return _draw("number_input", param, where, tr, label, args, used, derived, **kwargs)


def selectbox(
    param: params.Param, where, tr: Text, label: str | None = None, *, used=True, **kwargs
):
    """A select box of ``param.choices`` (or ``options=``), each named in ``tr``'s language."""
    return _choice("selectbox", param, where, tr, label, used, **kwargs)


def radio(param: params.Param, where, tr: Text, label: str | None = None, *, used=True, **kwargs):
    """Radio buttons of ``param.choices``, each named in ``tr``'s language."""
    return _choice("radio", param, where, tr, label, used, **kwargs)


def _choice(kind, param, where, tr, label, used, options=None, **kwargs):
    _takes(param, "choice")
    options = param.choices if options is None else options
    derived = _named(param, tr)
    return _draw(kind, param, where, tr, label, (options,), used, derived, **kwargs)


def multiselect(
    param: params.Param, where, tr: Text, label: str | None = None, *, used=True, **kwargs
):
    """A multiselect of ``param.choices``, named in ``tr``'s language; at most
    ``param.max_items`` chosen (no limit given when there are no more choices than that).
    Without Streamlit's "Select all" row: a handful of choices needs none, and its label
    would stay English on a Korean page."""
    _takes(param, "choices")
    derived = {**_named(param, tr), "select_all": False}
    if param.max_items < len(param.choices):
        derived["max_selections"] = param.max_items
    return _draw("multiselect", param, where, tr, label, (param.choices,), used, derived, **kwargs)


def toggle(param: params.Param, where, tr: Text, label: str | None = None, *, used=True, **kwargs):
    """A toggle (on or off) for a yes-or-no parameter."""
    _takes(param, "bool")
    return _draw("toggle", param, where, tr, label, (), used, **kwargs)
