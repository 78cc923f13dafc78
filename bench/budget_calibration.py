"""Calibrate the work budget: CPU seconds of real work against the counts :mod:`ui.runs.budget`
charges, fitted by least squares on relative error, and each sample's ratio printed.

Four kinds of samples, timed with ``time.process_time`` (CPU seconds of this process, all
threads; best of two) on one BLAS thread, as the app's server runs NumPy (app.py):

- ``layer``: one layer (Dense, BatchNorm, each activation) called on its own, at batch size 1
  (what a call costs) and on a 256 x 256 batch (what an element costs, forward and back);
- ``train``: training runs covering every activation with every BN placement (none, before,
  after), batch sizes 1 to 1024, depths 1 to 100, ``epochs=0`` measurement runs, every
  optimizer, clipping, with and without diagnostics;
- ``fold``: the folding study of one variant (``ui.story.measure.fold_summary``);
- ``boundary``: the decision boundaries of one network (``ui.story.measure.boundary_grid``) on a
  2-D data set, for every activation.

Prints, per sample, the measured CPU seconds, the charge and their ratio side by side, then the
range of the ratios per kind. With ``--fit``: the constants fitted to this machine (least
squares on rows scaled by 1 / measured, i.e. on relative error, every coefficient >= 0; then
all scaled by one factor that centres the range of the ratios on 1), to paste into
``ui/runs/budget.py``, and the table again with them. With ``--links``: two heavy GELU links
(:func:`links`), trained in-process through ``core.compare`` (about two minutes), against their
charge.

The charge estimates CPU seconds of the machine the constants were fitted on; on another
machine every ratio moves by about the same factor (below 1 on a faster machine), and the
spread of the ratios shows how well the model fits the work's shape. A benchmark: it prints
figures and checks nothing, since CPU time depends on the machine and on its neighbours.

Usage: python bench/budget_calibration.py [--fit] [--links]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

# One BLAS thread, as the server has (app.py), set before NumPy first loads: the charge is
# calibrated against the CPU time a server spends.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import (  # noqa: E402
    ModelConfig,
    TrainConfig,
    Variant,
    compare,
    datasets,
    initializers,
    train,
)
from core.activations import NAMES  # noqa: E402
from core.layers import Activation, BatchNorm, Dense  # noqa: E402
from core.network import build_network  # noqa: E402
from ui.runs import budget, counts  # noqa: E402
from ui.story import measure  # noqa: E402

BN = ("none", "before", "after")
#: Network and run sizes the activation x BN samples cycle through: (depth, width, batch size,
#: epochs, training samples or None for the whole split). Chosen so that each sample takes
#: 0.05-1 s: batch size 1 and depth 100 on a few samples, wide layers with large batches.
SIZES = [
    (1, 256, 1024, 10, None),
    (3, 64, 1, 1, 300),
    (10, 100, 32, 1, None),
    (30, 32, 8, 1, 400),
    (100, 16, 128, 2, None),
    (5, 200, 64, 1, None),
    (100, 8, 1, 1, 40),
    (2, 512, 256, 2, None),
]


@dataclass(frozen=True)
class Sample:
    """One piece of work to time: ``kind`` is "layer", "train", "fold" or "boundary"; a layer
    sample's ``layer`` is (layer name, mode, batch size, width, calls)."""

    name: str
    kind: str
    model: ModelConfig
    cfg: TrainConfig = TrainConfig()
    data: str = "digits"
    n_train: int | None = None
    layer: tuple[str, str, int, int, int] | None = None


#: Layer samples: one layer called on its own, ``calls`` times in ``mode`` ("both": forward in
#: training mode and backward; "forward": forward in training mode; "inference") on a batch of
#: ``batch`` x ``width``. At batch size 1, what a call costs beyond its arithmetic (which the
#: runs cannot tell apart between a Dense layer and the activation that always follows it); on
#: a large batch, what an element costs each way.
LAYERS = [
    ("dense", "both", 1, 8, 5000),
    ("batchnorm", "both", 1, 8, 5000),
    ("batchnorm", "both", 256, 256, 50),
    ("batchnorm", "forward", 256, 256, 50),
    ("batchnorm", "inference", 256, 256, 200),
] + [
    (name, mode, batch, width, calls)
    for name in NAMES
    for mode, batch, width, calls in (("both", 1, 8, 5000), ("both", 256, 256, 50), ("forward", 256, 256, 50))
]  # fmt: skip


def network(depth: int, width: int, activation: str, batchnorm: str = "none") -> ModelConfig:
    """``depth`` x ``width`` with ``activation`` and its matching initializer, as the pages
    start it: a run that diverges stops early and would measure less than it is charged."""
    init = initializers.matching(activation)
    return ModelConfig((width,) * depth, activation, init, batchnorm=batchnorm)


def samples() -> list[Sample]:
    out = [
        Sample(f"{name} {mode} {batch}x{width}", "layer", ModelConfig(), layer=spec)
        for spec in LAYERS
        for name, mode, batch, width, _ in [spec]
    ]
    # each activation with each BN placement at two sizes: every placement meets every size,
    # every activation six of the eight
    for shift in (0, 5):
        for i, (act, bn) in enumerate((a, b) for a in NAMES for b in BN):
            depth, width, bs, epochs, n = SIZES[(i + shift) % len(SIZES)]
            model = network(depth, width, act, bn)
            cfg = TrainConfig(epochs=epochs, batch_size=bs)
            name = f"{act} {bn} {depth}x{width} b{bs}"
            out.append(Sample(name, "train", model, cfg, n_train=n))
    extra = [  # (name, depth, width, activation, bn, TrainConfig, training samples)
        ("epochs=0 30x256", 30, 256, "gelu", "none", TrainConfig(epochs=0), None),
        ("epochs=0 10x100", 10, 100, "sigmoid", "after", TrainConfig(epochs=0), None),
        ("epochs=0 30x512", 30, 512, "selu", "before", TrainConfig(epochs=0), None),
        ("epochs=0 100x64", 100, 64, "swish", "none", TrainConfig(epochs=0), None),
        ("adam b1 3x256", 3, 256, "relu", "none", TrainConfig(epochs=1, batch_size=1, optimizer="adam"), 200),
        ("momentum b4 3x256", 3, 256, "tanh", "after", TrainConfig(epochs=1, batch_size=4, optimizer="momentum"), 400),
        ("adam 10x100", 10, 100, "elu", "before", TrainConfig(epochs=2, optimizer="adam"), None),
        ("clip value 10x100", 10, 100, "relu", "none", TrainConfig(epochs=1, clip="value", clip_threshold=1e-3), None),
        ("clip norm b4 3x256", 3, 256, "leaky_relu", "none", TrainConfig(epochs=1, batch_size=4, clip="norm", clip_threshold=1e-3), 400),
        ("no diagnostics 10x100", 10, 100, "relu", "none", TrainConfig(epochs=2, diagnostics=False), None),
        ("no diagnostics 100x100", 100, 100, "gelu", "before", TrainConfig(epochs=1, diagnostics=False, batch_size=256), None),
        ("default 10x100", 10, 100, "relu", "none", TrainConfig(epochs=2), None),
        ("gelu b1 100x8", 100, 8, "gelu", "none", TrainConfig(epochs=1, batch_size=1), 40),
        ("gelu BN b1 50x8", 50, 8, "gelu", "before", TrainConfig(epochs=1, batch_size=1), 40),
        ("gelu 100x200 b64", 100, 200, "gelu", "none", TrainConfig(epochs=1, batch_size=64), 64),
    ]  # fmt: skip
    for name, depth, width, act, bn, cfg, n in extra:
        model = network(depth, width, act, bn)
        out.append(Sample(name, "train", model, cfg, n_train=n))
    # deep networks whose signal vanishes, as the pages show them (GELU with Glorot or LeCun,
    # as in the heavy initialization link of links()): values near float32's smallest normal
    # make NumPy's arithmetic slower (GELU's z**3 underflows), which no count sees, so the fit
    # must see them
    for name, width, act, init, bs, n in (
        ("gelu glorot 100x200 b64", 200, "gelu", "glorot_normal", 64, 128),
        ("gelu lecun 100x200 b64", 200, "gelu", "lecun_uniform", 64, 128),
        ("sigmoid glorot 100x100 b32", 100, "sigmoid", "glorot_normal", 32, 320),
        ("tanh glorot 100x100 b32", 100, "tanh", "glorot_normal", 32, 320),
    ):
        model = ModelConfig((width,) * 100, act, init)
        cfg = TrainConfig(epochs=1, batch_size=bs)
        out.append(Sample(name, "train", model, cfg, n_train=n))
    folds = [  # (depth, width, activation, bn, batch size)
        (10, 100, "relu", "before", 32),
        (10, 100, "tanh", "after", 32),
        (10, 100, "gelu", "none", 32),
        (30, 64, "sigmoid", "before", 8),
        (3, 256, "swish", "after", 256),
    ]
    for depth, width, act, bn, bs in folds:
        model = network(depth, width, act, bn)
        cfg = TrainConfig(batch_size=bs)
        out.append(Sample(f"{act} {bn} {depth}x{width} b{bs}", "fold", model, cfg))
    boundaries = [(10, 100), (30, 64), (3, 512), (100, 32), (1, 16), (10, 240), (50, 100), (5, 32)]
    for i, act in enumerate(NAMES):
        depth, width = boundaries[i]
        model = network(depth, width, act, BN[i % 3])
        out.append(Sample(f"{act} {BN[i % 3]} {depth}x{width}", "boundary", model, data="spirals"))
    for depth, width, act in ((25, 240, "gelu"), (100, 100, "relu"), (100, 64, "sigmoid")):
        model = network(depth, width, act)
        out.append(Sample(f"{act} none {depth}x{width}", "boundary", model, data="spirals"))
    model = ModelConfig((100,) * 60, "gelu", "glorot_normal")
    out.append(Sample("gelu glorot 60x100", "boundary", model, data="spirals"))
    return out


def dataset(sample: Sample):
    data = datasets.load(sample.data)
    if sample.n_train is None:
        return data
    return replace(
        data, X_train=data.X_train[: sample.n_train], y_train=data.y_train[: sample.n_train]
    )


def shape_of(data) -> counts.Shape:
    return counts.Shape(data.n_features, data.n_classes, len(data.X_train), len(data.X_val))


def layer(name: str, width: int):
    """The layer of a layer sample: a Dense, a BatchNorm or an activation."""
    if name == "dense":
        w = np.random.default_rng(0).normal(size=(width, width)).astype(np.float32)
        return Dense(w, np.zeros(width, np.float32))
    return BatchNorm(width) if name == "batchnorm" else Activation(name)


def work(sample: Sample, shape: counts.Shape) -> Counter:
    """What :mod:`ui.runs.budget` counts for ``sample``: a layer sample's counts by the terms the
    runs use (a Dense layer's bias is counted with its activation's elements, so not here)."""
    if sample.kind == "layer":
        name, mode, batch, width, calls = sample.layer
        both, values = mode == "both", calls * batch * width
        if name == "dense":  # forward, and back with dL/dx: three products
            return Counter({"dense_call": 2 * calls, "mac": 3 * values * width})
        if name == "batchnorm":
            if mode == "inference":
                return Counter({"bn_call": calls, "bn_inference": values})
            return Counter(
                {"bn_call": (1 + both) * calls, "bn_forward": values, "bn_backward": both * values}
            )
        return Counter(
            {
                f"activation_call/{name}": (1 + both) * calls,
                f"activation_forward/{name}": values,
                f"activation_backward/{name}": both * values,
            }
        )
    if sample.kind == "train":
        return counts.run_work(shape, sample.model, sample.cfg)
    if sample.kind == "fold":
        return counts.fold_study_work(shape, sample.model, sample.cfg.batch_size)
    return counts.boundary_work(shape, sample.model)


def cpu(fn) -> float:
    """Best of two CPU-time measurements of ``fn()``."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def timed(sample: Sample, data) -> float:
    """Best-of-two CPU seconds of ``sample``'s work on ``data`` (NaN for a run that diverges)."""
    if sample.kind == "layer":
        name, mode, batch, width, calls = sample.layer
        one = layer(name, width)
        x = np.random.default_rng(1).normal(size=(batch, width)).astype(np.float32)

        def repeat():
            for _ in range(calls):
                if mode == "inference":
                    one.infer(x)
                    continue
                one.forward(x, training=True)
                if mode == "both":
                    one.backward(x)

        return cpu(repeat)
    variant = Variant(sample.name, sample.model, sample.cfg)
    if sample.kind == "train":
        if train(sample.model, sample.cfg, data).diverged_at is not None:
            return math.nan  # stopped early: not the work charged
        return cpu(lambda: train(sample.model, sample.cfg, data))
    net = build_network(data.n_features, data.n_classes, sample.model, np.random.default_rng(0))
    if sample.kind == "fold":
        return cpu(lambda: measure.fold_summary(variant, net, data))
    return cpu(lambda: measure.boundary_grid(variant, net, data))


def table(rows: list[tuple[Sample, float, float]], title: str) -> None:
    """Each sample's measured and charged seconds and their ratio, then the range per kind."""
    print(f"\n{title}\n{'kind':9s} {'sample':34s} {'cpu s':>7s} {'charged':>8s} {'ratio':>6s}")
    for sample, measured, charged in rows:
        ratio = measured / charged
        print(f"{sample.kind:9s} {sample.name:34s} {measured:7.3f} {charged:8.3f} {ratio:6.2f}")
    print("measured / charged:")
    for kind in ("layer", "train", "fold", "boundary", "all"):
        ratios = [m / c for s, m, c in rows if kind in (s.kind, "all")]
        print(f"  {kind:9s} {min(ratios):5.2f} to {max(ratios):5.2f} over {len(ratios)} samples")


def nnls(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """argmin ||a x - b|| subject to x >= 0 (Lawson and Hanson's active set method): terms
    enter the fit one by one, the one whose coefficient would most reduce the error first;
    a term whose coefficient turns negative in a refit leaves it again."""
    x, free = np.zeros(a.shape[1]), np.zeros(a.shape[1], bool)
    tol = 1e-12 * len(b)
    for _ in range(10 * a.shape[1]):
        gradient = a.T @ (b - a @ x)
        if free.all() or gradient[~free].max() <= tol:
            break
        free[np.argmax(np.where(free, -np.inf, gradient))] = True
        while True:
            z = np.zeros_like(x)
            z[free] = np.linalg.lstsq(a[:, free], b, rcond=None)[0]
            if (z[free] > 0).all():
                x = z
                break
            # move from x towards z as far as every coefficient stays >= 0, then drop the zeros
            out = free & (z <= 0)
            step = np.min(x[out] / (x[out] - z[out]))
            x = x + step * (z - x)
            free &= x > tol
            x[~free] = 0
    return x


def fit(works: list[Counter], measured: np.ndarray) -> tuple[dict[str, float], float]:
    """Least squares on relative error: sum_i (charge_i / measured_i - 1)^2 over the samples,
    every coefficient >= 0 (:func:`nnls`). Returns the constants and the sum of squares."""
    terms = sorted({t for w in works for t in w})
    a = np.array([[w.get(t, 0.0) for t in terms] for w in works]) / measured[:, None]
    scale = np.linalg.norm(a, axis=0)  # unit columns: counts span 15 orders of magnitude
    coef = nnls(a / scale, np.ones(len(a)))
    residual = float(((a / scale @ coef - 1) ** 2).sum())
    return {t: float(c / s) for t, c, s in zip(terms, coef, scale)}, residual


def links() -> None:
    """Two heavy links, trained in-process as the app trains them, against their charge:
    /initialization?activation=gelu&inits=glorot_normal,glorot_uniform,lecun_normal,
    lecun_uniform&depth=100&width=200&batch_size=64&epochs=1, and the Lab on spirals with four
    GELU variants (otherwise the Lab's defaults) of 100 x 240, batch size 64, 2 epochs, with
    the decision boundaries of every variant that did not diverge."""
    init = ModelConfig(hidden=(200,) * 100, activation="gelu")
    cfg = TrainConfig(epochs=1, batch_size=64)
    inits = ("glorot_normal", "glorot_uniform", "lecun_normal", "lecun_uniform")
    variants = [Variant(i, replace(init, init=i), cfg) for i in inits]
    digits = datasets.load("digits")
    start = time.process_time()
    compare(variants, digits)
    spent = time.process_time() - start
    charged = budget.comparison_cost(shape_of(digits), [(v.model, v.train) for v in variants], 1)
    print(
        f"\ninitialization, 4 inits, GELU 100x200, b64, 1 epoch: {spent:.1f} CPU-s, charged {charged.seconds:.1f} s"
    )
    lab = [  # the lab's variants 1-4 (ui.page.params.LAB_DEFAULTS) with GELU
        ("he_normal", "none", "sgd", 0.01, "none"),
        ("random_normal", "none", "sgd", 0.01, "none"),
        ("he_normal", "before", "adam", 0.001, "none"),
        ("glorot_uniform", "none", "momentum", 0.01, "global_norm"),
    ]
    variants = [
        Variant(
            f"v{i}",
            ModelConfig(hidden=(240,) * 100, activation="gelu", init=ini, batchnorm=bn),
            TrainConfig(optimizer=opt, lr=lr, clip=clip, epochs=2, batch_size=64),
        )
        for i, (ini, bn, opt, lr, clip) in enumerate(lab, start=1)
    ]
    spirals = datasets.load("spirals")
    start = time.process_time()
    comp = compare(variants, spirals)
    trained = time.process_time() - start
    for v in variants:
        net = comp.runs[(v.name, 0)].net
        if net is not None:
            measure.boundary_grid(v, net, spirals)
    spent = time.process_time() - start
    shape = shape_of(spirals)
    charged = budget.comparison_cost(shape, [(v.model, v.train) for v in variants], 1)
    borders = sum((budget.boundary_cost(shape, v.model) for v in variants), budget.Cost())
    diverged = [v.name for v in variants if comp.runs[(v.name, 0)].net is None]
    print(
        f"lab, spirals, 4 GELU variants 100x240, b64, 2 epochs: {spent:.1f} CPU-s "
        f"({trained:.1f} training, {spent - trained:.1f} boundaries; diverged: {diverged}), "
        f"charged {charged.seconds:.1f} + {borders.seconds:.1f} s boundaries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit and print new constants")
    parser.add_argument("--links", action="store_true", help="time two heavy GELU links")
    args = parser.parse_args()
    chosen, measured, shapes = samples(), [], []
    print(f"timing {len(chosen)} samples", flush=True)
    for sample in chosen:
        data = dataset(sample)
        shapes.append(shape_of(data))
        measured.append(timed(sample, data))
    diverged = [s.name for s, m in zip(chosen, measured) if math.isnan(m)]
    if diverged:
        print(f"left out, diverged: {', '.join(diverged)}")
    kept = [i for i, m in enumerate(measured) if not math.isnan(m)]
    chosen, shapes = [chosen[i] for i in kept], [shapes[i] for i in kept]
    measured = np.array([measured[i] for i in kept])

    def charges() -> list[float]:
        return [budget.seconds(work(s, shape)) for s, shape in zip(chosen, shapes)]

    table(list(zip(chosen, measured, charges())), "with the constants in ui/runs/budget.py")
    if args.fit:
        works = [work(s, shape) for s, shape in zip(chosen, shapes)]
        constants, _ = fit(works, measured)
        budget.SECONDS_PER = {t: constants.get(t, 0.0) for t in budget.SECONDS_PER}
        # then every constant scaled by one factor that centres the ratios' range on 1
        # (geometrically): least squares centres the typical sample, but what the budget
        # promises is that no work costs much more than its charge, nor much less
        ratios = measured / np.array(charges())
        factor = math.sqrt(ratios.min() * ratios.max())
        budget.SECONDS_PER = {t: c * factor for t, c in budget.SECONDS_PER.items()}
        print(
            f"\nleast squares, then scaled by {factor:.2f} (ratios {ratios.min():.2f} to {ratios.max():.2f})"
        )
        print("\nSECONDS_PER = {")
        for term, value in budget.SECONDS_PER.items():
            print(f'    "{term}": {value:.3g},')
        print("}")
        table(list(zip(chosen, measured, charges())), "with the fitted constants")
    if args.links:
        links()


if __name__ == "__main__":
    main()
