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
import math

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


#: Unicode superscripts of the characters an exponent is written with.
_SUPERSCRIPTS = {"-": "⁻", **{str(d): "⁰¹²³⁴⁵⁶⁷⁸⁹"[d] for d in range(10)}}


def _superscript(expr: str) -> str:
    """A Vega expression: the string ``expr`` with its digits and minus signs as superscripts."""
    for plain, sup in _SUPERSCRIPTS.items():
        expr = f"replace({expr}, regexp({literal(plain)}, 'g'), {literal(sup)})"
    return expr


def number_text(value: str) -> str:
    """A Vega expression writing the number ``value`` (an expression) as the page's text does
    (:func:`ui.text.format.power_of_ten`): ``0``, plain decimals from 0.01 to 1000 (``0.33``,
    ``140``), beyond them ``3.7×10⁷`` and ``10⁻⁶``, never Vega's ``3.7e+7``."""
    exponent = f"floor(log(abs({value})) / LN10 + 1e-9)"
    mantissa = f"format({value} / pow(10, {exponent}), '.2~f')"
    power = f"'10' + {_superscript(f'toString({exponent})')}"
    scientific = f"({mantissa} == '1' ? {power} : {mantissa} + '×' + {power})"
    plain = f"format({value}, '.3~g')"
    small_enough = f"abs({value}) >= 0.01 && abs({value}) < 999.5"
    return (
        f"(!isValid({value}) ? '' : {value} == 0 ? '0' : {small_enough} ? {plain} : {scientific})"
    )


#: A log axis's labels as the page's text writes numbers (:func:`number_text`; Vega's ``.0e``
#: format would write ``1e-6``, which reads as code, in English and in Korean alike):
#: ``labelExpr`` of the axis.
POWER_LABELS = number_text("datum.value")


def as_text(column: str, name: str | None = None) -> dict:
    """A ``calculate`` transform adding ``column`` written as :func:`number_text` under
    ``name`` (default ``<column>_text``), for a tooltip."""
    return {"calculate": number_text(f"datum[{literal(column)}]"), "as": name or f"{column}_text"}


def power_axis(**properties) -> dict:
    """A log axis labelled in powers of ten (:data:`POWER_LABELS`)."""
    return {"labelExpr": POWER_LABELS, **properties}


def zero_floor(low: float) -> float:
    """Where a log axis whose values start at ``low`` draws exact zeros: the power of ten a
    decade below the one at or under ``low``, so that the zero row stands apart (its axis label
    reads 0)."""
    return float(10.0 ** (math.floor(math.log10(low)) - 1))


def log_ticks(low: float, high: float, most_decades: int = 3, most_ticks: int = 9) -> list | None:
    """Tick values for a log axis from ``low`` to ``high`` widened to powers of ten: 1, 2 and 5
    times each power of ten when it spans at most ``most_decades`` decades, else powers of ten,
    every one or every few so that there are at most ``most_ticks``. Vega's own ticks on a
    short log axis label 0.1, 0.2 … 0.9 and then drop those that overlap, leaving an uneven
    few (0.5, 0.06, 7×10⁻³). None when the bounds are not positive numbers."""
    if not (low > 0 and high > 0 and math.isfinite(low) and math.isfinite(high)):
        return None
    first, last = math.floor(math.log10(low) + 1e-9), math.ceil(math.log10(high) - 1e-9)
    last = max(last, first + 1)
    if last - first <= most_decades:
        return [
            m * 10.0**k for k in range(first, last + 1) for m in (1, 2, 5) if k < last or m == 1
        ]
    step = math.ceil((last - first) / (most_ticks - 1))
    return [10.0**k for k in range(last, first - 1, -step)][::-1]
