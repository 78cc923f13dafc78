"""Per-layer measurements of a network on a fixed probe batch.

One probe pass = a training-mode forward (batch statistics in BN, moving averages left
untouched), the loss, and a backward. From it, for every Dense layer ``k = 1..L`` (the output
layer is ``L``; a BatchNorm on the inputs, before layer 1, is part of no layer's row), with ``z_k = x_k W_k + b_k`` the Dense layer's output (its pre-activation,
before any BN in the "before" placement; for the output layer, the logits). In ``saturated``,
``dead``, ``slope_mean`` and ``slope_rms``, ``z`` is the input of the layer's activation: ``z_k``, or
``BN(z_k)`` in the "before" placement.

- ``is_output``: True for the output layer ``L`` only (one row per measurement).
- ``grad_norm``: ||dL/dW_k||_2, the norm of the weight gradient, which the update applies.
- ``bias_grad_norm``: ||dL/db_k||_2, the norm of the bias gradient (NaN for a Dense layer
  without bias, as before BN). With all-zero weights it is the only gradient left: the output
  layer's bias gradient is ``sum(softmax - onehot)`` over the batch, while every weight
  gradient is exactly 0.
- ``backprop_norm``: ||dL/dz_k||_2 over the probe batch (Frobenius norm of the (P, M) matrix),
  the back-propagated signal that vanishes or explodes. It is what ``Dense.backward``
  receives; for a plain network ``dL/dz_k = (dL/dz_{k+1} W_{k+1}^T) * f'(z_k)``. The two norms
  can disagree: with ReLU and std-1 weights the signal explodes towards the input while
  ``dL/dW_k = x_k^T dL/dz_k`` stays level, because the activations ``x_k`` shrink towards the
  input just as fast (Glorot and Bengio, 2010, section 4.2).
- ``act_mean``, ``act_std``: of the block's output (after its activation and any BN); for the
  output layer, of the logits.
- ``saturated``: share of (sample, unit) pairs where f'(z) < 10 % of the activation's largest
  derivative (sigmoid, tanh, elu, selu, gelu, swish; NaN for activations that do not saturate).
- ``dead``: share of units with z <= 0 for every probe sample (ReLU family; NaN otherwise):
  a dead ReLU gets no gradient at all, while a leaky ReLU or ELU unit in that state still does.
  Being cheap, it is read on the probe, which overstates it: a unit active for 3 % of inputs
  stays silent on all 64 probe samples with probability 0.97^64 = 14 %. At initialization
  (ReLU, He normal, digits, 10 x 100, seed 0) 8.4 % of the units read dead on the 64-sample
  probe, 3.6 % on the whole training split.
- ``slope_mean``: mean over (sample, unit) of |f'(z)| (sigmoid <= 1/4, tanh <= 1, ReLU's is
  the share of active pairs); NaN for the output layer, which has no activation.
- ``slope_rms``: sqrt(mean over (sample, unit) of f'(z)^2), the root-mean-square slope. It, not
  the mean, sets the size of the back-propagated signal: ||dL/dz_k||^2 = sum of
  (f'(z_k) * (dL/dz_{k+1} W_{k+1}^T))^2, so with weights independent of the signal
  ||dL/dz_k|| ~ slope_rms_k * sqrt(fan_out_{k+1} Var W_{k+1}) * ||dL/dz_{k+1}|| (Glorot and
  Bengio, 2010; He et al., 2015). For ReLU with He weights, slope_rms = sqrt(1/2) and
  sqrt(fan Var W) = sqrt(2): a factor of 1 per layer, while the mean slope, 1/2, would predict a
  halving at every layer.
- ``distinct_units``: how many of the layer's units differ in their parameters (incoming
  weights, bias, and BN's gamma and beta in the layer's block), see :func:`distinct_units`.
  Read from the parameters, not the probe. Random initialization gives ``width`` distinct
  units; ``zeros`` or ``constant`` weights give 1, and nothing in training breaks the tie: units
  that start equal receive equal gradients. Measured on digits (10 x 100, 5 epochs) it stays 1
  with SGD and momentum, with or without BN (before or after), for ``zeros`` and a constant
  0.01 alike. The copies drift apart only by float32 round-off (BLAS rounds the columns of a
  product slightly differently): at most 5e-7 of the largest weight with SGD or momentum and
  5e-6 with Adam. Adam together with BN and a constant != 0 is the exception: BN's output does
  not depend on a column's scale, so the true gradient that would keep the copies together is
  tiny, and Adam, which divides each update by the gradient's own size, blows the round-off up
  into steps of ordinary size; the copies end up differing by 1e-1 and the count grows. With
  ``zeros`` every gradient is exactly 0 and nothing drifts at all.

Histograms use edges shared by every layer, epoch and run so that charts compare:
``log10 |dL/dW|`` on :data:`GRAD_LOG_EDGES` (values beyond the ends counted in the end bins,
zero gradients in the lowest) and activations on :data:`ACT_EDGES`, whose first and last bins
are overflow bins: ``[-inf, -5)`` and ``[5, inf]``, so an exploding network's activations of
1e8 are counted there, not drawn at 5.

The gradient bins are octaves: bin ``k`` holds ``2^(e0 + k) <= |g| < 2^(e0 + k + 1)``. A float32
stores exactly that ``e`` in its exponent bits, so binning costs a bit shift instead of a
logarithm (a logarithm of every gradient would dominate the diagnostics' time) and is exact,
not subject to the rounding of a computed log at the edges.
"""

from __future__ import annotations

import math

import numpy as np

from . import losses
from .clipping import dot, l2_norm
from .layers import Activation, Dense
from .network import Network

#: Octaves 2^-34 (~6e-11) .. 2^14 (~1.6e4), written as log10 |dL/dW| for the charts.
GRAD_OCTAVES = np.arange(-34, 15)
GRAD_LOG_EDGES = GRAD_OCTAVES * math.log10(2.0)
INF_BITS = int(np.array(np.inf, np.float32).view(np.int32))  # 0x7F800000
#: -inf, -5.0, -4.8, ..., 5.0, inf: 50 bins of width 0.2 between two overflow bins.
ACT_EDGES = np.concatenate([[-np.inf], np.arange(-25, 26) / 5.0, [np.inf]])
SATURATION_LEVEL = 0.1
#: Two units are the same when each of their parameters agrees within this share of the largest
#: |value| of its tensor: 200x the round-off drift of copies (<= 5e-7 with SGD, 5e-6 with Adam),
#: far below the difference of randomly drawn units (of the order of the weights themselves).
SAME_UNIT_RTOL = 1e-4


class Histogrammer:
    """Histograms of a fixed list of arrays on shared bins, one row per array.

    Args:
        sizes: number of elements of each array (fixed for a network and probe batch).
        edges: uniform bin edges, ``len(edges) - 1`` bins: of the values, or with ``octaves``
            the exponents ``e`` of the edges ``2^e`` of ``|values|`` (e.g. :data:`GRAD_OCTAVES`).
            Linear edges may start with ``-inf`` and end with ``inf`` (as :data:`ACT_EDGES`):
            the first and last bins are then overflow bins for the values below and above the
            uniform ones (inf included).
        octaves: bin ``|values|`` by octave (zeros and float32 subnormals fall in the lowest bin).

    Without overflow bins, values beyond the ends are counted in the end bins (inf included).
    NaN is ignored. All arrays are turned into bin numbers in a preallocated buffer (a handful
    of NumPy operations for the whole network instead of a dozen per layer, and no fresh pages
    for the OS to map), then counted array by array.
    """

    def __init__(self, sizes: list[int], edges: np.ndarray, octaves: bool = False):
        self.nbins = len(edges) - 1
        self.overflow = bool(np.isneginf(edges[0]) and np.isposinf(edges[-1]))
        uniform = edges[1:-1] if self.overflow else edges
        # Python floats: NumPy scalars would make float32 arithmetic run in float64
        self.lo = float(uniform[0])
        self.width = float(uniform[-1] - uniform[0]) / (len(uniform) - 1)
        if octaves and not (self.width == 1 and float(self.lo).is_integer() and not self.overflow):
            raise ValueError(f"octave edges must be consecutive integer exponents, got {edges}")
        self.octaves = octaves
        self.values = None if octaves else np.empty(sum(sizes), np.float32)
        self.bins = np.empty(sum(sizes), np.int32)
        bounds = np.cumsum([0, *sizes])
        self.segments = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]

    def __call__(self, arrays: list[np.ndarray]) -> np.ndarray:
        """arrays: as many as ``sizes``, of those sizes -> counts (len(arrays), n_bins)."""
        bins = self._octave_bins(arrays) if self.octaves else self._linear_bins(arrays)
        return np.stack(
            [np.bincount(bins[s], minlength=self.nbins + 1)[: self.nbins] for s in self.segments]
        )

    def _octave_bins(self, arrays: list[np.ndarray]) -> np.ndarray:
        """Bin numbers from the float32 bits: sign (bit 31) dropped, then bits 23..30 hold the
        binary exponent plus 127 (0 for zero and subnormals; 255 for inf, and NaN, whose bits
        are the only ones above inf's)."""
        bits = self.bins
        for a, s in zip(arrays, self.segments):
            a32 = np.asarray(a, np.float32).reshape(-1)
            np.bitwise_and(a32.view(np.int32), 0x7FFFFFFF, out=bits[s])
        nan = np.nonzero(bits > INF_BITS)[0] if bits.max() > INF_BITS else None
        np.right_shift(bits, 23, out=bits)
        bits -= 127 + int(self.lo)
        np.clip(bits, 0, self.nbins - 1, out=bits)
        if nan is not None:  # rare (a diverging run): NaN goes to a spare bin, not counted
            bits[nan] = self.nbins
        return bits

    def _linear_bins(self, arrays: list[np.ndarray]) -> np.ndarray:
        """Bin numbers floor((v - lo) / width), plus 1 with overflow bins (so that every v < lo
        lands in bin 0), clamped to the end bins; NaN to a spare bin. ``lo`` is subtracted, not
        ``lo - width``: an exact edge, e.g. -5.0, then gives exactly 0 and starts its bin."""
        v = self.values
        with np.errstate(all="ignore"):  # inf and NaN are expected
            for a, s in zip(arrays, self.segments):
                np.subtract(a.reshape(-1), self.lo, out=v[s], casting="same_kind")
            v *= 1.0 / self.width
            if self.overflow:
                v += 1.0
            np.maximum(v, 0, out=v)  # keeps NaN, which max() then reports
            np.minimum(v, self.nbins - 1, out=v)
            # truncation = floor, as v >= 0; into int32, as NumPy's float32 -> int64 is slow
            np.copyto(self.bins, v, casting="unsafe")
            if math.isnan(float(v.max())):  # rare (a diverging run)
                self.bins[np.isnan(v)] = self.nbins
        return self.bins


def mean_std(x: np.ndarray) -> tuple[float, float]:
    """Mean and (population) standard deviation of all elements; std via one BLAS dot of the
    centred values, several times faster than ``ndarray.std`` for small arrays. Values too
    large for float32 sums (an exploding network's activations) are summed in float64 (NumPy
    warns of the float32 overflow unless the caller silences it, as :class:`Probe` does)."""
    total = float(x.sum())
    if math.isinf(total) and np.isfinite(x).all():
        total = float(x.sum(dtype=np.float64))
    m = total / x.size
    c = x - m
    return m, math.sqrt(dot(c, c) / x.size)


class UpdateRatio:
    """Karpathy's update:data ratio of one optimizer step, per Dense kernel:
    ``||W_after - W_before|| / ||W_before||`` (Frobenius norms; around 1e-3 is healthy, much
    smaller barely learns, near 1 or more rewrites the weights each step; NaN for a zero kernel).

    Args:
        net: the flattened network; flat_params: its (P,) parameter vector (``Network.flatten``).

    Call :meth:`before` just before the step and :meth:`ratios` right after it. One copy of the
    parameter vector into a buffer kept for the whole run, and one dot product per kernel.
    """

    def __init__(self, net: Network, flat_params: np.ndarray):
        self.flat = flat_params
        self.saved = np.empty_like(flat_params)
        self.kernels = net.kernel_views(flat_params)
        self.deltas = net.kernel_views(self.saved)  # W_before, then W_after - W_before
        self.norms_before: list[float] = []

    def before(self) -> None:
        np.copyto(self.saved, self.flat)
        self.norms_before = [l2_norm(w) for w in self.kernels]

    def ratios(self) -> list[float]:
        np.subtract(self.flat, self.saved, out=self.saved)
        return [
            l2_norm(d) / n if n > 0 else math.nan for d, n in zip(self.deltas, self.norms_before)
        ]


def probe_pass(net: Network, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Forward (training mode, moving stats untouched) + backward on the probe batch.

    The backward makes the calls of ``Network.backward`` (layers in reverse, no dL/dx for the
    first layer, a Dense or an input BatchNorm) but walks the layers itself to keep what each
    Dense layer receives, so training's own backward stays as lean as it is. Leaves every
    layer's grads and cached activations in place.

    Returns:
        (logits, douts): logits (P, C); ``douts[k - 1]`` = dL/dz_k (P, fan_out_k), the loss
        gradient with respect to Dense layer k's output, k = 1..L (``douts[-1]`` = dL/dlogits).
    """
    logits = net.forward(X, training=True, update_moving_stats=False)
    _, dout = losses.softmax_cross_entropy(logits, y)
    first, douts = net.layers[0], []
    for layer in reversed(net.layers):
        if isinstance(layer, Dense):
            douts.append(dout)  # each backward returns a fresh array: keeping it is safe
        if layer is first:  # a Dense, or a BatchNorm on the inputs (its gamma, beta grads)
            dout = layer.backward(dout, input_grad=False)
        else:
            dout = layer.backward(dout)
    douts.reverse()
    return logits, douts


def distinct_units(
    kernel: np.ndarray, per_unit: tuple[np.ndarray, ...] = (), rtol: float = SAME_UNIT_RTOL
) -> float:
    """How many of a layer's units are different from each other.

    Args:
        kernel: (fan_in, M), column j the incoming weights of unit j.
        per_unit: the layer's other per-unit parameters, each (M,): bias, BN's gamma and beta.
        rtol: units i and j are the same when every one of their parameters agrees within
            ``tol = rtol * s``, where ``s`` is the largest |value| of all of them (a bias is the
            weight of a constant input, so one scale serves all).

    Returns:
        The number of groups (1 .. M) when units are grouped greedily: a group's first unit,
        in the order of the key below, takes every unit within ``tol`` of it. NaN when a
        parameter is not finite.

    Cost: the units are sorted by their weight in one row of the kernel (the row holding the
    largest weight); two units can only be the same if their keys are within ``tol``, so a
    unit apart from both neighbours is distinct without a comparison. Neighbours with close
    keys are compared in full, all pairs at once; only runs of more than two close keys (a
    layer of copies) are grouped one group at a time. A handful of NumPy operations per layer.
    """
    n = kernel.shape[1]
    top, bottom = int(kernel.argmax()), int(kernel.argmin())  # top's row is the sort key
    largest = max(float(kernel.flat[top]), -float(kernel.flat[bottom]))
    tol = rtol * max([largest, *(float(np.abs(q).max()) for q in per_unit)])
    if not math.isfinite(tol):
        return math.nan
    key = kernel[top // n]
    order = np.argsort(key)
    sorted_key = key[order]
    close = np.flatnonzero(sorted_key[1:] - sorted_key[:-1] <= tol)  # pairs (i, i + 1)
    if not close.size:
        return float(n)
    first, second = order[close], order[close + 1]
    differ = np.abs(kernel[:, first] - kernel[:, second]).max(axis=0) > tol
    for q in per_unit:
        differ |= np.abs(q[first] - q[second]) > tol
    runs: list[list[int]] = []  # [start, stop) in sorted order: neighbours with close keys
    for i, apart in zip(close.tolist(), differ.tolist()):
        if runs and runs[-1][1] == i + 1:
            runs[-1][1] = i + 2
            runs[-1][2] = runs[-1][2] and apart
        else:
            runs.append([i, i + 2, apart])
    count = n - sum(stop - start for start, stop, _ in runs)  # units alone: distinct
    for start, stop, apart in runs:
        if apart and stop - start == 2:  # the usual near miss of two different units
            count += 2
            continue
        units = order[start:stop]
        cols = np.vstack([kernel[:, units], *(q[units].reshape(1, -1) for q in per_unit)])
        while cols.shape[1]:
            same = np.abs(cols - cols[:, :1]).max(axis=0) <= tol
            cols = cols[:, ~same]
            count += 1
    return float(count)


def block_distinct_units(block: list) -> float:
    """:func:`distinct_units` of one block (a Dense layer and what follows it up to the next)."""
    dense = block[0]
    per_unit = [dense.params[k] for k in dense.params if k != "W"]
    per_unit += [layer.params[k] for layer in block[1:] for k in layer.params]
    return distinct_units(dense.params["W"], tuple(per_unit))


def activation_stats(act: Activation | None) -> dict[str, float]:
    """``saturated``, ``dead``, ``slope_mean`` and ``slope_rms`` of one block's activation layer,
    from the (P, M) ``z`` and ``a`` of its last forward (NaN where they do not apply; all NaN for
    the output block, ``act=None``). One evaluation of f'(z) serves every slope statistic."""
    stats = {"saturated": math.nan, "dead": math.nan, "slope_mean": math.nan, "slope_rms": math.nan}
    if act is None:
        return stats
    fn = act.fn
    slope = fn.derivative(act.z, act.a)
    # shares via count_nonzero: several times faster than .mean() of a boolean array
    if slope.dtype == bool:  # ReLU: f' is 0 or 1, handed over as a mask (so f'^2 = f')
        stats["slope_mean"] = np.count_nonzero(slope) / slope.size
        stats["slope_rms"] = math.sqrt(stats["slope_mean"])
    else:
        slope = np.abs(slope)
        stats["slope_mean"] = float(slope.mean())
        stats["slope_rms"] = l2_norm(slope) / math.sqrt(slope.size)
    if fn.saturates:
        flat = np.count_nonzero(slope < SATURATION_LEVEL * fn.max_derivative)
        stats["saturated"] = flat / slope.size
    if fn.can_die:
        never_active = np.maximum.reduce(act.z, axis=0) <= 0
        stats["dead"] = np.count_nonzero(never_active) / never_active.size
    return stats


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
            [block[0].fan_in * block[0].fan_out for block in self.blocks], GRAD_OCTAVES, True
        )
        self.act_hist = Histogrammer([len(X) * w for w in widths], ACT_EDGES)

    def measure(self) -> tuple[list[dict], np.ndarray, np.ndarray]:
        """Run a probe pass and measure every Dense layer.

        Returns:
            (layer_rows, grad_hist, act_hist): ``layer_rows`` a list of dicts with keys
            ``layer, is_output, grad_norm, bias_grad_norm, backprop_norm, act_mean, act_std,
            saturated, dead, slope_mean, slope_rms, distinct_units``; the histograms as (L, n_bins) counts on the shared edges, row
            ``k - 1`` for layer ``k``.
        """
        with np.errstate(all="ignore"):  # a diverging network's inf and NaN are measured too
            return self._measure()

    def _measure(self) -> tuple[list[dict], np.ndarray, np.ndarray]:
        logits, douts = probe_pass(self.net, self.X, self.y)
        kernel_grads = [block[0].grads["W"] for block in self.blocks]
        outputs = [block[0]._x for block in self.blocks[1:]] + [logits]  # each block's output
        n_layers = len(self.blocks)
        rows = []
        for k, (block, act, g, dz, out) in enumerate(
            zip(self.blocks, self.acts, kernel_grads, douts, outputs), start=1
        ):
            act_mean, act_std = mean_std(out)
            rows.append(
                {
                    "layer": k,
                    "is_output": k == n_layers,
                    "grad_norm": l2_norm(g),
                    "bias_grad_norm": (
                        l2_norm(block[0].grads["b"]) if "b" in block[0].grads else math.nan
                    ),
                    "backprop_norm": l2_norm(dz),
                    "act_mean": act_mean,
                    "act_std": act_std,
                    **activation_stats(act),
                    "distinct_units": block_distinct_units(block),
                }
            )
        return rows, self.grad_hist(kernel_grads), self.act_hist(outputs)
