"""The same experiment as a Jupyter notebook: a story cell, the script's parts one cell each, a
cell that trains and prints the table, and a plot."""

from __future__ import annotations

import json

from .. import datasets
from ..network import ModelConfig
from ..training import TrainConfig
from .blocks import code
from .names import TITLES, check, describe
from .script import sections

_RUN_CELL = "curves = run(SEED, on_epoch=print_row)\n"
_PLOT_CELL = code(
    """
    try:  # a plot, if matplotlib is installed (the table above holds the same numbers)
        import matplotlib.pyplot as plt
    except ImportError:
        plt = None
    if plt is not None:
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
        for split in ("train", "val"):
            left.plot(curves[f"{split}_loss"], marker="o", label=split)
            right.plot(curves[f"{split}_accuracy"], marker="o", label=split)
        left.set(xlabel="epoch", ylabel="loss")
        right.set(xlabel="epoch", ylabel="accuracy")
        left.legend()
        plt.show()
    """
)


def _cell(kind: str, source: str, index: int) -> dict:
    lines = source.rstrip("\n").splitlines(keepends=True)
    cell = {"cell_type": kind, "id": f"cell-{index}", "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook(
    model: ModelConfig,
    train: TrainConfig,
    dataset: str,
    framework: str = "pytorch",
    intro: str | None = None,
    standardize: bool = True,
) -> str:
    """The same experiment as a Jupyter notebook (nbformat 4.5 JSON): a markdown cell saying what
    it shows (``intro``, Markdown, e.g. in the reader's language; English by default), then one
    code cell per part of the script, a cell that trains and prints the table, and a plot.
    ``standardize=False``: the run trains on raw inputs (see :func:`.script.pytorch_script`)."""
    check(dataset, framework)
    if intro is None:
        intro = (
            f"# A Gradient Lab experiment, reproduced in {TITLES[framework]}\n\n"
            f"{describe(model, train, dataset, standardize)}.\n\n"
            "The notebook starts from the very weights the app drew and feeds the same "
            "mini-batches in the same order, with the same optimizer, clipping and batch-norm "
            "conventions: epoch 0 matches the app exactly and later epochs match it up to float32 "
            "rounding. Change a setting in the first code cell and run all cells again to see what "
            "it does."
        )
    if dataset in datasets.REAL:
        intro += (
            f"\n\nPut the notebook in the Gradient Lab folder: it reads `data/{dataset}.csv.gz`."
        )
    cells = [_cell("markdown", intro, 0)]
    for title, part in sections(model, train, dataset, framework, standardize):
        cells.append(_cell("markdown", f"## {title}", len(cells)))
        cells.append(_cell("code", part, len(cells)))
    cells.append(_cell("code", _RUN_CELL, len(cells)))
    cells.append(_cell("code", _PLOT_CELL, len(cells)))
    document = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
