"""Vega-Lite specs written as dicts: the small pieces every chart is built from.

Every chart of the pages is a Vega-Lite dict built from these pieces (and the style of
:mod:`ui.drawing.style`): building Altair's objects and converting them with ``to_dict`` costs
several times more for the same spec (``bench/chart_benchmark.py``), and nesting a chart in a
layer or a concat copies it whole. Tests check the specs against Vega-Lite's schema
(``tests/vega_lite.py``). Pure: no Streamlit, no Altair.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..text.format import SUPERSCRIPT_DIGITS, power_of_ten

#: The Vega-Lite version the specs are written for (the one Streamlit bundles, and whose
#: schema Altair ships: a test checks that they agree).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


def chart(**parts) -> dict:
    """A top-level spec: ``parts`` (data, marks or views, title, sizes) under the schema."""
    return {"$schema": SCHEMA, **parts}


#: Estimated width in pixels of a character of a chart title (Vega's 13-pixel bold): a
#: wide one (Hangul, CJK) and any other, both on the generous side so that a line never
#: outgrows the width it was wrapped for.
TITLE_CHAR_PX = {"wide": 14.0, "other": 8.0}


def text_width(text: str, per_char: dict = TITLE_CHAR_PX) -> float:
    """Estimated width in pixels of ``text`` in a chart's title."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return wide * per_char["wide"] + (len(text) - wide) * per_char["other"]


def title_lines(text: str, width: float) -> str | list[str]:
    """``text`` as a chart title that fits ``width`` pixels: itself if it fits on one line,
    else a list of lines (Vega draws a list one line under the other) broken between words,
    each as long as fits (:func:`text_width`). Vega cuts a title too long for its chart at
    the chart's edge rather than wrapping it."""
    if text_width(text) <= width:
        return text
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def field(name: str, kind: str, **properties) -> dict:
    """An encoding of the column ``name`` (``kind``: quantitative, nominal or ordinal)."""
    return {"field": name, "type": kind, **properties}


def when(test: str, yes, otherwise) -> dict:
    """A value encoding: ``yes`` where the Vega expression ``test`` holds, else ``otherwise``."""
    return {"condition": {"test": test, "value": yes}, "value": otherwise}


def calculate(expression: str, name: str) -> dict:
    """A transform adding column ``name``, the Vega ``expression``."""
    return {"calculate": expression, "as": name}


def keep(test: str) -> dict:
    """A transform keeping the rows where the Vega expression ``test`` holds."""
    return {"filter": test}


def log_field(name: str, title: str | None, drawn: Iterable[float], **properties) -> dict:
    """A log-scale encoding of ``name`` (on y, or on x) ticked by :func:`log_axis` over the
    values ``drawn`` (every value the axis shows, bands and rules included)."""
    return field(
        name, "quantitative", title=title, scale={"type": "log"}, axis=log_axis(drawn),
        **properties,
    )  # fmt: skip


def log_axis(drawn: Iterable[float], **properties) -> dict:
    """The one axis of every log scale whose domain Vega widens to powers of ten: labelled as
    the page writes numbers (:data:`POWER_LABELS`), ticked at :func:`log_ticks` of the
    positive finite values ``drawn``. Left to itself, Vega ticks a log axis of a few decades
    at 1, 2 … 9 times each power of ten and then drops the labels that overlap, leaving an
    uneven few (6, 0.7, 0.08, 9×10⁻³)."""
    values = np.asarray(list(drawn), dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    ticks = log_ticks(float(values.min()), float(values.max())) if len(values) else None
    return power_axis(**({"values": ticks} if ticks else {}), **properties)


def number_tip(column: str, title: str) -> dict:
    """A number in a tooltip written as the page writes numbers: the data must hold
    ``<column>_text`` (:func:`with_text`, or :func:`as_text` for rows filtered in the browser)."""
    return field(f"{column}_text", "nominal", title=title)


def literal(text: str) -> str:
    """``text`` as a string literal of a Vega expression."""
    return json.dumps(text, ensure_ascii=False)


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as JSON-ready dicts, a missing value as null."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


#: Significant digits kept of the values a large spec carries (tooltips show 3).
DIGITS = 4


def significant(frame: pd.DataFrame, columns: list[str], digits: int = DIGITS) -> pd.DataFrame:
    """``frame`` with ``columns`` rounded to ``digits`` significant digits (the JSON of a played
    spec shrinks by a fifth)."""
    return frame.assign(
        **{c: frame[c].map(lambda v: float(f"{v:.{digits}g}")) for c in columns if c in frame}
    )


#: Unicode superscripts of the characters an exponent is written with.
def _superscript(expr: str) -> str:
    """A Vega expression: the integer ``expr`` (below 1000 in size) in superscript digits, a
    minus sign first if negative. One substring per digit: Vega's expression interpreter
    evaluates a label's expression for every label at every visit, and regular expressions
    (a replace per character) would be built anew each time."""
    size = f"abs({expr})"

    def digit(k: str) -> str:
        return f"substring({literal(SUPERSCRIPT_DIGITS)}, {k}, {k} + 1)"

    hundreds = f"({size} >= 100 ? {digit(f'floor({size} / 100)')} : '')"
    tens = f"({size} >= 10 ? {digit(f'floor({size} / 10) % 10')} : '')"
    return f"({expr} < 0 ? '⁻' : '') + {hundreds} + {tens} + {digit(f'{size} % 10')}"


def number_text(value: str) -> str:
    """A Vega expression writing the number ``value`` (an expression) as the page's text does
    (:func:`ui.text.format.power_of_ten`): ``0``, plain decimals from 0.01 to 1000 (``0.33``,
    ``140``), beyond them ``3.7×10⁷`` and ``10⁻⁶``, never Vega's ``3.7e+7``."""
    exponent = f"floor(log(abs({value})) / LN10 + 1e-9)"
    mantissa = f"format({value} / pow(10, {exponent}), '.2~f')"
    power = f"'10' + {_superscript(exponent)}"
    scientific = f"({mantissa} == '1' ? '' : {mantissa} + '×') + {power}"
    plain = f"format({value}, '.3~g')"
    small_enough = f"abs({value}) >= 0.01 && abs({value}) < 999.5"
    return (
        f"(!isValid({value}) ? '' : {value} == 0 ? '0' : {small_enough} ? {plain} : {scientific})"
    )


#: A log axis's labels as the page's text writes numbers (:func:`number_text`; Vega's ``.0e``
#: format would write ``1e-6``, which reads as code, in English and in Korean alike):
#: ``labelExpr`` of the axis.
POWER_LABELS = number_text("datum.value")


def with_text(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """``frame`` with ``<column>_text`` for each of ``columns``: the number as :func:`number_text`
    writes it (:func:`ui.text.format.power_of_ten`, three significant digits), for a tooltip.
    Written here once per chart: Vega's expression interpreter would evaluate
    :func:`number_text` for every row at every visit."""
    return frame.assign(
        **{
            f"{column}_text": [power_of_ten(float(v), 2) for v in frame[column]]
            for column in columns
        }
    )


def as_text(column: str, name: str | None = None) -> dict:
    """A ``calculate`` transform adding ``column`` written as :func:`number_text` under
    ``name`` (default ``<column>_text``), for a tooltip: for rows the browser filters as the
    viewer plays a chart, where :func:`with_text` would write every row's text."""
    return {"calculate": number_text(f"datum[{literal(column)}]"), "as": name or f"{column}_text"}


def zero_labels(floor: float) -> str:
    """A log axis's ``labelExpr`` writing ``0`` at ``floor`` (the row of exact zeros, see
    :func:`zero_floor`) and :data:`POWER_LABELS` elsewhere."""
    return f"datum.value <= {floor:.6g} ? '0' : {POWER_LABELS}"


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
