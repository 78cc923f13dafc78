"""Display names for activations and initializers, in the interface language."""

from __future__ import annotations

from collections.abc import Callable

from core.initializers import DEFAULT_VALUE

from .i18n import Text


def init_name(tr: Text, name: str, std: float = 1.0, value: float = DEFAULT_VALUE) -> str:
    """``he_normal`` -> ``He normal`` (``He 정규``); the fixed-std ones show their σ:
    ``N(0, 0.01²)``, ``U(σ=0.5)``; ``constant`` its value: ``constant 0.01``."""
    if name == "random_normal":
        return f"N(0, {std:g}²)" if std != 1 else "N(0, 1)"
    if name == "random_uniform":
        return f"U(σ={std:g})"
    if name == "constant":
        return tr("init_constant", value=f"{value:g}")
    return tr(f"init_{name}")


def activation_name(tr: Text, name: str) -> str:
    return tr(f"act_{name}")


def namers(tr: Text) -> tuple[Callable[[str], str], Callable[..., str]]:
    """``(activation_name, init_name)`` bound to ``tr``, e.g. for ``format_func=``."""
    return (
        lambda name: activation_name(tr, name),
        lambda name, std=1.0, value=DEFAULT_VALUE: init_name(tr, name, std, value),
    )
