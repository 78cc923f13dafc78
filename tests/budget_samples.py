"""One sample of every kind of work the budget charges, timed in CPU seconds.

tests/test_budget.py runs :func:`measure` in a process of its own (``python -c``), with one
BLAS thread as a server has (app.py), so this module imports neither conftest nor Streamlit.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ModelConfig, TrainConfig, bn_studies, datasets, train  # noqa: E402

SAMPLES = {  # one sample of every kind of work, each a few tenths of a second
    "training": (ModelConfig(hidden=(100,) * 6), TrainConfig(epochs=1)),
    "tiny batches": (ModelConfig(hidden=(16,) * 3), TrainConfig(epochs=1, batch_size=2)),
    "diagnostics, deep and narrow": (
        ModelConfig(hidden=(4,) * 60, activation="tanh"),
        TrainConfig(epochs=2, batch_size=512),
    ),
    "measurement only (epochs=0)": (
        ModelConfig(hidden=(256,) * 20, activation="selu"),
        TrainConfig(epochs=0),
    ),
    "batch normalization": (
        ModelConfig(hidden=(64,) * 6, batchnorm="before"),
        TrainConfig(epochs=1),
    ),
}
#: The folding study's sample: the model and the batch size of its timed steps.
FOLD_SAMPLE = (ModelConfig(hidden=(64,) * 6, batchnorm="before"), 32)


def cpu_seconds(fn) -> float:
    """Best of three CPU-time measurements (a busy neighbour inflates CPU time too)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def measure() -> dict[str, float]:
    """CPU seconds of every sample, and of the folding study (``"folding study"``)."""
    digits = datasets.load("digits")
    measured = {
        kind: cpu_seconds(lambda model=model, cfg=cfg: train(model, cfg, digits))
        for kind, (model, cfg) in SAMPLES.items()
    }
    model, batch_size = FOLD_SAMPLE
    net = train(model, TrainConfig(epochs=1, diagnostics=False), digits).net
    measured["folding study"] = cpu_seconds(
        lambda: (
            bn_studies.seconds_per_step(model, digits, batch_size),
            bn_studies.fold_report(net, digits.X_val),
        )
    )
    return measured
