"""Paired comparisons: several variants x several seeds, one tidy result.

Every run of one seed shares the data split (one :class:`Dataset` for all), the mini-batch
order, the probe batch and, layer by layer, the initial-weight stream (see
:func:`core.training.train`): only what the variants set differently differs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from .datasets import Dataset
from .network import ModelConfig
from .training import History, TrainConfig, train


@dataclass(frozen=True)
class Variant:
    """One arm of a comparison: a label and its model and training settings."""

    name: str
    model: ModelConfig
    train: TrainConfig


@dataclass
class Comparison:
    """The runs of a comparison.

    Attributes:
        runs: ``{(variant name, seed): History}`` in the order run.
        metrics, layers, grad_hist, act_hist, steps: the runs' frames stacked, with ``variant``
            and ``seed`` columns first.
        diverged: frame ``variant, seed, diverged_at`` (None where the run finished).
    """

    runs: dict[tuple[str, int], History]

    def frame(self, name: str) -> pd.DataFrame:
        parts = [
            getattr(h, name).assign(variant=v, seed=s)[
                ["variant", "seed", *getattr(h, name).columns]
            ]
            for (v, s), h in self.runs.items()
        ]
        return pd.concat(parts, ignore_index=True)

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return self.frame("metrics")

    @cached_property
    def layers(self) -> pd.DataFrame:
        return self.frame("layers")

    @cached_property
    def grad_hist(self) -> pd.DataFrame:
        return self.frame("grad_hist")

    @cached_property
    def act_hist(self) -> pd.DataFrame:
        return self.frame("act_hist")

    @cached_property
    def steps(self) -> pd.DataFrame:
        return self.frame("steps")

    @cached_property
    def clip_summary(self) -> pd.DataFrame:
        """Every run's :meth:`History.clip_summary`, stacked: ``variant, seed, epoch,
        share_clipped, norm_mean, norm_max, cosine_mean``."""
        parts = [h.clip_summary().assign(variant=v, seed=s) for (v, s), h in self.runs.items()]
        frame = pd.concat(parts, ignore_index=True)
        return frame[["variant", "seed", *frame.columns[:-2]]]

    @property
    def diverged_variants(self) -> set[str]:
        """Names of the variants with at least one diverged run."""
        return {v for (v, _), h in self.runs.items() if h.diverged_at is not None}

    @cached_property
    def last_metrics(self) -> pd.DataFrame:
        """The rows of :attr:`metrics` at each run's last recorded epoch (per split)."""
        m = self.metrics
        return m[m["epoch"] == m.groupby(["variant", "seed", "split"])["epoch"].transform("max")]

    def final(self, split: str, quantity: str) -> pd.Series:
        """Per variant (in run order), ``quantity`` of ``split`` at each run's last recorded
        epoch, averaged over seeds."""
        last = self.last_metrics[self.last_metrics["split"] == split]
        return last.groupby("variant", sort=False)[quantity].mean()

    def tidy(self) -> pd.DataFrame:
        """Metrics and per-layer statistics as one long frame, one row per observation:
        ``variant, seed, epoch, split, layer, quantity, value`` (split is empty for layer rows,
        layer for metric rows)."""
        keys = ["variant", "seed", "epoch"]
        metrics = self.metrics.melt(
            id_vars=[*keys, "split"], value_vars=["loss", "accuracy"], var_name="quantity"
        )
        layers = self.layers.drop(columns="is_output").melt(
            id_vars=[*keys, "layer"], var_name="quantity"
        )
        columns = [*keys, "split", "layer", "quantity", "value"]
        return pd.concat([metrics, layers], ignore_index=True).reindex(columns=columns)

    @property
    def variants(self) -> list[str]:
        return list(dict.fromkeys(v for v, _ in self.runs))

    @property
    def diverged(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(v, s, h.diverged_at) for (v, s), h in self.runs.items()],
            columns=["variant", "seed", "diverged_at"],
        )


def compare(
    variants: list[Variant],
    data: Dataset,
    seeds: tuple[int, ...] = (0,),
    on_run: Callable[[int, int, Variant, int], None] | None = None,
    on_epoch: Callable[[History], None] | None = None,
    trained: Mapping[tuple[str, int], History] | None = None,
    on_done: Callable[[Variant, int, History], None] | None = None,
) -> Comparison:
    """Train every variant with every seed (each variant's ``train.seed`` is replaced).

    ``on_run(i, total, variant, seed)`` is called before each run (for progress bars) and
    ``on_epoch(history)`` after each of its epochs. ``trained``: runs already trained,
    ``{(variant name, seed): History}`` (e.g. by an earlier comparison with the same network,
    training settings, seed and data), taken as they are instead of trained again;
    ``on_epoch`` is called once with each of them. ``on_done(variant, seed, history)`` is
    called as each run ends, before the next one starts: the moment to read what is needed of
    its network (``history.net``) and drop it (``history.net = None``), so that a comparison
    holds one network at a time rather than all of them until its last run ends.
    Raises ValueError for duplicate variant names.
    """
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise ValueError(f"variant names must be unique, got {names}")
    runs: dict[tuple[str, int], History] = {}
    total = len(variants) * len(seeds)
    for seed in seeds:
        for variant in variants:
            if on_run is not None:
                on_run(len(runs), total, variant, seed)
            done = (trained or {}).get((variant.name, seed))
            if done is None:
                cfg = replace(variant.train, seed=seed)
                done = train(variant.model, cfg, data, on_epoch)
            elif on_epoch is not None:
                on_epoch(done)
            runs[(variant.name, seed)] = done
            if on_done is not None:
                on_done(variant, seed, done)
    return Comparison(runs)
