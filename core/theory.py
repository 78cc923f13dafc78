"""What theory predicts for signal propagation at initialization, to draw beside measurements
(forward: :func:`predicted_act_std`; backward: :func:`backward_gains`).

For a Dense layer ``z = a W`` with zero-mean weights of variance ``s2`` and ``n = fan_in``
inputs, ``E[z^2] = n s2 E[a^2]``. For the ReLU family the next layer's input has
``E[a^2] = (1 + alpha^2) / 2 * E[z^2]`` (ReLU: alpha = 0, half of the signal is cut), so the
second moment is multiplied by ``n s2 (1 + alpha^2) / 2`` in every layer:

- He (s2 = 2 / n) with ReLU: kept (factor 1);
- Glorot on square layers (s2 = 1 / n): halved;
- N(0, 1): multiplied by n / 2 (exploding).

The activations' spread scales with the square root of that factor. Other activations have no
such closed form, and the page says so instead of drawing a guess; neither do ``zeros`` and
``constant`` weights, which are not independent draws of mean zero.
"""

from __future__ import annotations

import numpy as np

from . import activations, initializers
from .network import ModelConfig

EXACT_FOR = ("relu", "leaky_relu")


def second_moment_factor(model: ModelConfig, fan_in: int, fan_out: int) -> float | None:
    """Per-layer factor of E[a^2] for a hidden layer of this shape (None if no closed form)."""
    if model.activation not in EXACT_FOR or model.init in initializers.CONSTANT:
        return None
    alpha = activations.get(model.activation, model.alpha).alpha or 0.0
    s2 = initializers.get(model.init, model.init_std, model.truncated).variance((fan_in, fan_out))
    return fan_in * s2 * (1 + alpha * alpha) / 2


def predicted_act_std(model: ModelConfig, first_std: float) -> np.ndarray | None:
    """Predicted std of hidden layers 1..depth's outputs, anchored at the measured ``first_std``
    of layer 1 (whose input, the data, is not a ReLU output). None if no closed form."""
    factors = [
        second_moment_factor(model, a, b) for a, b in zip(model.hidden[:-1], model.hidden[1:])
    ]
    exact = model.activation in EXACT_FOR and model.init not in initializers.CONSTANT
    if not exact or any(f is None for f in factors):
        return None
    return first_std * np.sqrt(np.cumprod([1.0, *factors]))


def backward_gains(model: ModelConfig) -> np.ndarray | None:
    """``sqrt(fan_in * Var W)`` of hidden layers 2..depth, at initialization: the factor by which
    each such layer's weights scale the back-propagated signal on its way down to the layer
    below, in norm over the layer: in ``dL/dz_k = (dL/dz_{k+1} W_{k+1}^T) * f'(z_k)`` each of
    the ``fan_in`` units of layer k gets a sum of ``fan_out`` terms, so that
    ``||dL/dz_{k+1} W^T||^2 ~ fan_in * Var W * ||dL/dz_{k+1}||^2``. Times the RMS slope of layer k's activation
    (``slope_rms``), it predicts ``||dL/dz_k|| / ||dL/dz_{k+1}||`` for weights drawn
    independently of the signal (Glorot and Bengio, 2010, eq. 2 and 6; He et al., 2015, eq. 13).
    None for ``zeros`` and ``constant`` weights, which are not independent draws of mean zero,
    and for networks with batch normalization in the hidden layers, which rescales the signal
    in every layer. A BN on the inputs alone changes none of these gains: it acts before
    layer 1, on the data, as standardising it would (and so does not change the anchor of
    :func:`predicted_act_std`, the measured std of layer 1's output, either)."""
    if model.init in initializers.CONSTANT or model.batchnorm != "none":
        return None
    init = initializers.get(model.init, model.init_std, model.truncated)
    shapes = zip(model.hidden[:-1], model.hidden[1:])
    return np.array([np.sqrt(a * init.variance((a, b))) for a, b in shapes])
