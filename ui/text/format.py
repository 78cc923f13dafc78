"""Number formatting for read-outs (``3×10⁻⁶`` rather than ``3e-06``), and text from
outside (a link, an uploaded file) made safe to show inside Markdown."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: The digits 0 to 9 as superscripts, for powers of ten (here and in the charts' labels).
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻" + SUPERSCRIPT_DIGITS)
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: The minus sign every number the page writes starts with when negative (U+2212, as in
#: "−0.07"; the ASCII hyphen-minus reads as a hyphen and breaks lines after it).
MINUS = "−"
#: The space between a number and its unit sign ("90.3 %"): no line starts with the sign.
NBSP = "\u00a0"


def _signed(text: str) -> str:
    """``text`` (a number Python wrote) with its leading hyphen-minus as :data:`MINUS`;
    ``-0``, ``-0.00`` (a negative number rounded to zero) lose the sign."""
    if not text.startswith("-"):
        return text
    return text[1:] if set(text[1:]) <= set("0.") else MINUS + text[1:]


def subscript(n: int) -> str:
    """``10`` -> ``₁₀`` (for layer indices in formulas such as ‖∂L/∂z₁₀‖)."""
    return str(n).translate(_SUBSCRIPT)


def superscript(n: int) -> str:
    """``9`` -> ``⁹`` (an exponent written in running text, e.g. 0.707⁹)."""
    return str(n).translate(_SUPERSCRIPT)


def power_of_ten(x: float, digits: int = 1) -> str:
    """``0.0000031`` -> ``3.1×10⁻⁶``; plain decimals between 0.01 and 1000; NaN -> ``–``."""
    if x is None or not math.isfinite(x):
        return "–" if x is None or math.isnan(x) else ("∞" if x > 0 else "−∞")
    if x == 0:
        return "0"
    if 0.01 <= abs(x) < 1000:  # rounded to digits + 1 significant digits, never as 3.1e+02
        return _signed(f"{float(f'{x:.{digits + 1}g}'):g}")
    exponent = math.floor(math.log10(abs(x)))
    mantissa = x / 10**exponent
    if round(mantissa, digits) == 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    head = _signed(f"{mantissa:.{digits}f}".rstrip("0").rstrip("."))
    return f"{head}×10{str(exponent).translate(_SUPERSCRIPT)}"


def significant(x: float, digits: int = 4) -> str:
    """``x`` to ``digits`` significant digits, a half rounded up as a reader expects rather
    than to even: ``1/64 = 0.015625`` -> ``0.01563`` (``f"{x:.4g}"`` writes ``0.01562``);
    ``0.2449`` stays, ``0.01`` -> ``0.01``. For a table of values computed from a formula."""
    if x is None or not math.isfinite(x) or x == 0:
        return power_of_ten(x) if x != 0 else "0"
    # decimal of the shortest repr, so that 0.015625 is the exact tie it was written as
    d = Decimal(repr(float(x)))
    step = Decimal(1).scaleb(d.adjusted() - digits + 1)
    rounded = d.quantize(step, rounding=ROUND_HALF_UP)
    return _signed(f"{rounded.normalize():f}")


def fixed(x: float, places: int) -> str:
    """``x`` with ``places`` decimals, negative ones with the minus sign U+2212:
    ``-0.0712`` -> ``−0.07`` (for a range such as a mean "between −0.07 and 0.07"); NaN -> ``–``."""
    if x is None or not math.isfinite(x):
        return power_of_ten(x)
    return _signed(f"{x:.{places}f}")


def decimal(x: float) -> str:
    """A setting's value as plain decimals, never in e-notation: ``1e-05`` -> ``0.00001``,
    ``0.3`` -> ``0.3``, ``10.0`` -> ``10`` (for slider labels, which show no formatting)."""
    return f"{x:.12f}".rstrip("0").rstrip(".")


def amount(x: float) -> str:
    """A figure as the budget's messages show it, in either language: three significant
    digits, thousands grouped (``6840.2`` -> ``6,840``, ``12.34`` -> ``12.3``), tiny ones as a
    power of ten (never ``6.84e+03``)."""
    if not math.isfinite(x) or abs(x) < 0.01:
        return power_of_ten(x)
    digits = 3 - 1 - math.floor(math.log10(abs(x)))
    rounded = round(x, digits)
    text = f"{rounded:,.0f}" if digits <= 0 else f"{rounded:,.{digits}f}".rstrip("0").rstrip(".")
    return _signed(text)


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a GitHub-flavoured Markdown table, its index as the first column, in bold.

    Drawn by the Markdown renderer every page loads anyway: ``st.table`` would load a table
    component and Arrow decoding into a new tab. For the app's own text: ``|`` and line breaks are escaped, nothing
    else is (a value from outside goes through :func:`literal` first).

    >>> import pandas as pd
    >>> print(markdown_table(pd.DataFrame({"σ²": ["2 / fan_in"]}, index=pd.Index(["He"], name="init"))))
    | init | σ² |
    |---|---|
    | **He** | 2 / fan_in |
    """

    def cell(value) -> str:
        return " ".join(str(value).split()).replace("|", "\\|")

    head = [frame.index.name or "", *frame.columns]
    lines = ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    for name, row in frame.iterrows():
        lines.append("| " + " | ".join([f"**{cell(name)}**", *map(cell, row)]) + " |")
    return "\n".join(lines)


def percent(x: float) -> str:
    """``0.9031`` -> ``90.3 %``, a no-break space before the sign so that a line never
    starts with it; a negative share with U+2212; NaN -> ``–``."""
    return "–" if x is None or not math.isfinite(x) else f"{_signed(f'{100 * x:.1f}')}{NBSP}%"


#: The most characters of an outside value shown (longer ones end in an ellipsis).
LITERAL_LENGTH = 48
_BACKTICKS = re.compile("`+")


def literal(text: object, limit: int = LITERAL_LENGTH) -> str:
    """Text from outside as a Markdown code span that shows it exactly as typed, never as markup.

    Every line break, tab and other control or format character (Unicode category C*:
    bidirectional overrides, zero-width characters) becomes a space or is dropped, so the
    value stays on its line and inside its span; then it is cut to ``limit`` characters with
    an ellipsis. The fence is one backtick longer than the longest run of backticks in the
    value, with a space inside when the value starts or ends with a backtick (CommonMark
    removes one such space on each side), so no value can close its own span.

    A code span rather than backslash escapes: in Streamlit's Markdown a GitHub-style
    autolink (``www.evil.example``, ``https://…``, ``a@evil.example``) is found in the text
    after escapes are undone, so escaping every punctuation mark still leaves a clickable
    link; nothing inside a code span is parsed (no link, image, heading, HTML, LaTeX, emoji
    or colour directive).

    >>> literal("[x](https://evil.example)")
    '`[x](https://evil.example)`'
    >>> literal("a`b")
    '``a`b``'
    """
    clean = "".join(
        " " if ch.isspace() else ch
        for ch in str(text)
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    fence = "`" * (1 + max((len(run) for run in _BACKTICKS.findall(clean)), default=0))
    if not clean or clean[0] == "`" or clean[-1] == "`" or clean[0] == clean[-1] == " ":
        clean = f" {clean} "
    return f"{fence}{clean}{fence}"
