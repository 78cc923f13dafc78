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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DIGITS_FILE = DATA_DIR / "digits.csv.gz"

#: data sets that come with the project, and those that need a one-time download
SHIPPED = ("digits", "spirals", "moons", "circles", "xor")
DOWNLOADED = ("fashion_mnist",)  # see core.fashion_mnist
NAMES = SHIPPED + DOWNLOADED
#: samples drawn for the synthetic sets
SYNTHETIC_SIZE = 600


@dataclass(frozen=True)
class Dataset:
    """A standardised, split data set.

    Attributes:
        X_train: (N_train, D) float32; y_train: (N_train,) int64 labels in [0, n_classes).
        X_val:   (N_val, D) float32;   y_val:   (N_val,) int64.
        n_classes: number of classes.
        name: data set name.
        mean, scale: (D,) the standardisation ``(x - mean) / scale`` fitted on the training split.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    n_classes: int
    name: str
    mean: np.ndarray
    scale: np.ndarray

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_samples(self) -> int:
        return len(self.X_train) + len(self.X_val)


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


#: rows standardised at a time, so that a large uint8 data set never exists in float64 whole
ROWS_PER_CHUNK = 4096


def standardised(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    n_classes: int,
    name: str,
) -> Dataset:
    """A :class:`Dataset` of already split data, standardised with the training split's
    statistics: ``(x - mean) / scale`` with ``scale = std``, or 1 for a constant feature.

    Statistics accumulate in float64 over row chunks (two passes: the mean, then the centred
    squares) and the outputs are float32, so that inputs of any numeric dtype, e.g. 60,000
    uint8 images, never need a whole float64 copy.
    """

    def chunks(A: np.ndarray):
        for i in range(0, len(A), ROWS_PER_CHUNK):
            yield i, A[i : i + ROWS_PER_CHUNK].astype(np.float64)

    n = len(X_train)
    mean = sum(chunk.sum(axis=0) for _, chunk in chunks(X_train)) / n
    var = sum(((chunk - mean) ** 2).sum(axis=0) for _, chunk in chunks(X_train)) / n
    std = np.sqrt(var)
    scale = np.where(std > 1e-12, std, 1.0)

    def apply(A: np.ndarray) -> np.ndarray:
        out = np.empty(A.shape, np.float32)
        for i, chunk in chunks(A):
            out[i : i + len(chunk)] = (chunk - mean) / scale
        return out

    return Dataset(
        apply(X_train),
        np.asarray(y_train, np.int64),
        apply(X_val),
        np.asarray(y_val, np.int64),
        n_classes,
        name,
        mean.astype(np.float32),
        scale.astype(np.float32),
    )


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


def available(name: str) -> bool:
    """Whether ``load(name)`` can work here: always for :data:`SHIPPED`, once downloaded for
    :data:`DOWNLOADED`."""
    if name == "fashion_mnist":
        from . import fashion_mnist

        return fashion_mnist.is_downloaded()
    return name in NAMES


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
