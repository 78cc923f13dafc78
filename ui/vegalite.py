"""Vega-Lite specs written as dicts: the few pieces the charts rebuilt most often share.

Altair's objects are convenient but slow to compose: nesting a chart in a layer or a concat
copies it whole, and ``to_dict`` walks it again, so the cost grows with every panel. The
charts a page waits for on its first visit, or redraws while a run trains (the played
per-layer panels and histograms, the live gradient profile, the training curves), are built
as dicts from these pieces instead, which costs next to nothing, and so are the other charts
the pages show on their first view; tests check them against Vega-Lite's schema
(``tests/vega_lite.py``).
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

#: The Vega-Lite version the specs are written for (Streamlit's bundled one).
SCHEMA = alt.SCHEMA_URL


def field(name: str, kind: str, **properties) -> dict:
    """An encoding of the column ``name`` (``kind``: quantitative, nominal or ordinal)."""
    return {"field": name, "type": kind, **properties}


def variant(scale: alt.Scale, title: str, legend: dict, patterns: list | None = None) -> dict:
    """The variant as the colours of ``scale`` (or, with ``patterns``, as point shapes or dash
    patterns in the same order), with ``title`` and ``legend`` (one legend: the same field and
    title merge colour and pattern). ``legend`` is copied: specs are memoized and shared by
    sessions, and should share no mutable part."""
    domain = list(scale.domain)
    values = patterns[: len(domain)] if patterns is not None else list(scale.range)
    return field(
        "variant", "nominal", scale={"domain": domain, "range": values}, title=title,
        legend=dict(legend),
    )  # fmt: skip


def literal(text: str) -> str:
    """``text`` as a string literal of a Vega expression."""
    return json.dumps(text, ensure_ascii=False)


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as JSON-ready dicts, a missing value as null."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
