"""Data sets: two real ones shipped with the project (the 8x8 digits and the Wisconsin breast
cancer measurements), seeded synthetic 2-D sets, and Fashion-MNIST once downloaded
(:mod:`core.fashion_mnist`).

Every data set is split into stratified training / validation parts (each class keeps its
share) and, by default, standardised with the training split's statistics only; a constant
feature (many digit pixels are always 0) is centred but not divided by its zero standard
deviation. ``load(name, standardize=False)`` keeps the raw values instead (as float32), e.g.
breast_cancer's features from about 0.001 to about 4,000, to show what standardisation does
and that a batch-normalization layer on the inputs can stand in for it.
"""

from __future__ import annotations

import functools
import gzip
import math
from pathlib import Path

import numpy as np

from .data import Dataset, prepared  # Dataset offered here too: datasets.Dataset is the API name

#: data/ of a checkout; an installed copy (``pip install .``) holds it as the package core.shipped
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
if not (DATA_DIR / "digits.csv.gz").exists():
    DATA_DIR = Path(__file__).resolve().parent / "shipped"
DIGITS_FILE = DATA_DIR / "digits.csv.gz"
BREAST_CANCER_FILE = DATA_DIR / "breast_cancer.csv.gz"

#: data sets that come with the project, and those that need a one-time download
SHIPPED = ("digits", "spirals", "moons", "circles", "xor", "breast_cancer")
#: the shipped data sets read from a file in data/ (the rest are drawn by a generator)
REAL = ("digits", "breast_cancer")
DOWNLOADED = ("fashion_mnist",)  # see core.fashion_mnist
NAMES = SHIPPED + DOWNLOADED
#: samples drawn for the synthetic sets
SYNTHETIC_SIZE = 600


@functools.cache  # two files at most: each read once per process
def read_table(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """A shipped data file: gzipped CSV rows of features then the class label, no header.
    Returns X (N, D) float32 and y (N,) int64 (read once per process; callers copy)."""
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    return table[:, :-1], table[:, -1].astype(np.int64)


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The UCI handwritten digits: X (1797, 64) pixel counts 0..16, y (1797,) labels 0..9."""
    X, y = read_table(DIGITS_FILE)
    return X.copy(), y.copy()


def breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """The Breast Cancer Wisconsin (Diagnostic) data: X (569, 30), y (569,) labels
    0 = malignant (212), 1 = benign (357).

    Each row describes the cell nuclei in a digitised image of a fine-needle aspirate: ten
    measurements (radius, texture, perimeter, area, smoothness, compactness, concavity, concave
    points, symmetry, fractal dimension), each as the mean, the standard error and the worst
    value over the nuclei (columns 0-9, 10-19, 20-29). Their scales differ widely: the
    standard errors of smoothness and fractal dimension are about 0.001 to 0.03, the worst area
    185 to 4,254 (the standard deviations span a factor of about 200,000).
    """
    X, y = read_table(BREAST_CANCER_FILE)
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
    X: np.ndarray,
    y: np.ndarray,
    val_fraction: float = 0.2,
    seed: int = 0,
    name: str = "custom",
    standardize: bool = True,
) -> Dataset:
    """Split ``X`` (N, D) / ``y`` (N,) and standardise with the training split's statistics
    (``standardize=False``: keep the raw values, as float32; see :func:`core.data.prepared`).

    Labels may be any values; they are mapped to 0..C-1 in sorted order.
    """
    X = np.asarray(X)
    if X.ndim != 2 or len(X) != len(y):
        raise ValueError(f"X must be (N, D) and y (N,), got {X.shape} and {np.shape(y)}")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values")
    classes, y = np.unique(np.asarray(y), return_inverse=True)
    tr, va = stratified_split(y, val_fraction, np.random.default_rng(seed))
    return prepared(X[tr], y[tr], X[va], y[va], len(classes), name, bool(standardize))


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


def load(name: str, seed: int = 0, val_fraction: float = 0.2, standardize: bool = True) -> Dataset:
    """Load ``name`` (one of :data:`NAMES`); ``seed`` fixes the synthetic draw and the split.

    ``standardize=False`` keeps the raw feature values (float32; ``Dataset.standardized`` is
    False, ``mean`` 0 and ``scale`` 1). ``fashion_mnist`` keeps its official split (``seed``
    and ``val_fraction`` do not apply) and raises ``fashion_mnist.NotDownloaded`` until it has
    been downloaded once.
    """
    if name == "fashion_mnist":
        from . import fashion_mnist

        return fashion_mnist.load(standardize=standardize)
    if name == "digits":
        X, y = digits()
    elif name == "breast_cancer":
        X, y = breast_cancer()
    elif name in GENERATORS:
        rng = np.random.default_rng([seed, 1])
        X, y = GENERATORS[name](SYNTHETIC_SIZE, rng)
    else:
        raise ValueError(f"unknown data set {name!r}; valid data sets: {', '.join(NAMES)}")
    return from_arrays(X, y, val_fraction, seed, name, standardize)
