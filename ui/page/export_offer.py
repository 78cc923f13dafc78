"""The export offer under a comparison: one variant as a PyTorch or Keras script, or a notebook,
that reproduces the app's numbers (:mod:`core.export`).

A page calls ``export_offer.offer(view)`` once, near its bottom. Nothing is generated while the
page draws: the download buttons hold callables that build the file when clicked (Streamlit's
deferred downloads), and the code is shown only when asked for.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, replace

import streamlit as st

from core import Variant, datasets, export

from ..story.view import ComparisonView
from . import lasting, url_state

#: Framework names are proper names, the same in every language.
FRAMEWORKS = {"pytorch": "PyTorch", "keras": "Keras"}
MIME = {"script": "text/x-python", "notebook": "application/x-ipynb+json"}


@dataclass(frozen=True)
class Files:
    """What the offer hands out for one variant and framework: the file names and, for each
    file, a callable that builds its text (called only when the user downloads it)."""

    script_name: str
    notebook_name: str
    script: functools.partial
    notebook: functools.partial


def exported(view: ComparisonView, name: str) -> Variant:
    """Variant ``name`` as the file reproduces it: its settings with the view's first seed."""
    variant = view.variant(name)
    return replace(variant, train=replace(variant.train, seed=view.seeds[0]))


def file_names(view: ComparisonView, framework: str, notebook: bool = False) -> dict[str, str]:
    """Each variant's file name (:func:`core.export.file_name`); where two variants would get
    the same one (e.g. Lab variants that differ only in their learning rate), both get their
    variant name added."""
    names = {}
    for v in view.variants:
        variant = exported(view, v.name)
        names[v.name] = export.file_name(variant.model, variant.train, framework, notebook)
    counts = Counter(names.values())
    suffix = f"_{framework}."
    return {
        name: file if counts[file] == 1 else file.replace(suffix, f"-{_slug(name)}{suffix}")
        for name, file in names.items()
    }


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "_", name)


def files(view: ComparisonView, name: str, framework: str) -> Files:
    """The script and notebook of variant ``name`` in ``framework`` (built lazily)."""
    variant = exported(view, name)
    model, train = variant.model, variant.train
    tr = view.tr
    intro = tr(
        "ex_nb_intro",
        variant=view.label(name),
        framework=FRAMEWORKS[framework],
        dataset=tr(f"dss_{view.dataset}"),  # its name, not its id, in the reader's language
    )
    make_script = export.pytorch_script if framework == "pytorch" else export.keras_script
    return Files(
        file_names(view, framework)[name],
        file_names(view, framework, notebook=True)[name],
        functools.partial(make_script, model, train, view.dataset),
        functools.partial(export.notebook, model, train, view.dataset, framework, intro),
    )


def where_note(view: ComparisonView) -> str:
    """Where the file finds its data, in the interface language."""
    if view.dataset in datasets.REAL:  # the shipped files: digits, breast_cancer
        return view.tr(f"ex_where_{view.dataset}")
    if view.dataset in datasets.DOWNLOADED:
        return view.tr("ex_where_fashion")
    return view.tr("ex_where_synthetic", dataset=view.tr(f"dss_{view.dataset}"))


def offer(view: ComparisonView | None) -> None:
    """An expander under the comparison: choose a variant and a framework, download the script
    or the notebook, or show the script. Does nothing when the page has no comparison."""
    if view is None:
        return
    tr = view.tr
    with lasting.expander(tr("ex_title"), "_ex", icon=":material/code:") as box:
        if not box.open:  # its widgets are drawn (and its files offered) only once opened
            return
        st.markdown(tr("ex_intro"))
        left, right = st.columns([3, 2])
        names = [v.name for v in view.variants]
        url_state.relabel("_ex_variant")
        name = left.selectbox(tr("ex_variant"), names, format_func=view.label, key="_ex_variant")
        framework = right.radio(
            tr("ex_framework"),
            list(FRAMEWORKS),
            format_func=FRAMEWORKS.get,
            horizontal=True,
            key="_ex_framework",
        )
        chosen = files(view, name, framework)
        downloads = (
            ("script", chosen.script, chosen.script_name),
            ("notebook", chosen.notebook, chosen.notebook_name),
        )
        for col, (kind, text, file_name) in zip(st.columns(2), downloads):
            col.download_button(
                tr(f"ex_{kind}"),
                text,
                file_name=file_name,
                mime=MIME[kind],
                on_click="ignore",
                icon=":material/download:",
                key=f"_ex_{kind}",
            )
        notes = [
            tr("ex_run", file=chosen.script_name),
            where_note(view),
            tr(f"ex_needs_{framework}"),
        ]
        if len(view.seeds) > 1:
            notes.append(tr("ex_seeds", seed=view.seeds[0], n=len(view.seeds)))
        st.caption(" ".join(notes))
        if st.toggle(tr("ex_show"), key="_ex_show"):
            st.code(chosen.script(), language="python", line_numbers=True, height=560)
