"""What an export is called and says it holds: the frameworks and data sets it accepts, its file
name, and a one-line description of the run."""

from __future__ import annotations

from .. import datasets, initializers
from ..network import ModelConfig
from ..training import TrainConfig

FRAMEWORKS = ("pytorch", "keras")
#: How each framework is named in titles and notes.
TITLES = {"pytorch": "PyTorch", "keras": "Keras"}


def check(dataset: str, framework: str | None = None) -> None:
    """Raise ``ValueError`` naming the valid choices for an unknown data set or framework."""
    if dataset not in datasets.NAMES:
        raise ValueError(
            f"unknown data set {dataset!r}; valid data sets: {', '.join(datasets.NAMES)}"
        )
    if framework is not None and framework not in FRAMEWORKS:
        raise ValueError(
            f"unknown framework {framework!r}; valid frameworks: {', '.join(FRAMEWORKS)}"
        )


def file_name(
    model: ModelConfig,
    train: TrainConfig,
    framework: str = "pytorch",
    notebook: bool = False,
    standardize: bool = True,
) -> str:
    """What the file holds, e.g. ``gradient-lab_relu-he_normal_pytorch.py`` or
    ``gradient-lab_tanh-random_normal_std0.5-bn_after-clip_norm-adam_keras.ipynb``: the activation
    and initializer, then raw inputs, batch norm on the inputs, batch norm in the hidden layers,
    clipping and a non-SGD optimizer when used (``..._relu-he_normal-raw-bn_input_...``)."""
    check("digits", framework)
    init = model.init
    if init in initializers.FIXED_STD:
        init += f"_std{model.init_std:g}"
    elif init == "constant":
        init += f"{model.init_value:g}"
    elif not model.truncated and init.endswith("_normal"):
        init += "_untruncated"
    parts = [model.activation, init]
    if not standardize:
        parts.append("raw")
    if model.input_batchnorm:
        parts.append("bn_input")
    if model.batchnorm != "none":
        parts.append(f"bn_{model.batchnorm}")
    if train.clip != "none":
        parts.append(f"clip_{train.clip}")
    if train.optimizer != "sgd":
        parts.append(train.optimizer)
    return f"gradient-lab_{'-'.join(parts)}_{framework}.{'ipynb' if notebook else 'py'}"


def describe(model: ModelConfig, train: TrainConfig, dataset: str, standardize: bool = True) -> str:
    """One line in English: the network, its initialization and how it is trained."""
    depth, widths = len(model.hidden), sorted(set(model.hidden))
    width = str(widths[0]) if len(widths) == 1 else "/".join(map(str, model.hidden))
    init = model.init + (
        f" (std {model.init_std:g})" if model.init in initializers.FIXED_STD else ""
    )
    bn = {"none": "no batch norm", "before": "batch norm before the activation"}.get(
        model.batchnorm, "batch norm after the activation"
    )
    if model.input_batchnorm:
        bn = "batch norm on the inputs, " + bn.replace("no batch norm", "none in the hidden layers")
    clip = (
        "no clipping"
        if train.clip == "none"
        else f"clipping by {train.clip} at {train.clip_threshold:g}"
    )
    return (
        f"{depth} hidden layers of {width} {model.activation} units, {init} initialization, {bn}; "
        f"{train.optimizer} (learning rate {train.lr:g}), batch {train.batch_size}, {clip}, "
        f"{train.epochs} epochs, seed {train.seed}, on {dataset}"
        + ("" if standardize else " (raw inputs, not standardised)")
    )
