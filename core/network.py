"""The network: a list of layers, built from a :class:`ModelConfig`.

Layer order (``batchnorm`` placement in each hidden block)::

    "none":    Dense -> Activation                  ... -> Dense (logits)
    "before":  Dense(no bias) -> BatchNorm -> Activation  ... -> Dense (logits)
    "after":   Dense -> Activation -> BatchNorm     ... -> Dense (logits)

and with ``input_batchnorm=True`` one more BatchNorm on the inputs, before the first Dense::

    x -> BatchNorm(input_dim) -> Dense -> ...  (then as above, whatever the placement)

With BN before the activation the Dense bias is dropped, as Keras users do: BN's beta takes its
role and a bias would be cancelled by the mean subtraction anyway. The input BN standardises
each feature with mini-batch statistics while training and with its moving averages at
inference (Ioffe and Szegedy, 2015): the network then needs no standardised inputs. It belongs
to no hidden block; ``Network.blocks`` and everything that counts Dense layers leave it out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from . import activations, initializers
from .layers import Activation, BatchNorm, Dense

BATCHNORM_PLACEMENTS = ("none", "before", "after")


@dataclass(frozen=True)
class ModelConfig:
    """What the network looks like and how its weights start.

    Attributes:
        hidden: units per hidden layer, e.g. ``(100,) * 10``.
        activation: hidden activation, a name in ``activations.NAMES``.
        init: initializer name in ``initializers.NAMES`` (used for every Dense kernel).
        init_std: std for ``random_normal`` / ``random_uniform``.
        init_value: every weight's value for ``constant``.
        batchnorm: ``"none" | "before" | "after"`` the activation, in every hidden block.
        input_batchnorm: a BatchNorm layer on the inputs, before the first Dense (see the
            module docstring); same convention as the others.
        alpha: alpha of leaky_relu / elu (None: the default in ``activations.DEFAULT_ALPHA``).
        truncated: Keras' truncated normal for the ``*_normal`` presets (False: PyTorch's).
        bn_convention: ``"keras"`` (momentum 0.99, eps 1e-3) or ``"torch"`` (0.1, 1e-5).
    """

    hidden: tuple[int, ...] = (100,) * 10
    activation: str = "relu"
    init: str = "he_normal"
    init_std: float = 1.0
    batchnorm: str = "none"
    alpha: float | None = None
    truncated: bool = True
    bn_convention: str = "keras"
    init_value: float = initializers.DEFAULT_VALUE
    input_batchnorm: bool = False

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(int(h) for h in self.hidden))
        if any(h < 1 for h in self.hidden):
            raise ValueError(f"hidden layer sizes must be >= 1, got {self.hidden}")
        activations.get(self.activation, self.alpha)
        initializers.get(self.init, self.init_std, value=self.init_value)
        if self.batchnorm not in BATCHNORM_PLACEMENTS:
            raise ValueError(
                f"unknown batchnorm placement {self.batchnorm!r}; "
                f"valid placements: {', '.join(BATCHNORM_PLACEMENTS)}"
            )
        if not isinstance(self.input_batchnorm, bool | np.bool_):
            raise ValueError(f"input_batchnorm must be True or False, got {self.input_batchnorm!r}")
        object.__setattr__(self, "input_batchnorm", bool(self.input_batchnorm))

    @property
    def uses_batchnorm(self) -> bool:
        """Whether the network has any BatchNorm layer (hidden or on the inputs)."""
        return self.batchnorm != "none" or self.input_batchnorm


class Network:
    """A feed-forward network: ``layers`` in forward order.

    Attributes:
        layers: [BatchNorm on the inputs], Dense, [BatchNorm], Activation, ..., Dense.
        dense: the Dense layers only, from the input; ``dense[i]`` is layer ``i + 1``.
        input_layers: what comes before the first Dense (the input BN, or nothing).
        dtype: float32 normally, float64 for gradient checks.
    """

    def __init__(self, layers: list, dtype=np.float32):
        self.layers = layers
        self.dtype = np.dtype(dtype)

    @property
    def dense(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def input_layers(self) -> list:
        """The layers before the first Dense: ``[BatchNorm]`` with an input BN, else ``[]``."""
        first = next(i for i, layer in enumerate(self.layers) if isinstance(layer, Dense))
        return self.layers[:first]

    def blocks(self) -> list[list]:
        """The layers grouped by Dense layer: each block starts with a Dense and holds what
        follows it up to the next Dense (its BN and activation). The last block is the output.
        :attr:`input_layers` (an input BN) belong to no block."""
        groups: list[list] = []
        for layer in self.layers:
            if isinstance(layer, Dense):
                groups.append([])
            if groups:
                groups[-1].append(layer)
        return groups

    def forward(
        self, x: np.ndarray, training: bool = False, update_moving_stats: bool = True
    ) -> np.ndarray:
        """x: (N, input_dim) -> logits (N, output_dim).

        ``training`` selects batch statistics in BatchNorm; ``update_moving_stats=False`` keeps
        the moving averages untouched (for measurements that must not change the model).
        """
        for layer in self.layers:
            if isinstance(layer, BatchNorm):
                x = layer.forward(x, training, update_moving_stats)
            else:
                x = layer.forward(x, training)
        return x

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dout: (N, output_dim) = dL/dlogits -> dL/dx (N, input_dim); fills every layer's grads.

        ``input_grad=False`` skips dL/dx (one matrix product that training does not need) and
        returns None. The first layer may be a Dense or an input BatchNorm: both take
        ``input_grad``, and an input BN still fills its gamma and beta gradients.
        """
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        return self.layers[0].backward(dout, input_grad)

    def param_arrays(self) -> list[np.ndarray]:
        """Every trainable tensor, in forward order (layer by layer, keys in dict order)."""
        return [layer.params[k] for layer in self.layers for k in layer.params]

    def grad_arrays(self) -> list[np.ndarray]:
        """The gradients matching :meth:`param_arrays`."""
        return [layer.grads[k] for layer in self.layers for k in layer.params]

    def flatten(self) -> tuple[np.ndarray, np.ndarray]:
        """Move every parameter into one contiguous vector, and every gradient into another.

        Each layer's ``params[k]`` / ``grads[k]`` becomes a view into them, so the layers work
        as before while the optimizer update and the global gradient norm become one NumPy
        operation each instead of one per tensor (what makes training fast for small layers).

        Returns:
            (params, grads): two (P,) arrays, P = :meth:`n_params`, in :meth:`param_arrays` order.
        """
        arrays = self.param_arrays()
        flat_params = np.empty(sum(a.size for a in arrays), self.dtype)
        flat_grads = np.zeros_like(flat_params)
        start = 0
        for layer in self.layers:
            for key, value in layer.params.items():
                stop = start + value.size
                layer.params[key] = flat_params[start:stop].reshape(value.shape)
                layer.params[key][...] = value
                layer.grads[key] = flat_grads[start:stop].reshape(value.shape)
                start = stop
        return flat_params, flat_grads

    def kernel_views(self, flat: np.ndarray) -> list[np.ndarray]:
        """Views of ``flat``, a (P,) vector laid out like :meth:`flatten`'s, at the Dense
        kernels' places and in their shapes: ``kernel_views(flat_params)[i]`` is
        ``dense[i].params["W"]``; on another vector of that layout, its matching part."""
        views, start = [], 0
        for layer in self.layers:
            for key, value in layer.params.items():
                stop = start + value.size
                if isinstance(layer, Dense) and key == "W":
                    views.append(flat[start:stop].reshape(value.shape))
                start = stop
        return views

    def n_params(self) -> int:
        return sum(p.size for p in self.param_arrays())

    def predict(self, x: np.ndarray, chunk_elements: int = 2**18) -> np.ndarray:
        """Inference-mode logits (N, output_dim), the same as ``forward(x)`` but caching nothing
        in the layers: each layer's output is freed as soon as the next one is computed, which
        keeps memory flat and lets NumPy reuse it (fresh large arrays cost page faults).

        Rows go in chunks so that no layer's output exceeds ``chunk_elements`` values (1 MB in
        float32); a data set like digits (1,438 x 100 per layer) goes through in one pass.
        """
        widest = max(layer.fan_out for layer in self.dense)
        if self.input_layers:  # an input BN's output is as wide as the inputs
            widest = max(widest, self.dense[0].fan_in)
        rows = max(1, chunk_elements // widest)
        chunks = []
        for i in range(0, max(len(x), 1), rows):  # an empty x still gives (0, output_dim)
            out = x[i : i + rows]
            for layer in self.layers:
                out = layer.infer(out)
            chunks.append(out)
        return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)


def build_network(
    input_dim: int,
    output_dim: int,
    model: ModelConfig,
    rng: np.random.Generator,
    dtype=np.float32,
) -> Network:
    """Build the network of ``model`` for inputs of ``input_dim`` features.

    Each Dense kernel is drawn from its own child stream of ``rng`` (``rng.spawn``), so that two
    configurations agree on layer ``k``'s stream whatever their other layers are: a paired
    comparison of initializers or activations starts from the same random numbers. An input BN
    draws nothing (gamma 1, beta 0), so it leaves every kernel as it would be without it.
    """
    init = initializers.get(model.init, model.init_std, model.truncated, model.init_value)
    sizes = (input_dim, *model.hidden, output_dim)
    streams = rng.spawn(len(sizes) - 1)
    layers: list = []
    if model.input_batchnorm:
        layers.append(BatchNorm(input_dim, model.bn_convention, dtype))
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        is_output = i == len(sizes) - 2
        W = init((fan_in, fan_out), streams[i], dtype)
        use_bias = is_output or model.batchnorm != "before"
        layers.append(Dense(W, np.zeros(fan_out, dtype) if use_bias else None))
        if is_output:
            break
        if model.batchnorm == "before":
            layers.append(BatchNorm(fan_out, model.bn_convention, dtype))
        layers.append(Activation(model.activation, model.alpha))
        if model.batchnorm == "after":
            layers.append(BatchNorm(fan_out, model.bn_convention, dtype))
    return Network(layers, dtype)


def fold_batchnorm(net: Network) -> Network:
    """A copy of ``net`` without BatchNorm whose inference output equals ``net``'s.

    In inference mode BN is the affine map ``z = s * x + t`` with
    ``s = gamma / sqrt(moving_var + eps)``, ``t = beta - moving_mean * s``.

    - BN right after a Dense (``"before"``): ``(x W + b) s + t = x (W s) + (b s + t)``,
      so ``W' = W * s`` (each column scaled), ``b' = b * s + t``.
    - BN after an activation (``"after"``), or on the inputs: it feeds the next Dense,
      ``(a s + t) W + b = a (s[:, None] * W) + (t W + b)``, so that Dense absorbs it. (On raw
      inputs the terms ``x s`` and ``t`` each grow with a feature's mean / std and cancel in
      the sum: folding an input BN costs about log10 of that ratio in float32 digits.)

    ``net`` is left untouched.
    """
    layers = copy.deepcopy(net.layers)
    out: list = []
    pending = None  # (s, t) of a BN waiting for the next Dense
    for layer in layers:
        if isinstance(layer, BatchNorm):
            s, t = layer.scale_shift()
            prev = out[-1] if out else None  # None: a BN on the inputs
            if isinstance(prev, Dense):
                W = prev.params["W"] * s
                b = prev.params.get("b", np.zeros_like(t)) * s + t
                out[-1] = Dense(W, b)
            else:
                pending = (s, t)
            continue
        if isinstance(layer, Dense) and pending is not None:
            s, t = pending
            W = layer.params["W"]
            b = layer.params.get("b", np.zeros(W.shape[1], W.dtype))
            layer = Dense(s[:, None] * W, t @ W + b)
            pending = None
        out.append(layer)
    return Network(out, net.dtype)
