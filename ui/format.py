"""Number formatting for read-outs: ``3×10⁻⁶`` rather than ``3e-06``."""

from __future__ import annotations

import math

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(n: int) -> str:
    """``10`` -> ``₁₀`` (for layer indices in formulas such as ‖∂L/∂z₁₀‖)."""
    return str(n).translate(_SUBSCRIPT)


def power_of_ten(x: float, digits: int = 1) -> str:
    """``0.0000031`` -> ``3.1×10⁻⁶``; plain decimals between 0.01 and 1000; NaN -> ``–``."""
    if x is None or not math.isfinite(x):
        return "–" if x is None or math.isnan(x) else ("∞" if x > 0 else "−∞")
    if x == 0:
        return "0"
    if 0.01 <= abs(x) < 1000:  # rounded to digits + 1 significant digits, never as 3.1e+02
        return f"{float(f'{x:.{digits + 1}g}'):g}"
    exponent = math.floor(math.log10(abs(x)))
    mantissa = x / 10**exponent
    if round(mantissa, digits) == 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    head = f"{mantissa:.{digits}f}".rstrip("0").rstrip(".")
    return f"{head}×10{str(exponent).translate(_SUPERSCRIPT)}"


def percent(x: float) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{100 * x:.1f} %"
