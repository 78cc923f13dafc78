"""Weight initializers, Keras semantics.

One parametrised initializer, :class:`VarianceScaling`, draws weights whose variance is
``scale / n`` where ``n`` depends on ``mode``::

    fan_in   n = fan_in
    fan_out  n = fan_out
    fan_avg  n = (fan_in + fan_out) / 2        # note the /2

Glorot, He and LeCun are presets that only fix ``(scale, mode)``:

=============  =====  =======  =================================  ==============================
preset         scale  mode     sigma^2 (normal)                   activations it suits
=============  =====  =======  =================================  ==============================
Glorot/Xavier  1      fan_avg  1 / fan_avg                        none, tanh, logistic, softmax
He             2      fan_in   2 / fan_in                         ReLU and its variants
LeCun          1      fan_in   1 / fan_in                         SELU
=============  =====  =======  =================================  ==============================

For the uniform distribution the limit is ``r = sqrt(3 * sigma^2)``, so that U(-r, r) has the
same variance. Keras' ``*_normal`` presets draw from a normal truncated at +-2 standard
deviations and divide the standard deviation by 0.87962566103423978 (the std of a standard
normal truncated at +-2) so that the variance is exactly ``scale / n``. PyTorch's
``kaiming_normal_`` / ``xavier_normal_`` use the untruncated normal: ``truncated=False``.

``zeros`` and ``constant`` (Keras ``Zeros`` / ``Constant(value)``) set every weight to the same
number. They draw nothing, so every unit of a layer starts as a copy of the others, receives the
same gradient and stays a copy: the symmetry that random initialization exists to break (see
:func:`core.diagnostics.distinct_units`). With ``zeros`` and an activation with f(0) = 0 (ReLU,
tanh, ...) every hidden output is 0 and every weight gradient is exactly 0: only the output
biases learn.

Every initializer is a callable ``(shape, rng, dtype=np.float32) -> ndarray`` where ``shape`` is
``(fan_in, fan_out)`` (the Keras kernel layout) and ``rng`` a ``np.random.Generator``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: std of a standard normal truncated to [-2, 2]; dividing by it restores unit variance.
TRUNCATED_STD = 0.87962566103423978
TRUNCATION_BOUND = 2.0

MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` of a Dense kernel of shape ``(fan_in, fan_out)``."""
    if len(shape) != 2:
        raise ValueError(f"expected a Dense kernel shape (fan_in, fan_out), got {shape}")
    return int(shape[0]), int(shape[1])


def fan_value(shape: tuple[int, ...], mode: str) -> float:
    """The ``n`` of ``scale / n``: fan_in, fan_out or fan_avg = (fan_in + fan_out) / 2."""
    fan_in, fan_out = fans(shape)
    if mode == "fan_in":
        return float(fan_in)
    if mode == "fan_out":
        return float(fan_out)
    if mode == "fan_avg":
        return (fan_in + fan_out) / 2.0
    raise ValueError(f"unknown mode {mode!r}; valid modes: {', '.join(MODES)}")


def truncated_standard_normal(shape, rng: np.random.Generator, dtype=np.float32) -> np.ndarray:
    """Standard normal draws restricted to [-2, 2] by redrawing the ones outside.

    Redrawing gives exactly the truncated distribution (std ``TRUNCATED_STD``), as
    ``tf.random.truncated_normal`` does.
    """
    x = rng.standard_normal(shape, dtype=dtype)
    outside = np.abs(x) > TRUNCATION_BOUND
    while outside.any():
        x[outside] = rng.standard_normal(int(outside.sum()), dtype=dtype)
        outside = np.abs(x) > TRUNCATION_BOUND
    return x


@dataclass(frozen=True)
class VarianceScaling:
    """Weights with variance ``scale / n`` (``n`` from ``mode``), Keras ``VarianceScaling``.

    - ``truncated_normal``: N(0, 1) truncated at +-2, times ``sqrt(scale / n) / 0.8796...``
    - ``untruncated_normal``: N(0, scale / n)
    - ``uniform``: U(-r, r) with ``r = sqrt(3 * scale / n)``
    """

    scale: float = 1.0
    mode: str = "fan_in"
    distribution: str = "truncated_normal"

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; valid modes: {', '.join(MODES)}")
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(
                f"unknown distribution {self.distribution!r}; "
                f"valid distributions: {', '.join(DISTRIBUTIONS)}"
            )
        if not self.scale > 0:
            raise ValueError(f"scale must be > 0, got {self.scale}")

    def variance(self, shape) -> float:
        """The target variance ``scale / n`` for a kernel of this shape."""
        return self.scale / fan_value(shape, self.mode)

    def limit(self, shape) -> float:
        """Largest possible |weight|: ``r`` for uniform, the truncation bound 2*std/0.8796... for
        the truncated normal, ``inf`` for the untruncated normal."""
        std = math.sqrt(self.variance(shape))
        if self.distribution == "uniform":
            return math.sqrt(3.0) * std
        if self.distribution == "truncated_normal":
            return TRUNCATION_BOUND * std / TRUNCATED_STD
        return math.inf

    def __call__(self, shape, rng: np.random.Generator, dtype=np.float32) -> np.ndarray:
        std = math.sqrt(self.variance(shape))
        if self.distribution == "uniform":
            r = math.sqrt(3.0) * std
            return rng.uniform(-r, r, size=shape).astype(dtype, copy=False)
        if self.distribution == "truncated_normal":
            x = truncated_standard_normal(shape, rng, dtype)
            x *= std / TRUNCATED_STD
            return x
        x = rng.standard_normal(shape, dtype=dtype)
        x *= std
        return x


@dataclass(frozen=True)
class FixedStd:
    """Weights of standard deviation ``std`` whatever the layer size (the "naive" choice)."""

    std: float = 1.0

    def __post_init__(self):
        if not self.std > 0:
            raise ValueError(f"std must be > 0, got {self.std}")

    def variance(self, shape) -> float:
        return self.std**2


class RandomNormal(FixedStd):
    """Plain N(0, std^2), untruncated."""

    def limit(self, shape) -> float:
        return math.inf

    def __call__(self, shape, rng: np.random.Generator, dtype=np.float32) -> np.ndarray:
        x = rng.standard_normal(shape, dtype=dtype)
        x *= self.std
        return x


class RandomUniform(FixedStd):
    """U(-r, r) with ``r = sqrt(3) * std``, so that the standard deviation is ``std``."""

    def limit(self, shape) -> float:
        return math.sqrt(3.0) * self.std

    def __call__(self, shape, rng: np.random.Generator, dtype=np.float32) -> np.ndarray:
        r = self.limit(shape)
        return rng.uniform(-r, r, size=shape).astype(dtype, copy=False)


@dataclass(frozen=True)
class Constant:
    """Every weight equal to ``value`` (Keras ``Constant``; ``zeros`` is ``value = 0``)."""

    value: float = 0.0

    def __post_init__(self):
        if not math.isfinite(self.value):
            raise ValueError(f"value must be finite, got {self.value}")

    def variance(self, shape) -> float:
        return 0.0

    def limit(self, shape) -> float:
        return abs(self.value)

    def __call__(self, shape, rng: np.random.Generator, dtype=np.float32) -> np.ndarray:
        return np.full(shape, self.value, dtype)


#: name -> (scale, mode, distribution) of the VarianceScaling presets.
PRESETS = {
    "glorot_uniform": (1.0, "fan_avg", "uniform"),
    "glorot_normal": (1.0, "fan_avg", "truncated_normal"),
    "he_uniform": (2.0, "fan_in", "uniform"),
    "he_normal": (2.0, "fan_in", "truncated_normal"),
    "lecun_uniform": (1.0, "fan_in", "uniform"),
    "lecun_normal": (1.0, "fan_in", "truncated_normal"),
}

#: Initializers whose spread does not depend on the layer size; they take ``std``.
FIXED_STD = {"random_normal": RandomNormal, "random_uniform": RandomUniform}

#: Initializers that set every weight to one number (``constant`` takes ``value``).
CONSTANT = ("zeros", "constant")
#: ``constant``'s default value: at the default width of 100, c * width = 1, so the common
#: signal of the (identical) units neither grows nor shrinks from layer to layer and the lesson
#: shows symmetry alone, not an explosion as well.
DEFAULT_VALUE = 0.01

NAMES = tuple(PRESETS) + tuple(FIXED_STD) + CONSTANT

#: Which activations each preset suits (the table in the module docstring).
SUITS = {
    "glorot": ("none", "tanh", "sigmoid", "softmax"),
    "he": ("relu", "leaky_relu", "elu", "gelu", "swish"),
    "lecun": ("selu",),
}


def get(name: str, std: float = 1.0, truncated: bool = True, value: float = DEFAULT_VALUE):
    """Return the initializer called ``name``.

    Args:
        name: one of :data:`NAMES`.
        std: standard deviation for ``random_normal`` / ``random_uniform`` (ignored otherwise).
        truncated: for the ``*_normal`` presets, Keras' 2-sigma truncated normal (True) or the
            untruncated normal PyTorch uses (False).
        value: every weight's value for ``constant`` (ignored otherwise).
    Raises:
        ValueError: unknown name; the message lists the valid ones.
    """
    if name in PRESETS:
        scale, mode, distribution = PRESETS[name]
        if distribution == "truncated_normal" and not truncated:
            distribution = "untruncated_normal"
        return VarianceScaling(scale, mode, distribution)
    if name in FIXED_STD:
        return FIXED_STD[name](std)
    if name in CONSTANT:
        return Constant(value if name == "constant" else 0.0)
    raise ValueError(f"unknown initializer {name!r}; valid initializers: {', '.join(NAMES)}")


def matching(activation: str) -> str:
    """The normal-distribution preset the usual table recommends for ``activation``."""
    for fam, acts in SUITS.items():
        if activation in acts:
            return f"{fam}_normal"
    raise ValueError(
        f"unknown activation {activation!r}; valid activations: "
        + ", ".join(a for acts in SUITS.values() for a in acts)
    )


def sample_histogram(
    name: str,
    shape: tuple[int, int],
    rng: np.random.Generator,
    edges: np.ndarray,
    std: float = 1.0,
    truncated: bool = True,
    value: float = DEFAULT_VALUE,
) -> np.ndarray:
    """Counts of one draw of ``name`` for a kernel of ``shape`` on the bins ``edges``."""
    return np.histogram(get(name, std, truncated, value)(shape, rng), bins=edges)[0]
