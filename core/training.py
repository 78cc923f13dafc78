"""Mini-batch training that records what the gradients do, layer by layer.

``train(model, train_cfg, data)`` builds the network from ``train_cfg.seed`` and trains it with
softmax cross-entropy. Three independent random streams come from the seed (``rng.spawn``):
initial weights, mini-batch order and the probe batch, so that paired runs that differ only in
one technique share all three.

Recorded, as tidy pandas frames (one row per observation) in a :class:`History`:

- ``metrics``: ``epoch, split, loss, accuracy``. Epoch 0 evaluates the initial network on each
  split in inference mode. Later epochs follow Keras' ``fit``: the training figures are the
  mean over the epoch's mini-batches, the validation figures an inference-mode evaluation at the
  epoch's end. With batch normalization (hidden or on the inputs), split ``val_batch_stats`` is
  the validation split
  evaluated with its own batch statistics instead of the moving averages (the gap between the
  two shows how far the moving averages still lag).
- ``layers``: ``epoch, layer, is_output, grad_norm, bias_grad_norm, backprop_norm, act_mean,
  act_std, saturated, dead, slope_mean, slope_rms, distinct_units, update_ratio`` on the fixed
  probe batch, one row per Dense layer
  and epoch (see :mod:`core.diagnostics`). ``layer`` counts Dense layers from 1; ``is_output``
  is True on the output layer's row only (the last ``layer``, one row per epoch).
  ``grad_norm`` is ||dL/dW_k||, ``backprop_norm`` ||dL/dz_k|| with z_k the Dense layer's output
  (pre-activation; the logits for the output layer), ``slope_mean`` and ``slope_rms`` the mean
  |f'| and the root-mean-square f' of the layer's activation over the probe's (sample, unit)
  pairs (NaN for the output layer), ``bias_grad_norm`` ||dL/db_k||,
  ``distinct_units`` how many of the layer's units differ in their parameters (1 for a layer
  of copies, see :func:`core.diagnostics.distinct_units`). ``update_ratio`` is ``||dW|| / ||W||`` of the
  epoch's last update (Karpathy's update:data ratio, see :class:`core.diagnostics.UpdateRatio`;
  NaN at epoch 0).
- ``grad_hist`` / ``act_hist``: ``epoch, layer, bin_start, bin_end, count``, one row per
  non-empty bin. ``act_hist``'s first and last bins are overflow bins, rows with
  ``bin_start=-inf, bin_end=-5.0`` and ``bin_start=5.0, bin_end=inf``
  (:data:`core.diagnostics.ACT_EDGES`).
- ``steps``: ``step, epoch, loss, grad_norm, clipped, cosine``: every update's mini-batch
  loss, global gradient norm before clipping, whether clipping bit and the cosine between the
  raw and the clipped gradient.

A step whose loss or gradients are NaN/inf stops the run: ``diverged_at`` is that epoch, and
everything recorded before it is kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from . import clipping, diagnostics, losses, optimizers
from .datasets import Dataset
from .network import ModelConfig, Network, build_network


@dataclass(frozen=True)
class TrainConfig:
    """How to train.

    Attributes:
        optimizer: ``"sgd" | "momentum" | "adam"``; ``momentum``/``nesterov`` for "momentum".
        lr: learning rate. batch_size: mini-batch size (the last batch may be smaller).
        epochs: passes over the training split (0: only measure the initial network).
        clip: ``"none" | "value" | "norm" | "global_norm"``; clip_threshold: its threshold.
        seed: the one seed behind weights, mini-batch order and probe batch.
        diagnostics: record per-layer statistics and histograms (``layers``/``*_hist``).
        probe_size: samples in the fixed probe batch.
    """

    optimizer: str = "sgd"
    lr: float = 0.01
    batch_size: int = 32
    epochs: int = 5
    clip: str = "none"
    clip_threshold: float = 1.0
    seed: int = 0
    momentum: float = 0.9
    nesterov: bool = False
    diagnostics: bool = True
    probe_size: int = 64

    def __post_init__(self):
        optimizers.get(self.optimizer, self.lr)
        clipping.validate(self.clip, self.clip_threshold)
        for name in ("batch_size", "probe_size"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.epochs < 0:
            raise ValueError(
                f"epochs must be >= 0 (0 measures the initial network), got {self.epochs}"
            )
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")


def _hist_frame(epochs: list[int], counts: list[np.ndarray], edges: np.ndarray) -> pd.DataFrame:
    """Per-epoch (L, n_bins) counts -> tidy frame with one row per non-empty bin."""
    if not counts:
        return pd.DataFrame(columns=["epoch", "layer", "bin_start", "bin_end", "count"])
    stacked = np.stack(counts)  # (E, L, n_bins)
    e, layer, b = np.nonzero(stacked)
    return pd.DataFrame(
        {
            "epoch": np.asarray(epochs)[e],
            "layer": layer + 1,
            "bin_start": edges[b],
            "bin_end": edges[b + 1],
            "count": stacked[e, layer, b],
        }
    )


STEP_COLUMNS = ("epoch", "loss", "grad_norm", "clipped", "cosine")
FRAMES = ("metrics", "layers", "grad_hist", "act_hist", "steps")


@dataclass
class Records:
    """What a run recorded so far, as plain rows and arrays (cheap to copy every epoch)."""

    metrics: list[tuple]
    layers: list[dict]
    hist_epochs: list[int]
    grad_hist: list[np.ndarray]  # (L, n_bins) counts per measured epoch
    act_hist: list[np.ndarray]
    steps: dict[str, np.ndarray]


class History:
    """Everything one training run recorded (see the module docstring for the frames).

    The frames are built from the records on first access, so a progress callback that only
    reads ``epochs_done`` costs nothing; pickling (e.g. by a cache) stores the frames.

    Attributes:
        metrics, layers, grad_hist, act_hist, steps: tidy frames.
        diverged_at: None, or the epoch during which the loss or gradients became non-finite.
        epochs: epochs planned; epochs_done: the last epoch recorded.
        net: the network as it ended (None for a diverged or unfinished run).
        n_params: the network's trainable parameters (kernels, biases, BN's gamma and beta).
        seconds: wall time of the run; diagnostics_seconds: the part of it spent measuring
            (probe passes, statistics, histograms, update ratios).
    """

    def __init__(
        self,
        records: Records,
        diverged_at,
        epochs,
        net=None,
        seconds=0.0,
        diagnostics_seconds=0.0,
        n_params=0,
    ):
        self._records = records
        self.diverged_at: int | None = diverged_at
        self.epochs: int = epochs
        self.epochs_done: int = records.metrics[-1][0] if records.metrics else -1
        self.net: Network | None = net
        self.seconds: float = seconds
        self.diagnostics_seconds: float = diagnostics_seconds
        self.n_params: int = n_params

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return pd.DataFrame(self._records.metrics, columns=["epoch", "split", "loss", "accuracy"])

    @cached_property
    def layers(self) -> pd.DataFrame:
        return pd.DataFrame(self._records.layers)

    @cached_property
    def grad_hist(self) -> pd.DataFrame:
        r = self._records
        return _hist_frame(r.hist_epochs, r.grad_hist, diagnostics.GRAD_LOG_EDGES)

    @cached_property
    def act_hist(self) -> pd.DataFrame:
        r = self._records
        return _hist_frame(r.hist_epochs, r.act_hist, diagnostics.ACT_EDGES)

    @cached_property
    def steps(self) -> pd.DataFrame:
        cols = self._records.steps
        n = len(cols["epoch"])
        return pd.DataFrame({"step": np.arange(1, n + 1), **{k: cols[k] for k in STEP_COLUMNS}})

    def freeze(self) -> History:
        """Build every frame now and drop the raw records (half the memory for a kept run)."""
        for name in FRAMES:
            getattr(self, name)
        self._records = None
        return self

    def __getstate__(self):
        self.freeze()
        state = {k: v for k, v in self.__dict__.items() if k != "_records"}
        return state

    def clip_summary(self) -> pd.DataFrame:
        """Per epoch: ``share_clipped``, ``norm_mean`` / ``norm_max`` (global gradient norm
        before clipping) and ``cosine_mean`` (raw vs clipped update)."""
        return (
            self.steps.groupby("epoch")
            .agg(
                share_clipped=("clipped", "mean"),
                norm_mean=("grad_norm", "mean"),
                norm_max=("grad_norm", "max"),
                cosine_mean=("cosine", "mean"),
            )
            .reset_index()
        )


class _Recorder:
    """Collects rows during a run and hands out :class:`History` snapshots."""

    def __init__(self, epochs: int, max_steps: int, n_params: int):
        self.epochs = epochs
        self.n_params = n_params
        self.records = Records([], [], [], [], [], {})
        self.step_cols = {
            "epoch": np.zeros(max_steps, np.int64),
            "loss": np.full(max_steps, np.nan),
            "grad_norm": np.full(max_steps, np.nan),
            "clipped": np.zeros(max_steps, bool),
            "cosine": np.ones(max_steps),
        }
        self.n_steps = 0
        self.diverged_at: int | None = None

    def step(self, epoch: int, loss: float, report: clipping.Clipped) -> None:
        i = self.n_steps
        c = self.step_cols
        c["epoch"][i], c["loss"][i], c["grad_norm"][i] = epoch, loss, report.norm_before
        c["clipped"][i], c["cosine"][i] = report.clipped, report.cosine
        self.n_steps += 1

    def metric(self, epoch: int, split: str, loss: float, accuracy: float) -> None:
        self.records.metrics.append((epoch, split, loss, accuracy))

    def measure(self, epoch: int, probe: diagnostics.Probe, update_ratios) -> None:
        rows, grad_hist, act_hist = probe.measure()
        r = self.records
        for row, ratio in zip(rows, update_ratios):
            r.layers.append({"epoch": epoch, **row, "update_ratio": ratio})
        r.hist_epochs.append(epoch)
        r.grad_hist.append(grad_hist)
        r.act_hist.append(act_hist)

    def history(self, net: Network | None, seconds: float, diagnostics_seconds: float) -> History:
        r = self.records
        snapshot = Records(
            list(r.metrics),
            list(r.layers),
            list(r.hist_epochs),
            list(r.grad_hist),
            list(r.act_hist),
            {k: v[: self.n_steps].copy() for k, v in self.step_cols.items()},
        )
        return History(
            snapshot,
            self.diverged_at,
            self.epochs,
            net,
            seconds,
            diagnostics_seconds,
            self.n_params,
        )


def clip_step(
    flat_grads: np.ndarray, tensors: list[np.ndarray], cfg: TrainConfig
) -> tuple[clipping.Clipped, np.ndarray]:
    """Clip one step's gradient; return the report and the flat gradient to apply.

    Every method but per-tensor ``norm`` works on the flat vector directly (the same result:
    clipping by value is element-wise, the global norm is one norm); ``norm`` clips the
    tensors (views into the flat vector) and writes the rescaled ones back.
    """
    if cfg.clip != "norm":
        report = clipping.clip([flat_grads], cfg.clip, cfg.clip_threshold)
        return report, report[0]
    report = clipping.clip_by_norm(tensors, cfg.clip_threshold)
    for view, clipped in zip(tensors, report):
        if clipped is not view:
            view[...] = clipped
    return report, flat_grads


def evaluate(
    net: Network, X: np.ndarray, y: np.ndarray, batch_stats: bool = False
) -> tuple[float, float]:
    """(loss, accuracy) of ``net`` on (X, y), in inference mode; with ``batch_stats``, BN
    normalises with the statistics of (X, y) as one batch instead (moving averages untouched)."""
    if batch_stats:
        logits = net.forward(X, training=True, update_moving_stats=False)
    else:
        logits = net.predict(X)
    return losses.softmax_cross_entropy(logits, y)[0], losses.accuracy(logits, y)


class _Measurements:
    """A run's diagnostics: the probe, the update ratio and the time they take (``seconds``)."""

    def __init__(self, net: Network, flat_params: np.ndarray, X: np.ndarray, y: np.ndarray):
        self.seconds = 0.0
        with self._timed():
            self.probe = diagnostics.Probe(net, X, y)
            self.update = diagnostics.UpdateRatio(net, flat_params)
        self.n_kernels = len(net.dense)

    @contextmanager
    def _timed(self):
        start = time.perf_counter()
        yield
        self.seconds += time.perf_counter() - start

    def before_last_step(self) -> None:
        with self._timed():
            self.update.before()

    def record(self, rec: _Recorder, epoch: int) -> None:
        """Measure the network after ``epoch`` (the update ratio of its last step from 1 on)."""
        with self._timed():
            ratios = self.update.ratios() if epoch > 0 else [math.nan] * self.n_kernels
            rec.measure(epoch, self.probe, ratios)


def train(
    model: ModelConfig,
    cfg: TrainConfig,
    data: Dataset,
    on_epoch: Callable[[History], None] | None = None,
) -> History:
    """Train a network of ``model`` on ``data`` as ``cfg`` says and record its History.

    ``on_epoch(history)`` is called after epoch 0 and after every epoch with the history so far
    (for progress bars and live charts).
    """
    with np.errstate(all="ignore"):  # a diverging run overflows on purpose; it is detected below
        return _train(model, cfg, data, on_epoch)


def _train(model, cfg, data, on_epoch) -> History:
    start = time.perf_counter()
    init_rng, batch_rng, probe_rng = np.random.default_rng(cfg.seed).spawn(3)
    net = build_network(data.n_features, data.n_classes, model, init_rng)
    opt = optimizers.get(cfg.optimizer, cfg.lr, cfg.momentum, cfg.nesterov)
    X, y = data.X_train, data.y_train
    n, bs = len(X), int(cfg.batch_size)
    steps_per_epoch = math.ceil(n / bs)
    probe_idx = np.sort(probe_rng.permutation(n)[: min(cfg.probe_size, n)])
    flat_params, flat_grads = net.flatten()
    tensors = net.grad_arrays()  # views into flat_grads, for per-tensor clipping
    measured = (
        _Measurements(net, flat_params, X[probe_idx], y[probe_idx]) if cfg.diagnostics else None
    )
    rec = _Recorder(cfg.epochs, cfg.epochs * steps_per_epoch, net.n_params())

    def history(final_net: Network | None) -> History:
        return rec.history(
            final_net,
            time.perf_counter() - start,
            measured.seconds if measured is not None else 0.0,
        )

    def end_of_epoch(epoch, train_figures):
        rec.metric(epoch, "train", *train_figures)
        rec.metric(epoch, "val", *evaluate(net, data.X_val, data.y_val))
        if model.uses_batchnorm:
            rec.metric(epoch, "val_batch_stats", *evaluate(net, data.X_val, data.y_val, True))
        if measured is not None:
            measured.record(rec, epoch)
        if on_epoch is not None:
            on_epoch(history(None))

    end_of_epoch(0, evaluate(net, X, y))
    for epoch in range(1, cfg.epochs + 1):
        order = batch_rng.permutation(n)
        loss_sum = correct = 0.0
        for b in range(steps_per_epoch):
            idx = order[b * bs : (b + 1) * bs]
            xb, yb = X[idx], y[idx]
            logits = net.forward(xb, training=True)
            loss, dlogits = losses.softmax_cross_entropy(logits, yb)
            net.backward(dlogits, input_grad=False)
            report, step_grad = clip_step(flat_grads, tensors, cfg)
            rec.step(epoch, loss, report)
            if not (math.isfinite(loss) and report.finite):
                rec.diverged_at = epoch
                break
            if measured is not None and b == steps_per_epoch - 1:
                measured.before_last_step()  # the epoch's last update is the one measured
            opt.step([flat_params], [step_grad])
            loss_sum += loss * len(idx)
            correct += float((logits.argmax(axis=1) == yb).sum())
        if rec.diverged_at is not None:
            break
        if not np.isfinite(flat_params).all():
            rec.diverged_at = epoch
            break
        end_of_epoch(epoch, (loss_sum / n, correct / n))
    return history(None if rec.diverged_at is not None else net)
