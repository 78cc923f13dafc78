"""Gradient Lab's engine: a small, exact NumPy network that measures its own gradients.

Pure NumPy (+ pandas for the result frames); never imports Streamlit or Altair.
"""

from . import (
    activations,
    boundary,
    clipping,
    datasets,
    diagnostics,
    initializers,
    losses,
    optimizers,
)
from .compare import Comparison, Variant, compare
from .layers import Activation, BatchNorm, Dense
from .network import ModelConfig, Network, build_network, fold_batchnorm
from .training import History, TrainConfig, evaluate, train

__all__ = [
    "Activation",
    "BatchNorm",
    "Comparison",
    "Dense",
    "History",
    "ModelConfig",
    "Network",
    "TrainConfig",
    "Variant",
    "activations",
    "boundary",
    "build_network",
    "clipping",
    "compare",
    "datasets",
    "diagnostics",
    "evaluate",
    "fold_batchnorm",
    "initializers",
    "losses",
    "optimizers",
    "train",
]
