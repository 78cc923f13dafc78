"""Measurements derived from runs, as module-level functions (hashable as memo and cache keys).

``fold_summary`` and ``boundary_grid`` are *summarise* functions for :func:`ui.runs.runner.run`:
they read a variant's trained network right after training, so that the shared cache keeps
their small results instead of the network.
"""

from __future__ import annotations

import pandas as pd

from core import Variant, bn_studies, boundary
from core.datasets import Dataset

from .view import ComparisonView


def fold_summary(variant: Variant, net, data: Dataset) -> dict:
    """The folding study of one trained variant: the best-of-3 wall time of a training step at
    its batch size (``step_seconds``) and, with batch normalization,
    :func:`core.bn_studies.fold_report` on the validation split plus ``largest_shift``."""
    summary = {
        "step_seconds": bn_studies.seconds_per_step(variant.model, data, variant.train.batch_size)
    }
    if variant.model.batchnorm != "none":
        summary.update(bn_studies.fold_report(net, data.X_val))
        summary["largest_shift"] = bn_studies.largest_shift(net)
    return summary


def boundary_grid(variant: Variant, net, data: Dataset) -> pd.DataFrame:
    """The class the trained network predicts over the plane of 2-D data
    (:func:`core.boundary.decision_grid`)."""
    return boundary.decision_grid(net, data.X_val)


def history_csv(view: ComparisonView) -> bytes:
    """The comparison's tidy history (:meth:`core.Comparison.tidy`) as UTF-8 CSV."""
    return view.comp.tidy().to_csv(index=False).encode("utf-8")
