"""The NumPy code every exported script shares, whatever its framework: the settings, the data
(loaded, split and standardised as the app does, or kept raw when the run trains on raw inputs)
and the initial weights.

Wherever the engine has a function for a step, the script carries that function's own source
(:func:`.blocks.lift`): the synthetic generators, ``stratified_split``, the digits and breast
cancer readers, the Fashion-MNIST cache and IDX reader, and the truncated normal's redraw loop. What is written out
here instead is glue (``load_data``) or one initializer specialised to the run's settings
(``draw_kernel``), so that a reader sees the one formula that applies.
"""

from __future__ import annotations

import functools
import textwrap

from .. import datasets, initializers
from ..network import ModelConfig
from ..training import TrainConfig
from .blocks import code, join, lift
from .names import check

#: The app splits every data set with this seed (``ui.caches.data.DATA_SEED``); the run's seed only
#: changes weights, mini-batches and probe.
DATA_SEED = 0
VAL_FRACTION = 0.2


def imports(dataset: str, framework_lines: tuple[str, ...] = (), uses_math: bool = True) -> str:
    """The import lines: the standard library, NumPy, then ``framework_lines`` (none: NumPy only)."""
    stdlib = ["argparse", "json", "sys"] + ["math"] * uses_math
    if dataset in (*datasets.REAL, "fashion_mnist"):
        stdlib.append("gzip")
    if dataset in datasets.REAL:
        stdlib.append("functools")  # the engine's file readers cache their one read
    if dataset == "fashion_mnist":
        stdlib.append("os")
    lines = [f"import {name}" for name in sorted(stdlib)]
    if dataset in (*datasets.REAL, "fashion_mnist"):
        lines.append("from pathlib import Path")
    lines += ["", "import numpy as np", *framework_lines]
    return "\n".join(lines) + "\n"


def settings(model: ModelConfig, train: TrainConfig, dataset: str, standardize: bool = True) -> str:
    """The constants a reader may change: data set, network, training and seed."""
    lines = [
        "# --- The experiment's settings, as in the app ----------------------------------------",
        f'DATASET = "{dataset}"',
        f"DATA_SEED = {DATA_SEED}  # the app splits the data with seed 0 whatever the run's seed",
    ]
    if not standardize:
        lines.append("# raw inputs: the features as they come, not standardised")
    lines += [
        f"HIDDEN = {tuple(model.hidden)!r}  # units per hidden layer",
        f"LR = {train.lr!r}  # learning rate",
    ]
    if train.optimizer == "momentum":
        lines.append(f"MOMENTUM = {train.momentum!r}")
        lines.append(f"NESTEROV = {train.nesterov!r}")
    lines += [
        f"BATCH_SIZE = {int(train.batch_size)}",
        f"EPOCHS = {int(train.epochs)}",
        f"SEED = {int(train.seed)}  # initial weights and mini-batch order",
    ]
    if train.clip != "none":
        lines.append(f"CLIP_THRESHOLD = {train.clip_threshold!r}")
    if model.init in initializers.FIXED_STD:
        lines.append(f"INIT_STD = {model.init_std!r}  # standard deviation of the initial weights")
    if model.init == "constant":
        lines.append(f"INIT_VALUE = {model.init_value!r}  # every initial weight")
    return "\n".join(lines) + "\n"


# --- the data ----------------------------------------------------------------------------------


#: For each shipped file: (its constant, what it holds, a hint when it is missing).
_FILES = {
    "digits": (
        "DIGITS_FILE",
        "the UCI handwritten digits",
        "X (1797, 64) pixel counts 0..16 (8x8 images, row-major) and y (1797,) labels\n    0..9.",
        # closes the message's line and opens another, 12 spaces in like the rest
        " The file is also scikit-learn's \"\n"
        '            "sklearn/datasets/data/digits.csv.gz: copying it to data/ works too.',
    ),
    "breast_cancer": (
        "BREAST_CANCER_FILE",
        "the breast cancer measurements",
        "X (569, 30) cell-nucleus measurements (scales from about 0.001 to 4,254) and\n"
        "    y (569,) labels 0 = malignant, 1 = benign.",
        "",
    ),
}


def _file_loader(dataset: str) -> str:
    """``load_raw()`` for a shipped data file, reading it with the engine's own reader."""
    constant, what, shapes, hint = _FILES[dataset]
    return join(
        f"# --- The data: {what} shipped with Gradient Lab ---\n"
        f'{constant} = Path("data") / "{dataset}.csv.gz"',
        lift(datasets.read_table),
        code(
            '''
            def load_raw():
                """$shapes"""
                if not $constant.is_file():
                    sys.exit(
                        f"{$constant} not found. Run this from the Gradient Lab folder (the one "
                        "holding app.py and data/).$hint"
                    )
                return read_table($constant)
            ''',
            constant=constant,
            shapes=shapes,
            hint=hint,
        ),
    )


@functools.cache
def _synthetic_loader(name: str) -> str:
    return join(
        f"# --- The data: {name}, drawn with the app's NumPy code and seed\n"
        + lift(datasets.GENERATORS[name]),
        code(
            f'''
            def load_raw():
                """{datasets.SYNTHETIC_SIZE} points of {name}, drawn as the app draws them."""
                rng = np.random.default_rng([DATA_SEED, 1])
                return {name}({datasets.SYNTHETIC_SIZE}, rng)
            '''
        ),
    )


@functools.cache
def _fashion_loader() -> str:
    from .. import fashion_mnist  # on demand: it imports urllib, which other exports never need

    files = "\n".join(f'    "{role}": "{name}",' for role, (name, _) in fashion_mnist.FILES.items())
    return join(
        code(
            """
            # --- The data: Fashion-MNIST, from the cache Gradient Lab downloads it into -----------
            # Official split: 60,000 training images, 10,000 test images (the validation split here).
            FILES = {
            $files
            }
            IDX_UINT8 = $idx_uint8
            """,
            files=files,
            idx_uint8=f"{fashion_mnist.IDX_UINT8:#04x}",
        ),
        lift(fashion_mnist.cache_dir),
        lift(fashion_mnist.read_idx),
        code(
            '''
            def load_split():
                """X_train (60000, 784), y_train, X_val (10000, 784), y_val, as uint8 / int64."""
                folder = cache_dir()
                missing = [name for name in FILES.values() if not (folder / name).is_file()]
                if missing:
                    sys.exit(
                        f"Fashion-MNIST is not in {folder} (missing: {', '.join(missing)}). Download it "
                        "once (about 30 MB) from the Gradient Lab folder with: python -m core.fashion_mnist"
                    )
                a = {role: read_idx(folder / name) for role, name in FILES.items()}
                X_train = a["train_images"].reshape(len(a["train_images"]), -1)
                X_val = a["test_images"].reshape(len(a["test_images"]), -1)
                return X_train, a["train_labels"].astype(np.int64), X_val, a["test_labels"].astype(np.int64)
            '''
        ),
    )


_STANDARDISE = code(
    '''
    def standardise(X_train, X_val):
        """(x - mean) / std with the training split's statistics (float64), as float32; a
        constant feature (a blank pixel) is centred but not divided by its zero std."""
        X_train64 = X_train.astype(np.float64)
        mean = X_train64.mean(axis=0)
        std = X_train64.std(axis=0)
        scale = np.where(std > 1e-12, std, 1.0)
        return [((X.astype(np.float64) - mean) / scale).astype(np.float32) for X in (X_train, X_val)]
    '''
)

#: How ``load_data`` prepares the features: standardised (the app's default) or raw.
_PREPARE = {
    True: ("standardised", "X_train, X_val = standardise({train}, {val})"),
    False: (
        "raw",
        "# raw inputs, as the run trains on them: only cast to float32\n"
        "X_train, X_val = {train}.astype(np.float32), {val}.astype(np.float32)",
    ),
}


def _load_data(split_here: bool, standardize: bool) -> str:
    """``load_data()``: Fashion-MNIST comes split (``split_here=False``); the other sets are
    split here."""
    kind, prepare = _PREPARE[standardize]
    if not split_here:
        return code(
            '''
            def load_data():
                """X_train, y_train, X_val, y_val ($kind float32, int64) and the classes."""
                X_train, y_train, X_val, y_val = load_split()
            $prepare
                return X_train, y_train, X_val, y_val, 10
            ''',
            kind=kind,
            prepare=textwrap.indent(prepare.format(train="X_train", val="X_val"), " " * 4),
        )
    return code(
        '''
        def load_data():
            """X_train, y_train, X_val, y_val ($kind float32, int64) and the classes."""
            X, y = load_raw()
            classes, y = np.unique(y, return_inverse=True)  # labels 0..C-1
            train, val = stratified_split(y, $fraction, np.random.default_rng(DATA_SEED))
        $prepare
            return X_train, y[train], X_val, y[val], len(classes)
        ''',
        kind=kind,
        fraction=repr(VAL_FRACTION),
        prepare=textwrap.indent(prepare.format(train="X[train]", val="X[val]"), " " * 4),
    )


def data(dataset: str, standardize: bool = True) -> str:
    """``load_data()``, and everything it calls, for ``dataset`` (standardised, or raw)."""
    standardise = _STANDARDISE if standardize else ""
    if dataset == "fashion_mnist":
        return join(_fashion_loader(), standardise, _load_data(False, standardize))
    loader = _file_loader(dataset) if dataset in _FILES else _synthetic_loader(dataset)
    return join(loader, lift(datasets.stratified_split), standardise, _load_data(True, standardize))


# --- the initial weights -------------------------------------------------------------------------

_FAN = {
    "fan_in": "fan_in",
    "fan_out": "fan_out",
    "fan_avg": "((fan_in + fan_out) / 2.0)",
}
_PRESET_NAMES = {
    "glorot": "Glorot (Xavier)",
    "he": "He",
    "lecun": "LeCun",
}
_SHAPE = "(fan_in, fan_out)"
#: One kernel drawn with ``std`` in scope, by distribution, as the engine's initializers draw it.
_DRAWS = {
    "uniform": (
        f"r = math.sqrt(3.0) * std\nreturn rng.uniform(-r, r, size={_SHAPE}).astype(np.float32)"
    ),
    "untruncated_normal": f"x = rng.standard_normal({_SHAPE}, dtype=np.float32)\nx *= std\nreturn x",
    "truncated_normal": (
        f"x = truncated_standard_normal({_SHAPE}, rng)\nx *= std / TRUNCATED_STD\nreturn x"
    ),
}


def _truncated_normal() -> str:
    """The engine's redraw loop and the constants it and ``draw_kernel`` use."""
    return join(
        f"TRUNCATED_STD = {initializers.TRUNCATED_STD!r}  # std of N(0, 1) truncated to ±2\n"
        f"TRUNCATION_BOUND = {initializers.TRUNCATION_BOUND!r}",
        lift(initializers.truncated_standard_normal),
    )


def _draw_kernel(model: ModelConfig) -> tuple[str, str]:
    """``draw_kernel(fan_in, fan_out, rng)``, the engine's initializer for ``model`` written out,
    and the distribution it draws from (``"constant"`` for a constant)."""
    name = model.init
    if name in initializers.CONSTANT:
        value = "INIT_VALUE" if name == "constant" else "0.0"
        doc = f"Every weight {value} (no random draw): every unit of a layer starts the same."
        std = "0.0  # every weight is the same number: no spread"
        distribution = "constant"
        body = f"return np.full({_SHAPE}, {value}, dtype=np.float32)"
    else:
        if name == "random_normal":
            std, distribution = "INIT_STD", "untruncated_normal"
            doc = "N(0, INIT_STD²), untruncated."
        elif name == "random_uniform":
            std, distribution = "INIT_STD", "uniform"
            doc = "U(-r, r) with r = sqrt(3) * INIT_STD, so that the std is INIT_STD."
        else:
            scale, mode, distribution = initializers.PRESETS[name]
            if distribution == "truncated_normal" and not model.truncated:
                distribution = "untruncated_normal"
            family = _PRESET_NAMES[name.split("_")[0]]
            std = f"math.sqrt({scale!r} / {_FAN[mode]})"
            doc = {
                "uniform": f"{family} uniform: U(-r, r), r = sqrt(3) * std, variance std².",
                "truncated_normal": (
                    f"{family} normal as Keras draws it: a standard normal truncated at ±2\n"
                    "(values beyond are redrawn), times std / 0.8796 so that the variance is std²."
                ),
                "untruncated_normal": (
                    f"{family} normal, untruncated (PyTorch's choice): N(0, std²)."
                ),
            }[distribution]
        body = _DRAWS[distribution]
    draw = code(
        '''
        def draw_kernel(fan_in, fan_out, rng):
            """One Dense kernel (fan_in, fan_out), float32:
            $doc"""
            std = $std
        $body
        ''',
        doc=textwrap.indent(doc, " " * 4).lstrip(),
        std=std,
        body=textwrap.indent(body, " " * 4),
    )
    return draw, distribution


_KERNELS = code(
    '''
    def initial_kernels(sizes, weight_rng):
        """One kernel per Dense layer, each from its own child stream of weight_rng (as the app
        does, so that two networks that differ elsewhere still start layer k alike)."""
        streams = weight_rng.spawn(len(sizes) - 1)
        return [draw_kernel(a, b, rng) for a, b, rng in zip(sizes[:-1], sizes[1:], streams)]
    '''
)


def weights(model: ModelConfig) -> str:
    """``initial_kernels(sizes, weight_rng)``: the kernels the engine starts from, bit for bit."""
    draw, distribution = _draw_kernel(model)
    heading = "# --- The initial weights, drawn with NumPy exactly as the app draws them ---\n"
    if distribution == "truncated_normal":
        return join(heading + _truncated_normal(), draw, _KERNELS)
    return join(heading + draw, _KERNELS)


def numpy_part(
    model: ModelConfig, train: TrainConfig, dataset: str, standardize: bool = True
) -> str:
    """The framework-independent part of every export, runnable on its own: the NumPy imports,
    the settings, ``load_data()`` and ``initial_kernels(sizes, weight_rng)``. Executed, it gives
    what a script trains on and starts from (the tests compare both with the engine's, which
    ``datasets.load(dataset, DATA_SEED, standardize=standardize)`` gives)."""
    check(dataset)
    return join(
        imports(dataset),
        settings(model, train, dataset, standardize),
        data(dataset, standardize),
        weights(model),
    )
