"""Data sets: the real 8x8 digits shipped with the project, seeded synthetic 2-D sets, and
Fashion-MNIST once downloaded (:mod:`core.fashion_mnist`).

Every data set is split into stratified training / validation parts (each class keeps its
share) and standardised with the training split's statistics only; a constant feature (many
digit pixels are always 0) is centred but not divided by its zero standard deviation.
"""

from __future__ import annotations

import functools
import gzip
import math
from pathlib import Path

import numpy as np

from .data import Dataset, standardised  # offered here too: datasets.Dataset is the API name

#: data/ of a checkout; an installed copy (``pip install .``) holds it as the package core.shipped
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
if not (DATA_DIR / "digits.csv.gz").exists():
    DATA_DIR = Path(__file__).resolve().parent / "shipped"
DIGITS_FILE = DATA_DIR / "digits.csv.gz"

#: data sets that come with the project, and those that need a one-time download
SHIPPED = ("digits", "spirals", "moons", "circles", "xor")
DOWNLOADED = ("fashion_mnist",)  # see core.fashion_mnist
NAMES = SHIPPED + DOWNLOADED
#: samples drawn for the synthetic sets
SYNTHETIC_SIZE = 600


@functools.lru_cache(maxsize=1)
def _digits_raw() -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(DIGITS_FILE, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    return table[:, :-1], table[:, -1].astype(np.int64)


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The UCI handwritten digits: X (1797, 64) pixel counts 0..16, y (1797,) labels 0..9."""
    X, y = _digits_raw()
    return X.copy(), y.copy()


def spirals(n: int, rng: np.random.Generator, noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals (TensorFlow Playground's hardest set), n points, 2 classes."""
    k = n // 2
    t = np.sqrt(rng.uniform(0, 1, k)) * 3 * math.pi
    arms = []
    for sign in (1, -1):
        xy = sign * np.stack([t * np.cos(t), t * np.sin(t)], axis=1)
        arms.append(xy + rng.normal(0, noise * 3, (k, 2)))
    return np.concatenate(arms), np.repeat([0, 1], k)


def moons(n: int, rng: np.random.Generator, noise: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``), 2 classes."""
    k = n // 2
    a = rng.uniform(0, math.pi, k)
    b = rng.uniform(0, math.pi, k)
    outer = np.stack([np.cos(a), np.sin(a)], axis=1)
    inner = np.stack([1 - np.cos(b), 0.5 - np.sin(b)], axis=1)
    X = np.concatenate([outer, inner]) + rng.normal(0, noise, (2 * k, 2))
    return X, np.repeat([0, 1], k)


def circles(n: int, rng: np.random.Generator, noise: float = 0.08) -> tuple[np.ndarray, np.ndarray]:
    """A disc inside a ring (as ``make_circles`` with factor 0.5), 2 classes."""
    k = n // 2
    angles = rng.uniform(0, 2 * math.pi, 2 * k)
    radius = np.repeat([1.0, 0.5], k)
    X = radius[:, None] * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return X + rng.normal(0, noise, (2 * k, 2)), np.repeat([0, 1], k)


def xor(n: int, rng: np.random.Generator, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]^2 labelled by the sign of x * y (four quadrants, 2 classes)."""
    X = rng.uniform(-1, 1, (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return X + rng.normal(0, noise, (n, 2)), y


GENERATORS = {"spirals": spirals, "moons": moons, "circles": circles, "xor": xor}


def stratified_split(
    y: np.ndarray, val_fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, val) such that each class puts round(val_fraction * count) in val."""
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    train, val = [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_val = int(round(val_fraction * len(idx)))
        val.append(idx[:n_val])
        train.append(idx[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def from_arrays(
    X: np.ndarray, y: np.ndarray, val_fraction: float = 0.2, seed: int = 0, name: str = "custom"
) -> Dataset:
    """Split ``X`` (N, D) / ``y`` (N,) and standardise with the training split's statistics.

    Labels may be any values; they are mapped to 0..C-1 in sorted order.
    """
    X = np.asarray(X)
    if X.ndim != 2 or len(X) != len(y):
        raise ValueError(f"X must be (N, D) and y (N,), got {X.shape} and {np.shape(y)}")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values")
    classes, y = np.unique(np.asarray(y), return_inverse=True)
    tr, va = stratified_split(y, val_fraction, np.random.default_rng(seed))
    return standardised(X[tr], y[tr], X[va], y[va], len(classes), name)


def status(name: str) -> str:
    """Whether ``load(name)`` can work here: ``"ok"`` always for :data:`SHIPPED`; for
    :data:`DOWNLOADED`, ``"ok"`` once downloaded and verified by SHA-256, else ``"missing"`` or
    ``"corrupt"`` (:func:`core.fashion_mnist.status`). Unknown names raise ``ValueError``."""
    if name == "fashion_mnist":
        from . import fashion_mnist  # on demand: it imports urllib, which most runs never need

        return fashion_mnist.status()
    if name not in NAMES:
        raise ValueError(f"unknown data set {name!r}; valid data sets: {', '.join(NAMES)}")
    return "ok"


def available(name: str) -> bool:
    """``status(name) == "ok"``: the data set can be loaded here."""
    return status(name) == "ok"


def load(name: str, seed: int = 0, val_fraction: float = 0.2) -> Dataset:
    """Load ``name`` (one of :data:`NAMES`); ``seed`` fixes the synthetic draw and the split.

    ``fashion_mnist`` keeps its official split (``seed`` and ``val_fraction`` do not apply) and
    raises ``fashion_mnist.NotDownloaded`` until it has been downloaded once.
    """
    if name == "fashion_mnist":
        from . import fashion_mnist

        return fashion_mnist.load()
    if name == "digits":
        X, y = digits()
    elif name in GENERATORS:
        rng = np.random.default_rng([seed, 1])
        X, y = GENERATORS[name](SYNTHETIC_SIZE, rng)
    else:
        raise ValueError(f"unknown data set {name!r}; valid data sets: {', '.join(NAMES)}")
    return from_arrays(X, y, val_fraction, seed, name)
