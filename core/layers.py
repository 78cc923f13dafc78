"""The three layer types of the network: Dense, BatchNorm and Activation.

Every layer has ``params`` and ``grads`` (dicts with the same keys; empty for Activation),
``forward(x, training)`` that caches what ``backward`` needs, ``infer(x)``, the inference-mode
forward that caches nothing (for predictions), and ``backward(dout) -> dx`` that
writes the gradients into the ``grads`` arrays in place (so they may be views into one flat
buffer, see ``Network.flatten``). Dense and BatchNorm, the layers that can come first in a
network, also take ``backward(dout, input_grad=False)``, which skips dx. Shapes: ``N`` samples, ``D`` input features, ``M`` output
features.
"""

from __future__ import annotations

import numpy as np

from . import activations

#: BatchNorm conventions: (momentum, eps, unbiased running variance).
BN_CONVENTIONS = {
    "keras": (0.99, 1e-3, False),
    "torch": (0.1, 1e-5, True),
}


class Dense:
    """Fully connected layer, Keras layout: ``y = x @ W + b``.

    Attributes:
        params: ``{"W": (D, M), "b": (M,)}`` (no ``"b"`` when ``use_bias`` is False).
        grads: same keys and shapes, filled by :meth:`backward`.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray | None = None):
        self.params = {"W": W}
        if b is not None:
            self.params["b"] = b
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._x = None

    def __getstate__(self):
        return {**self.__dict__, "_x": None}  # the cached input is not part of the layer

    @property
    def fan_in(self) -> int:
        return self.params["W"].shape[0]

    @property
    def fan_out(self) -> int:
        return self.params["W"].shape[1]

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """x: (N, D) -> y: (N, M), keeping x for :meth:`backward`."""
        self._x = x
        return self.infer(x)

    def infer(self, x: np.ndarray) -> np.ndarray:
        """x: (N, D) -> y: (N, M), caching nothing (for predictions)."""
        y = x @ self.params["W"]
        if "b" in self.params:
            y += self.params["b"]
        return y

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dout: (N, M) = dL/dy -> dx: (N, D) (None when ``input_grad`` is False).

        dL/dW = x^T @ dout,  dL/db = sum_n dout,  dL/dx = dout @ W^T.
        """
        np.matmul(self._x.T, dout, out=self.grads["W"])
        if "b" in self.params:  # np.add.reduce: np.sum's wrapper costs more than the sum here
            np.add.reduce(dout, axis=0, out=self.grads["b"])
        return dout @ self.params["W"].T if input_grad else None


class Activation:
    """Element-wise activation ``a = f(z)`` (see :mod:`core.activations`). No parameters.

    Attributes:
        name: activation name; ``alpha`` for the parametrised ones (leaky_relu, elu, selu).
        z, a: the last forward's input and output, each (N, M), kept for statistics.
    """

    def __init__(self, name: str, alpha: float | None = None):
        self.fn = activations.get(name, alpha)
        self.name = name
        self.alpha = self.fn.alpha
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.z = self.a = None

    def __getstate__(self):
        """Pickle by name and alpha (the functions are rebuilt), without the cached arrays."""
        return {"name": self.name, "alpha": self.alpha}

    def __setstate__(self, state):
        self.__init__(state["name"], state["alpha"])

    def forward(self, z: np.ndarray, training: bool = False) -> np.ndarray:
        """z: (N, M) -> a = f(z): (N, M)."""
        self.z = z
        self.a = self.infer(z)
        return self.a

    def infer(self, z: np.ndarray) -> np.ndarray:
        """z: (N, M) -> f(z), caching nothing (for predictions)."""
        return self.fn.forward(z)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dL/dz = f'(z) * dL/da (local derivative times upstream gradient)."""
        return self.fn.derivative(self.z, self.a) * dout


class BatchNorm:
    """Batch normalization over the feature axis of (N, M) inputs.

    During training (``training=True``), with the mini-batch's own statistics::

        mu_B      = mean_n x                       (M,)
        sigma2_B  = mean_n (x - mu_B)^2            (M,)  biased: divides by N
        x_hat     = (x - mu_B) / sqrt(sigma2_B + eps)
        z         = gamma * x_hat + beta           element-wise multiplication

    and the moving averages are updated (unless ``update_moving_stats=False``)::

        keras:  moving = moving * momentum + batch * (1 - momentum)     momentum=0.99, eps=1e-3
        torch:  moving = moving * (1 - momentum) + batch * momentum     momentum=0.1,  eps=1e-5
                and the running variance uses the unbiased sigma2_B * N / (N - 1)

    During inference (``training=False``), the moving averages replace the batch statistics,
    so each sample's output no longer depends on the rest of the batch::

        z = gamma * (x - moving_mean) / sqrt(moving_var + eps) + beta

    Attributes:
        params: ``{"gamma": (M,), "beta": (M,)}``, trainable scale and shift (offset).
        running_mean, running_var: (M,) moving averages (Keras ``moving_mean/variance``).
        momentum, eps, convention: as above.
    """

    def __init__(self, dim: int, convention: str = "keras", dtype=np.float32):
        if convention not in BN_CONVENTIONS:
            raise ValueError(
                f"unknown batchnorm convention {convention!r}; "
                f"valid conventions: {', '.join(BN_CONVENTIONS)}"
            )
        self.convention = convention
        self.momentum, self.eps, self.unbiased = BN_CONVENTIONS[convention]
        self.params = {"gamma": np.ones(dim, dtype), "beta": np.zeros(dim, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.running_mean = np.zeros(dim, dtype)
        self.running_var = np.ones(dim, dtype)
        self._cache = None

    def __getstate__(self):
        return {**self.__dict__, "_cache": None}

    @property
    def keep(self) -> float:
        """Weight of the old moving value in one update (0.99 for Keras, 0.9 for PyTorch)."""
        return self.momentum if self.convention == "keras" else 1.0 - self.momentum

    def scale_shift(self) -> tuple[np.ndarray, np.ndarray]:
        """Inference mode as an affine map ``z = s * x + t``: (s, t), each (M,)."""
        s = self.params["gamma"] / np.sqrt(self.running_var + self.eps)
        t = self.params["beta"] - self.running_mean * s
        return s, t

    def forward(
        self, x: np.ndarray, training: bool = False, update_moving_stats: bool = True
    ) -> np.ndarray:
        """x: (N, M) -> z: (N, M)."""
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            x_hat = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
            self._cache = ("inference", x_hat, self.scale_shift()[0])
            return self.infer(x)
        mu = x.mean(axis=0)
        xc = x - mu
        var = (xc * xc).mean(axis=0)
        inv_std = 1 / np.sqrt(var + self.eps)
        x_hat = xc * inv_std
        self._cache = ("training", x_hat, inv_std)
        if update_moving_stats:
            n = x.shape[0]
            batch_var = var * (n / (n - 1)) if self.unbiased and n > 1 else var
            self.running_mean *= self.keep
            self.running_mean += (1 - self.keep) * mu
            self.running_var *= self.keep
            self.running_var += (1 - self.keep) * batch_var
        return gamma * x_hat + beta

    def infer(self, x: np.ndarray) -> np.ndarray:
        """Inference mode, x: (N, M) -> s * x + t (see :meth:`scale_shift`), caching nothing."""
        s, t = self.scale_shift()
        return x * s + t

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dout: (N, M) -> dx: (N, M); fills dgamma = sum_n dout * x_hat, dbeta = sum_n dout.

        Training mode, with dx_hat = dout * gamma (the batch statistics depend on x too)::

            dx = inv_std / N * (N dx_hat - sum_n dx_hat - x_hat * sum_n (dx_hat * x_hat))

        Inference mode: dx = dout * gamma / sqrt(moving_var + eps).

        ``input_grad=False`` (a BN on the network's inputs, whose dx nothing needs) fills
        dgamma and dbeta all the same and returns None.
        """
        mode, x_hat, scale = self._cache
        np.sum(dout * x_hat, axis=0, out=self.grads["gamma"])
        np.sum(dout, axis=0, out=self.grads["beta"])
        if not input_grad:
            return None
        if mode == "inference":
            return dout * scale
        inv_std, n = scale, dout.shape[0]
        dx_hat = dout * self.params["gamma"]
        return (inv_std / n) * (
            n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)
        )
