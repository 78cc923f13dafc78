"""Mini-batch training that records what the gradients do, layer by layer.

``train(model, train_cfg, data)`` builds the network from ``train_cfg.seed`` and trains it with
softmax cross-entropy. Three independent random streams come from the seed (``rng.spawn``):
initial weights, mini-batch order and the probe batch, so that paired runs that differ only in
one technique share all three.

Recorded, as tidy pandas frames (one row per observation) in a :class:`History`:

- ``metrics``: ``epoch, split, loss, accuracy``. Epoch 0 evaluates the initial network on each
  split in inference mode. Later epochs follow Keras' ``fit``: the training figures are the
  mean over the epoch's mini-batches, the validation figures an inference-mode evaluation at the
  epoch's end.
- ``layers``: ``epoch, layer, grad_norm, grad_std, weight_std, act_mean, act_std, saturated,
  dead, update_ratio`` on the fixed probe batch (see :mod:`core.diagnostics`); ``update_ratio``
  is ``std(dW) / std(W)`` of the epoch's last update (Karpathy's update:data ratio; NaN at 0).
- ``grad_hist`` / ``act_hist``: ``epoch, layer, bin_start, bin_end, count``.
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
from dataclasses import dataclass, field

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
        epochs: passes over the training split.
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
    probe_size: int = 256

    def __post_init__(self):
        optimizers.get(self.optimizer, self.lr)
        clipping.validate(self.clip, self.clip_threshold)
        for name in ("batch_size", "epochs", "probe_size"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")


def _hist_frame(rows: list[tuple[int, int, np.ndarray]], edges: np.ndarray) -> pd.DataFrame:
    """(epoch, layer, counts) triples -> tidy frame with one row per non-empty bin."""
    cols = {"epoch": [], "layer": [], "bin_start": [], "bin_end": [], "count": []}
    for epoch, layer, counts in rows:
        nz = np.flatnonzero(counts)
        cols["epoch"].append(np.full(len(nz), epoch))
        cols["layer"].append(np.full(len(nz), layer))
        cols["bin_start"].append(edges[nz])
        cols["bin_end"].append(edges[nz + 1])
        cols["count"].append(counts[nz])
    if not rows:
        return pd.DataFrame({k: pd.Series(dtype=float) for k in cols})
    return pd.DataFrame({k: np.concatenate(v) for k, v in cols.items()})


@dataclass
class History:
    """Everything one training run recorded (see the module docstring for the frames).

    Attributes:
        metrics, layers, grad_hist, act_hist, steps: tidy frames.
        diverged_at: None, or the epoch during which the loss or gradients became non-finite.
        epochs: epochs planned; net: the network as it ended (None for a diverged run).
        seconds: wall time of the run.
    """

    metrics: pd.DataFrame
    layers: pd.DataFrame
    grad_hist: pd.DataFrame
    act_hist: pd.DataFrame
    steps: pd.DataFrame
    diverged_at: int | None
    epochs: int
    net: Network | None = field(default=None, repr=False)
    seconds: float = 0.0

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
    """Collects rows during a run and turns them into a :class:`History`."""

    def __init__(self, epochs: int, max_steps: int):
        self.epochs = epochs
        self.metrics: list[tuple] = []
        self.layers: list[dict] = []
        self.grad_hist: list[tuple] = []
        self.act_hist: list[tuple] = []
        self.step_cols = {
            "loss": np.full(max_steps, np.nan),
            "grad_norm": np.full(max_steps, np.nan),
            "clipped": np.zeros(max_steps, bool),
            "cosine": np.ones(max_steps),
            "epoch": np.zeros(max_steps, np.int64),
        }
        self.n_steps = 0
        self.diverged_at: int | None = None

    def step(self, epoch: int, loss: float, report: clipping.Clipped) -> None:
        i = self.n_steps
        c = self.step_cols
        c["epoch"][i], c["loss"][i], c["grad_norm"][i] = epoch, loss, report.norm_before
        c["clipped"][i], c["cosine"][i] = report.clipped, report.cosine
        self.n_steps += 1

    def measure(self, epoch: int, net: Network, probe, update_ratios) -> None:
        rows, grad_hist, act_hist = diagnostics.layer_statistics(net, *probe)
        for row, ratio in zip(rows, update_ratios):
            self.layers.append({"epoch": epoch, **row, "update_ratio": ratio})
        self.grad_hist += [(epoch, k, counts) for k, counts in grad_hist]
        self.act_hist += [(epoch, k, counts) for k, counts in act_hist]

    def history(self, net: Network | None, seconds: float) -> History:
        n = self.n_steps
        steps = pd.DataFrame({k: v[:n] for k, v in self.step_cols.items()})
        steps.insert(0, "step", np.arange(1, n + 1))
        return History(
            metrics=pd.DataFrame(self.metrics, columns=["epoch", "split", "loss", "accuracy"]),
            layers=pd.DataFrame(self.layers),
            grad_hist=_hist_frame(self.grad_hist, diagnostics.GRAD_LOG_EDGES),
            act_hist=_hist_frame(self.act_hist, diagnostics.ACT_EDGES),
            steps=steps[["step", "epoch", "loss", "grad_norm", "clipped", "cosine"]],
            diverged_at=self.diverged_at,
            epochs=self.epochs,
            net=net,
            seconds=seconds,
        )


def evaluate(net: Network, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Inference-mode (loss, accuracy) of ``net`` on (X, y)."""
    logits = net.predict(X)
    return losses.softmax_cross_entropy(logits, y)[0], losses.accuracy(logits, y)


def _weight_std(w: np.ndarray) -> float:
    s = float(w.std())
    return s if s > 0 else math.nan


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
    probe = (X[probe_idx], y[probe_idx])
    params = net.param_arrays()
    kernels = [d.params["W"] for d in net.dense]
    rec = _Recorder(cfg.epochs, cfg.epochs * steps_per_epoch)

    def end_of_epoch(epoch, train_figures, update_ratios):
        rec.metrics.append((epoch, "train", *train_figures))
        rec.metrics.append((epoch, "val", *evaluate(net, data.X_val, data.y_val)))
        if cfg.diagnostics:
            rec.measure(epoch, net, probe, update_ratios)
        if on_epoch is not None:
            on_epoch(rec.history(None, time.perf_counter() - start))

    end_of_epoch(0, evaluate(net, X, y), [math.nan] * len(kernels))
    for epoch in range(1, cfg.epochs + 1):
        order = batch_rng.permutation(n)
        loss_sum = correct = 0.0
        for b in range(steps_per_epoch):
            idx = order[b * bs : (b + 1) * bs]
            xb, yb = X[idx], y[idx]
            logits = net.forward(xb, training=True)
            loss, dlogits = losses.softmax_cross_entropy(logits, yb)
            net.backward(dlogits)
            report = clipping.clip(net.grad_arrays(), cfg.clip, cfg.clip_threshold)
            rec.step(epoch, loss, report)
            if not (math.isfinite(loss) and report.finite):
                rec.diverged_at = epoch
                break
            last = b == steps_per_epoch - 1
            before = [w.copy() for w in kernels] if last and cfg.diagnostics else None
            opt.step(params, report)
            loss_sum += loss * len(idx)
            correct += float((logits.argmax(axis=1) == yb).sum())
        if rec.diverged_at is not None:
            break
        if not all(np.isfinite(p).all() for p in params):
            rec.diverged_at = epoch
            break
        ratios = (
            [float((w - w0).std()) / _weight_std(w0) for w, w0 in zip(kernels, before)]
            if before is not None
            else []
        )
        end_of_epoch(epoch, (loss_sum / n, correct / n), ratios)
    diverged = rec.diverged_at is not None
    return rec.history(None if diverged else net, time.perf_counter() - start)
