"""Per-layer measurements of a network on a fixed probe batch.

One probe pass = a training-mode forward (batch statistics in BN, moving averages left
untouched), the loss, and a backward. From it, for every Dense layer ``k = 1..L`` (the output
layer is ``L``):

- ``grad_norm``: ||dL/dW_k||_2, the signature of vanishing (tiny in the lower layers) or
  exploding (huge) gradients; ``weight_std``: std of W_k.
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

import math

import numpy as np

from . import losses
from .layers import Activation
from .network import Network

GRAD_LOG_EDGES = np.arange(-10.0, 4.0 + 1e-9, 0.25)
ACT_EDGES = np.arange(-5.0, 5.0 + 1e-9, 0.2)
SATURATION_LEVEL = 0.1


class Histogrammer:
    """Histograms of a fixed list of arrays on shared uniform bins, one row per array.

    Args:
        sizes: number of elements of each array (fixed for a network and probe batch).
        edges: uniform bin edges; ``len(edges) - 1`` bins.
        log10_abs: bin ``log10 |values|`` instead of the values (zeros fall in the lowest bin).

    Values beyond the ends are counted in the end bins (inf included); NaN is ignored. All
    arrays are binned in one pass over preallocated buffers: a handful of NumPy operations for
    the whole network instead of a dozen per layer, and no fresh pages for the OS to map.
    """

    def __init__(self, sizes: list[int], edges: np.ndarray, log10_abs: bool = False):
        self.nbins = len(edges) - 1
        self.lo, self.width = float(edges[0]), float(edges[1] - edges[0])
        self.log10_abs = log10_abs
        self.values = np.empty(sum(sizes), np.float32)
        self.bin32 = np.empty(sum(sizes), np.int32)
        self.index = np.empty(sum(sizes), np.intp)  # what bincount takes without a copy
        owner = np.repeat(np.arange(len(sizes), dtype=np.intp), sizes)
        self.offsets = owner * self.nbins  # array k's bins start at k * nbins
        self.n_arrays = len(sizes)

    def __call__(self, arrays: list[np.ndarray]) -> np.ndarray:
        """arrays: as many as ``sizes``, of those sizes -> counts (len(arrays), n_bins)."""
        v = self.values
        np.concatenate([a.ravel() for a in arrays], out=v, casting="same_kind")
        if self.log10_abs:  # log10|v| = ln|v| / ln 10; np.log is much faster than np.log10
            np.abs(v, out=v)
            np.maximum(v, 1e-30, out=v)
            np.log(v, out=v)
            v *= 1.0 / (math.log(10.0) * self.width)
            v -= self.lo / self.width
        else:
            v -= self.lo
            v *= 1.0 / self.width
        nan = np.isnan(v) if not math.isfinite(float(v.sum())) else None  # rare: look only then
        np.maximum(v, 0, out=v)
        np.minimum(v, self.nbins - 1, out=v)
        # truncation = floor, as v >= 0; via int32, as NumPy's float32 -> int64 cast is slow
        np.copyto(self.bin32, v, casting="unsafe")
        np.add(self.bin32, self.offsets, out=self.index)
        total = self.n_arrays * self.nbins
        index = self.index if nan is None else np.where(nan, total, self.index)  # NaN: spare bin
        counts = np.bincount(index, minlength=total + 1)[:total]
        return counts.reshape(self.n_arrays, self.nbins)


def mean_std(x: np.ndarray) -> tuple[float, float]:
    """Mean and (population) standard deviation of all elements; std via one BLAS dot of the
    centred values, several times faster than ``ndarray.std`` for small arrays."""
    m = float(x.sum()) / x.size
    c = x - m
    return m, math.sqrt(float(np.vdot(c, c)) / x.size)


def probe_pass(net: Network, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Forward (training mode, moving stats untouched) + backward on the probe batch.
    Leaves every layer's grads and cached activations in place; returns the logits (P, C)."""
    logits = net.forward(X, training=True, update_moving_stats=False)
    _, dlogits = losses.softmax_cross_entropy(logits, y)
    net.backward(dlogits, input_grad=False)
    return logits


class Probe:
    """Measures a network, layer by layer, on a fixed probe batch.

    Args:
        net: the network (measuring overwrites its grads and cached activations).
        X: (P, D) probe inputs; y: (P,) labels.
    """

    def __init__(self, net: Network, X: np.ndarray, y: np.ndarray):
        self.net, self.X, self.y = net, X, y
        self.blocks = net.blocks()
        self.acts = [next((a for a in b if isinstance(a, Activation)), None) for b in self.blocks]
        widths = [block[0].fan_out for block in self.blocks]
        self.grad_hist = Histogrammer(
            [block[0].fan_in * block[0].fan_out for block in self.blocks], GRAD_LOG_EDGES, True
        )
        self.act_hist = Histogrammer([len(X) * w for w in widths], ACT_EDGES)

    def measure(self) -> tuple[list[dict], np.ndarray, np.ndarray]:
        """Run a probe pass and measure every Dense layer.

        Returns:
            (layer_rows, grad_hist, act_hist): ``layer_rows`` a list of dicts with keys
            ``layer, grad_norm, weight_std, act_mean, act_std, saturated, dead``; the
            histograms as (L, n_bins) counts on the shared edges, row ``k - 1`` for layer ``k``.
        """
        logits = probe_pass(self.net, self.X, self.y)
        kernel_grads = [block[0].grads["W"] for block in self.blocks]
        outputs = [block[0]._x for block in self.blocks[1:]] + [logits]  # each block's output
        rows = []
        for k, (block, act, g, out) in enumerate(
            zip(self.blocks, self.acts, kernel_grads, outputs), start=1
        ):
            saturated = dead = np.nan
            if act is not None and act.fn.saturates:
                d = act.fn.derivative(act.z, act.a)
                saturated = float((np.abs(d) < SATURATION_LEVEL * act.fn.max_derivative).mean())
            if act is not None and act.fn.can_die:
                dead = float((act.z.max(axis=0) <= 0).mean())
            act_mean, act_std = mean_std(out)
            rows.append(
                {
                    "layer": k,
                    "grad_norm": math.sqrt(float(np.vdot(g, g))),
                    "weight_std": mean_std(block[0].params["W"])[1],
                    "act_mean": act_mean,
                    "act_std": act_std,
                    "saturated": saturated,
                    "dead": dead,
                }
            )
        return rows, self.grad_hist(kernel_grads), self.act_hist(outputs)
