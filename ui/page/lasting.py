"""Tabs and expanders that stay as the visitor left them when their labels change.

Streamlit knows a keyed tab set or expander by its labels: after a change of language (or of a
number in a label) it is a new widget, and the first tab or a closed expander is shown again.
These remember, beside Streamlit's own state, which tab was open (by catalogue key) and whether
the expander was open under which label, and carry that over to the relabelled widget. Both
rerun the page when opened, so that a page computes and draws only what is open (``.open``).
"""

from __future__ import annotations

import streamlit as st

from ..text.i18n import Text


def tabs(tr: Text, names: list[str], key: str, default: str | None = None) -> list:
    """``st.tabs`` labelled ``tr(name)`` for the catalogue keys ``names`` (``default``: the one
    open at first). After a change of language the same tab stays open. (Back on the page from
    another, Streamlit has forgotten the tab, and the page opens on ``default`` or the first.)"""
    labels = [tr(name) for name in names]
    opened = f"_{key}_opened"  # the catalogue key of the tab open in the last run
    held = st.session_state.get(key)  # the label of the tab open in the last run, if any
    if held is not None and held not in labels and st.session_state.get(opened) in names:
        st.session_state[key] = labels[names.index(st.session_state[opened])]
    chosen = {} if default is None else {"default": tr(default)}
    containers = st.tabs(labels, key=key, on_change="rerun", **chosen)
    st.session_state[opened] = names[labels.index(st.session_state[key])]
    return containers


def expander(label: str, key: str, **kwargs):
    """``st.expander(label, key=key)``, still open after its label changed if it was open under
    the last one. ``kwargs`` go to ``st.expander`` (e.g. ``icon``)."""
    shown = f"_{key}_shown"  # (the label of the last run, whether it was open)
    last_label, was_open = st.session_state.get(shown, (label, False))
    if last_label != label and was_open:
        st.session_state[key] = True
    box = st.expander(label, key=key, on_change="rerun", **kwargs)
    st.session_state[shown] = (label, box.open)
    return box
