"""Per-layer measurements of a network on a fixed probe batch.

One probe pass = a training-mode forward (batch statistics in BN, moving averages left
untouched), the loss, and a backward. From it, for every Dense layer ``k = 1..L`` (the output
layer is ``L``):

- ``grad_norm``: ||dL/dW_k||_2, the signature of vanishing (tiny in the lower layers) or
  exploding (huge) gradients; ``grad_std``, ``weight_std``.
- ``act_mean``, ``act_std``: of the block's output (after its activation and any BN); for the
  output layer, of the logits.
- ``saturated``: share of (sample, unit) pairs where f'(z) < 10 % of the activation's largest
  derivative (sigmoid, tanh, elu, selu, gelu, swish; NaN for activations that do not saturate).
- ``dead``: share of units with z <= 0 for every probe sample (ReLU family; NaN otherwise):
  a dead ReLU gets no gradient at all, while a leaky ReLU or ELU unit in that state still does.

Histograms use edges shared by every layer, epoch and run so that charts compare:
``log10 |dL/dW|`` on :data:`GRAD_LOG_EDGES` and activations on :data:`ACT_EDGES`; values beyond
the ends are counted in the end bins (zero gradients in the lowest).
"""

from __future__ import annotations

import numpy as np

from . import losses
from .layers import Activation, Dense
from .network import Network

GRAD_LOG_EDGES = np.arange(-10.0, 4.0 + 1e-9, 0.25)
ACT_EDGES = np.arange(-5.0, 5.0 + 1e-9, 0.2)
SATURATION_LEVEL = 0.1


def binned_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts of ``values`` in the uniform bins ``edges`` (len(edges) - 1 bins), out-of-range
    values in the end bins, non-finite values ignored."""
    v = values[np.isfinite(values)]
    width = edges[1] - edges[0]
    idx = np.floor((v - edges[0]) / width).astype(np.int64)
    np.clip(idx, 0, len(edges) - 2, out=idx)
    return np.bincount(idx, minlength=len(edges) - 1)


def log10_abs(values: np.ndarray) -> np.ndarray:
    """log10 |values|, with zeros mapped below the lowest histogram edge instead of -inf."""
    return np.log10(np.maximum(np.abs(values), 1e-30))


def probe_pass(net: Network, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Forward (training mode, moving stats untouched) + backward on the probe batch.
    Leaves every layer's grads and cached activations in place; returns the logits (P, C)."""
    logits = net.forward(X, training=True, update_moving_stats=False)
    _, dlogits = losses.softmax_cross_entropy(logits, y)
    net.backward(dlogits)
    return logits


def layer_statistics(net: Network, X: np.ndarray, y: np.ndarray) -> tuple[list, list, list]:
    """Run a probe pass and measure every Dense layer.

    Args:
        net: the network (its grads are overwritten).
        X: (P, D) probe inputs; y: (P,) labels.
    Returns:
        (layer_rows, grad_hist, act_hist): ``layer_rows`` a list of dicts with keys ``layer,
        grad_norm, grad_std, weight_std, act_mean, act_std, saturated, dead``; the histograms
        as lists of ``(layer, counts)`` with counts on the shared edges.
    """
    logits = probe_pass(net, X, y)
    blocks = net.blocks()
    rows, grad_hist, act_hist = [], [], []
    for k, block in enumerate(blocks, start=1):
        dense: Dense = block[0]
        is_output = k == len(blocks)
        out = logits if is_output else blocks[k][0]._x
        act = next((layer for layer in block if isinstance(layer, Activation)), None)
        g = dense.grads["W"]
        saturated = dead = np.nan
        if act is not None and act.fn.saturates:
            d = act.fn.derivative(act.z, act.a)
            saturated = float((np.abs(d) < SATURATION_LEVEL * act.fn.max_derivative).mean())
        if act is not None and act.fn.can_die:
            dead = float((act.z <= 0).all(axis=0).mean())
        rows.append(
            {
                "layer": k,
                "grad_norm": float(np.linalg.norm(g)),
                "grad_std": float(g.std()),
                "weight_std": float(dense.params["W"].std()),
                "act_mean": float(out.mean()),
                "act_std": float(out.std()),
                "saturated": saturated,
                "dead": dead,
            }
        )
        grad_hist.append((k, binned_counts(log10_abs(g), GRAD_LOG_EDGES)))
        act_hist.append((k, binned_counts(out.ravel(), ACT_EDGES)))
    return rows, grad_hist, act_hist
