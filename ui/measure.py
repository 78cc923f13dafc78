"""Measurements derived from finished runs, as module-level functions of hashable arguments so
that :func:`ui.memo.memo` computes each once per server."""

from __future__ import annotations

from core import ModelConfig, bn_studies

from . import data
from .view import ComparisonView


def step_seconds(model: ModelConfig, dataset: str, batch_size: int) -> float:
    """Best-of-3 wall time of one training step of a fresh ``model`` on ``dataset``."""
    return bn_studies.seconds_per_step(model, data.load(dataset), batch_size)


def fold_report(view: ComparisonView, name: str) -> dict:
    """:func:`core.bn_studies.fold_report` of variant ``name``'s trained network (first seed)
    on the validation split."""
    net = view.comp.runs[(name, view.seeds[0])].net
    return bn_studies.fold_report(net, data.load(view.dataset).X_val)


def history_csv(view: ComparisonView) -> bytes:
    """The comparison's tidy history (:meth:`core.Comparison.tidy`) as UTF-8 CSV."""
    return view.comp.tidy().to_csv(index=False).encode("utf-8")
