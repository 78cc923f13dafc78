"""Loss functions. Each returns ``(loss, dloss/dinput)`` with the loss averaged over the batch."""

from __future__ import annotations

import numpy as np


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``z - logsumexp(z)``, shifted by the row maximum so nothing overflows."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels.

    Args:
        logits: (N, C) scores.
        y: (N,) integer class labels in [0, C).
    Returns:
        loss: ``-mean_n log softmax(logits)[n, y_n]`` as a Python float; large but finite for
            huge logits (log-sum-exp in float64), non-finite only if the logits are.
        dlogits: (N, C) ``(softmax(logits) - onehot(y)) / N``.
    """
    n = logits.shape[0]
    # Explicitly in float64: (N, C) is tiny, and a gap between float32 logits may exceed the
    # float32 range (3e38 - (-3e38)); the gradient is handed back in the logits' dtype.
    logp = log_softmax(logits.astype(np.float64))
    rows = np.arange(n)
    loss = -float(logp[rows, y].mean())
    dlogits = np.exp(logp).astype(logits.dtype)
    dlogits[rows, y] -= 1
    dlogits /= n
    return loss, dlogits


def mse(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over all elements (Keras ``mse``, averaged over the batch too).

    pred, target: (N, K). Returns ``mean (pred - target)^2`` and ``2 (pred - target) / (N K)``.
    """
    diff = pred - target
    return float((diff * diff).mean()), diff * (2.0 / diff.size)


def accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    """Share of rows whose largest logit is the label."""
    return float((logits.argmax(axis=1) == y).mean())
