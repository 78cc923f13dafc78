"""Display names for variants (language-neutral technical names)."""

from __future__ import annotations

INIT_NAMES = {
    "glorot_uniform": "Glorot uniform",
    "glorot_normal": "Glorot normal",
    "he_uniform": "He uniform",
    "he_normal": "He normal",
    "lecun_uniform": "LeCun uniform",
    "lecun_normal": "LeCun normal",
}
ACTIVATION_NAMES = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "selu": "SELU",
    "gelu": "GELU",
    "swish": "Swish",
}


def init_name(name: str, std: float = 1.0) -> str:
    """``he_normal`` -> ``He normal``; the fixed-std ones show their σ: ``N(0, 0.01²)``."""
    if name == "random_normal":
        return f"N(0, {std:g}²)" if std != 1 else "N(0, 1)"
    if name == "random_uniform":
        return f"U(σ={std:g})"
    return INIT_NAMES[name]


def activation_name(name: str) -> str:
    return ACTIVATION_NAMES[name]
