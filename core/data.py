"""The :class:`Dataset` record and the standardisation data sets go through by default (or,
on request, raw inputs), :func:`prepared`.

Kept apart from :mod:`core.datasets` so that each source of data (the shipped and synthetic
sets there, Fashion-MNIST in :mod:`core.fashion_mnist`) builds on this module and imports
point one way: ``datasets -> data``, ``fashion_mnist -> data`` and ``datasets -> fashion_mnist``
(on demand, so that ``python -m core.fashion_mnist`` runs a module not yet imported).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """A split data set, standardised unless built with ``prepared(..., standardize=False)``.

    Attributes:
        X_train: (N_train, D) float32; y_train: (N_train,) int64 labels in [0, n_classes).
        X_val:   (N_val, D) float32;   y_val:   (N_val,) int64.
        n_classes: number of classes.
        name: data set name.
        mean, scale: (D,) the map ``(x - mean) / scale`` that turned the original features into
            ``X_*``: fitted on the training split when standardised, mean 0 and scale 1 (the
            identity) for raw inputs.
        standardized: whether ``X_*`` are standardised (False: the original values, as float32).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    n_classes: int
    name: str
    mean: np.ndarray
    scale: np.ndarray
    standardized: bool = True

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_samples(self) -> int:
        return len(self.X_train) + len(self.X_val)


#: rows standardised at a time, so that a large uint8 data set never exists in float64 whole
ROWS_PER_CHUNK = 4096


def prepared(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    n_classes: int,
    name: str,
    standardize: bool = True,
) -> Dataset:
    """A :class:`Dataset` of already split data, standardised with the training split's
    statistics: ``(x - mean) / scale`` with ``scale = std``, or 1 for a constant feature.
    With ``standardize=False`` the data as it comes: the map is the identity (``mean`` 0,
    ``scale`` 1), the features only cast to float32 (as training computes in float32), for
    showing what standardisation does and that a batch-normalization layer on the inputs
    (``ModelConfig.input_batchnorm``) can stand in for it.

    Statistics accumulate in float64 over row chunks (two passes: the mean, then the centred
    squares) and the outputs are fresh float32 arrays, so that inputs of any numeric dtype, e.g.
    60,000 uint8 images, never need a whole float64 copy.
    """

    def chunks(A: np.ndarray):
        for i in range(0, len(A), ROWS_PER_CHUNK):
            yield i, A[i : i + ROWS_PER_CHUNK].astype(np.float64)

    if standardize:
        n = len(X_train)
        mean = sum(chunk.sum(axis=0) for _, chunk in chunks(X_train)) / n
        var = sum(((chunk - mean) ** 2).sum(axis=0) for _, chunk in chunks(X_train)) / n
        std = np.sqrt(var)
        scale = np.where(std > 1e-12, std, 1.0)
    else:
        mean, scale = np.zeros(np.shape(X_train)[1]), np.ones(np.shape(X_train)[1])

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
        standardized=bool(standardize),
    )
