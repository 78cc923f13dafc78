"""Activation functions and their derivatives, element-wise on arrays of any shape.

Each entry is an :class:`ActivationFn` with ``forward(z) -> a`` and ``derivative(z, a) -> da/dz``
(``a`` is ``forward(z)``, passed in so the derivative can reuse it). Dtypes are preserved:
float32 in, float32 out.

==========  ===========================================  ==============================  ========
name        f(z)                                         f'(z)                           saturates
==========  ===========================================  ==============================  ========
sigmoid     1 / (1 + e^-z)                               f (1 - f)                       both sides
tanh        tanh z                                       1 - f^2                         both sides
relu        max(0, z)                                    1 if z > 0 else 0               no (dies)
leaky_relu  z if z > 0 else alpha z                      1 if z > 0 else alpha           no
elu         z if z > 0 else alpha (e^z - 1)              1 if z > 0 else f + alpha       z -> -inf
selu        lambda * elu_alpha(z), alpha=1.6733,         lambda (1 or alpha e^z)         z -> -inf
            lambda=1.0507
gelu        z Phi(z), tanh approximation (below)         see :func:`_gelu_derivative`    z -> -inf
swish       z sigmoid(z)                                 s + z s (1 - s)                 z -> -inf
==========  ===========================================  ==============================  ========

GELU uses the tanh approximation ``0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))`` (Keras
``gelu(approximate=True)``, PyTorch ``approximate="tanh"``): NumPy has no ``erf``, and the
approximation has an exact closed-form derivative.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
_GELU_C = math.sqrt(2.0 / math.pi)

#: Default alpha for the parametrised activations (Keras' ``elu`` alpha=1; the book's leaky
#: ReLU example uses alpha=0.2, the "huge leak" it found to work well).
DEFAULT_ALPHA = {"leaky_relu": 0.2, "elu": 1.0}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """Numerically stable logistic: with e = e^-|z| (never overflows), 1 / (1 + e) for z >= 0
    and e / (1 + e) for z < 0, both exact to the last digits even far in the tails."""
    e = np.exp(-np.abs(z))
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def _gelu(z: np.ndarray) -> np.ndarray:
    u = _GELU_C * (z + 0.044715 * z**3)
    return 0.5 * z * (1 + np.tanh(u))


def _gelu_derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """d/dz [0.5 z (1 + tanh u)] = 0.5 (1 + tanh u) + 0.5 z (1 - tanh^2 u) du/dz,
    with u = c (z + 0.044715 z^3), du/dz = c (1 + 3 * 0.044715 z^2)."""
    t = np.tanh(_GELU_C * (z + 0.044715 * z**3))
    du = _GELU_C * (1 + 3 * 0.044715 * z**2)
    return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du


def _elu(z: np.ndarray, alpha: float) -> np.ndarray:
    """alpha (e^z - 1) for z <= 0, z above. exp of min(z, 0) so that a large positive z never
    overflows in the unused branch; exp - 1 rather than expm1, which is several times slower
    in NumPy and whose extra precision near 0 (where the value is ~z) is not needed here."""
    negative = np.exp(np.minimum(z, 0))
    negative -= 1
    negative *= alpha
    return np.where(z > 0, z, negative)


@dataclass(frozen=True)
class ActivationFn:
    """An activation function with its derivative.

    Attributes:
        name: registry name.
        forward: ``z -> a``, same shape and dtype.
        derivative: ``(z, a) -> da/dz`` element-wise (ReLU's, being 0 or 1, is returned as a
            boolean mask: multiplying by it is one operation less in every backward pass).
        saturates: its derivative tends to 0 for large |z| on at least one side (sigmoid, tanh,
            elu, selu, gelu, swish); the "saturated" statistic is reported only for these.
        can_die: a unit can get stuck with zero output for every input (the ReLU family); the
            "dead" statistic is reported only for these.
        max_derivative: sup of |f'|, used to define "saturated" as f' < 10 % of it.
    """

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]
    saturates: bool
    can_die: bool
    max_derivative: float
    alpha: float | None = None


def _make(name: str, alpha: float | None) -> ActivationFn:
    if name == "sigmoid":
        return ActivationFn(
            name,
            _sigmoid,
            lambda z, a: a * (1 - a),
            saturates=True,
            can_die=False,
            max_derivative=0.25,
        )
    if name == "tanh":
        return ActivationFn(
            name, np.tanh, lambda z, a: 1 - a * a, saturates=True, can_die=False, max_derivative=1.0
        )
    if name == "relu":
        return ActivationFn(
            name,
            lambda z: np.maximum(z, 0),
            lambda z, a: z > 0,
            saturates=False,
            can_die=True,
            max_derivative=1.0,
        )
    if name == "leaky_relu":
        return ActivationFn(
            name,
            lambda z: np.where(z > 0, z, alpha * z),
            lambda z, a: np.where(z > 0, 1, alpha).astype(z.dtype),
            saturates=False,
            can_die=True,
            max_derivative=1.0,
            alpha=alpha,
        )
    if name == "elu":
        return ActivationFn(
            name,
            lambda z: _elu(z, alpha),
            lambda z, a: np.where(z > 0, 1, a + alpha).astype(z.dtype),
            saturates=True,
            can_die=True,
            max_derivative=max(1.0, alpha),
            alpha=alpha,
        )
    if name == "selu":
        return ActivationFn(
            name,
            lambda z: SELU_SCALE * _elu(z, SELU_ALPHA),
            lambda z, a: np.where(z > 0, SELU_SCALE, a + SELU_SCALE * SELU_ALPHA).astype(z.dtype),
            saturates=True,
            can_die=True,
            max_derivative=SELU_SCALE * SELU_ALPHA,
            alpha=SELU_ALPHA,
        )
    if name == "gelu":
        return ActivationFn(
            name, _gelu, _gelu_derivative, saturates=True, can_die=False, max_derivative=1.129
        )
    if name == "swish":

        def swish_derivative(z, a):
            s = _sigmoid(z)
            return s + z * s * (1 - s)

        return ActivationFn(
            name,
            lambda z: z * _sigmoid(z),
            swish_derivative,
            saturates=True,
            can_die=False,
            max_derivative=1.1,
        )
    raise AssertionError(name)


NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "swish")


def get(name: str, alpha: float | None = None) -> ActivationFn:
    """Return the activation ``name``; ``alpha`` for leaky_relu and elu (defaults in
    :data:`DEFAULT_ALPHA`). Raises ``ValueError`` listing the valid names."""
    if name not in NAMES:
        raise ValueError(f"unknown activation {name!r}; valid activations: {', '.join(NAMES)}")
    if name in DEFAULT_ALPHA:
        alpha = DEFAULT_ALPHA[name] if alpha is None else float(alpha)
        if not (alpha >= 0 and math.isfinite(alpha)):
            raise ValueError(f"alpha must be a finite number >= 0, got {alpha}")
    else:
        alpha = None
    return _make(name, alpha)


def saturated_intervals(
    name: str, lo: float, hi: float, level: float = 0.1, n: int = 2001, alpha: float | None = None
) -> list[tuple[float, float]]:
    """The intervals of [lo, hi] where |f'(z)| < level * max |f'| (the flat, saturating parts),
    found on a grid of ``n`` points, as (start, end) pairs."""
    fn = get(name, alpha)
    z = np.linspace(lo, hi, n)
    flat = np.abs(fn.derivative(z, fn.forward(z))) < level * fn.max_derivative
    padded = np.concatenate([[0], flat.astype(np.int8), [0]])
    change = np.flatnonzero(np.diff(padded))  # alternately: a run starts, a run ends
    return [(float(z[a]), float(z[b - 1])) for a, b in zip(change[::2], change[1::2])]
