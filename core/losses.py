"""Loss functions. Each returns ``(loss, dloss/dinput)`` with the loss averaged over the batch."""

from __future__ import annotations

import numpy as np


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels.

    Args:
        logits: (N, C) scores.
        y: (N,) integer class labels in [0, C).
    Returns:
        loss: ``-mean_n log softmax(logits)[n, y_n]`` as a Python float, computed as
            ``logsumexp(z) - z_y`` on logits shifted by their row maximum: large but finite for
            huge logits, non-finite only when they (or their gaps) overflow the dtype.
        dlogits: (N, C) ``(softmax(logits) - onehot(y)) / N``, in the logits' dtype.
    """
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1, keepdims=True)
    loss = float((np.log(sum_exp[:, 0]) - shifted[rows, y]).mean())
    dlogits = exp / sum_exp
    dlogits[rows, y] -= 1
    dlogits /= n
    return loss, dlogits


def accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    """Share of rows whose largest logit is the label."""
    return float((logits.argmax(axis=1) == y).mean())
