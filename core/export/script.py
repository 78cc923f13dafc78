"""A whole script, assembled: its docstring, the imports and settings, the NumPy part, the
framework's network and training, the table and the command line. A notebook is the same parts,
one cell each (:func:`sections`)."""

from __future__ import annotations

import textwrap

from ..network import ModelConfig
from ..training import TrainConfig
from . import keras, pytorch
from .blocks import code, join
from .names import TITLES, check, describe, file_name
from .numpy_code import data, imports, settings, weights
from .run import MAIN, REPORT

_FRAMEWORKS = {"pytorch": pytorch, "keras": keras}


def _header(
    model: ModelConfig, train: TrainConfig, dataset: str, framework: str, standardize: bool
) -> str:
    where = {
        "digits": "Run it from the Gradient Lab folder: it reads data/digits.csv.gz.",
        "breast_cancer": (
            "Run it from the Gradient Lab folder: it reads data/breast_cancer.csv.gz."
        ),
        "fashion_mnist": (
            "It reads Fashion-MNIST from Gradient Lab's cache (python -m core.fashion_mnist)."
        ),
    }.get(dataset, f"It draws the {dataset} data itself, as the app does.")
    return code(
        '''
        """A Gradient Lab experiment, reproduced in $title.

        $what

        The script starts from the very weights the app drew (NumPy, same generator, same order),
        feeds the same mini-batches in the same order and trains with the same optimizer, clipping
        and batch-norm conventions: epoch 0 matches the app exactly, later epochs up to float32
        rounding. $where

            python $name

        prints the curves, one row per epoch; with --json, the validation curves as one JSON
        object; with --seed N, those of another seed (other initial weights and mini-batches).

        Needs NumPy >= 1.25 and $needs.
        """
        ''',
        title=TITLES[framework],
        what=textwrap.fill(describe(model, train, dataset, standardize) + ".", 92),
        where=where,
        name=file_name(model, train, framework, standardize=standardize),
        needs=_FRAMEWORKS[framework].NEEDS,
    )


def sections(
    model: ModelConfig, train: TrainConfig, dataset: str, framework: str, standardize: bool = True
) -> list[tuple[str, str]]:
    """The script's parts in order, each ``(title, code)``; a notebook makes one cell of each."""
    module = _FRAMEWORKS[framework]
    network, training = module.sections(model, train)
    parts = [
        ("The data", data(dataset, standardize)),
        ("The initial weights", weights(model)),
        ("The network", network),
        ("Training", join(training, REPORT)),
    ]
    uses_math = any("math." in part for _, part in parts)
    head = join(
        imports(dataset, module.IMPORTS, uses_math), settings(model, train, dataset, standardize)
    )
    return [("Settings", head), *parts]


def _script(
    model: ModelConfig, train: TrainConfig, dataset: str, framework: str, standardize: bool
) -> str:
    check(dataset, framework)
    parts = [part for _, part in sections(model, train, dataset, framework, standardize)]
    header = _header(model, train, dataset, framework, standardize)
    return header + "\n" + join(*parts, MAIN)


def pytorch_script(
    model: ModelConfig, train: TrainConfig, dataset: str, standardize: bool = True
) -> str:
    """A standalone PyTorch script reproducing
    ``train(model, train, datasets.load(dataset, standardize=standardize))`` as the app runs it
    (data split seed :data:`.numpy_code.DATA_SEED`; ``standardize=False``: raw inputs)."""
    return _script(model, train, dataset, "pytorch", standardize)


def keras_script(
    model: ModelConfig, train: TrainConfig, dataset: str, standardize: bool = True
) -> str:
    """A standalone Keras 3 script reproducing the run (see :func:`pytorch_script`)."""
    return _script(model, train, dataset, "keras", standardize)
