"""Decision boundaries of a 2-D classifier, for drawing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .network import Network


def decision_grid(
    net: Network, X: np.ndarray, steps: int = 60, margin: float = 0.5
) -> pd.DataFrame:
    """The network's prediction on a ``steps`` x ``steps`` grid covering the 2-D inputs ``X``.

    Returns a frame ``x, y, x2, y2, label, confidence``: one cell per row ([x, x2] x [y, y2]),
    the predicted class and its softmax probability, computed in inference mode.
    """
    if X.shape[1] != 2:
        raise ValueError(f"decision boundaries need 2-D inputs, got {X.shape[1]} features")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs = np.linspace(lo[0], hi[0], steps + 1, dtype=np.float32)
    ys = np.linspace(lo[1], hi[1], steps + 1, dtype=np.float32)
    cx, cy = (xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2
    gx, gy = np.meshgrid(cx, cy)
    logits = net.predict(np.column_stack([gx.ravel(), gy.ravel()]).astype(net.dtype))
    shifted = logits - logits.max(axis=1, keepdims=True)
    prob = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    ix, iy = np.meshgrid(np.arange(steps), np.arange(steps))
    return pd.DataFrame(
        {
            "x": xs[ix.ravel()],
            "x2": xs[ix.ravel() + 1],
            "y": ys[iy.ravel()],
            "y2": ys[iy.ravel() + 1],
            "label": prob.argmax(axis=1),
            "confidence": prob.max(axis=1),
        }
    )
