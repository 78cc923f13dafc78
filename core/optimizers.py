"""Optimizers with Keras semantics (``keras.optimizers.SGD`` / ``Adam``).

Each optimizer updates a list of parameter arrays in place from a list of gradients of the
same shapes: ``opt.step(params, grads)``. State (velocities, moments) is kept per position in
the list, so the list must keep its order between steps.

- ``sgd``:       w <- w - lr g
- ``momentum``:  v <- m v - lr g;  w <- w + v            (Nesterov: w <- w + m v - lr g)
- ``adam``:      m <- b1 m + (1 - b1) g;  s <- b2 s + (1 - b2) g^2;
                 w <- w - lr_t m / (sqrt(s) + eps),  lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)
                 (b1=0.9, b2=0.999, eps=1e-7 as in Keras)
"""

from __future__ import annotations

import math

import numpy as np

NAMES = ("sgd", "momentum", "adam")


class SGD:
    def __init__(self, lr: float):
        self.lr = lr

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        for p, g in zip(params, grads):
            p -= self.lr * g


class Momentum:
    def __init__(self, lr: float, momentum: float = 0.9, nesterov: bool = False):
        self.lr, self.momentum, self.nesterov = lr, momentum, nesterov
        self.velocity: list[np.ndarray] | None = None

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity):
            v *= self.momentum
            v -= self.lr * g
            if self.nesterov:
                p += self.momentum * v - self.lr * g
            else:
                p += v


class Adam:
    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m: list[np.ndarray] | None = None
        self.s: list[np.ndarray] | None = None

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.s = [np.zeros_like(p) for p in params]
        self.t += 1
        lr_t = self.lr * math.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        for p, g, m, s in zip(params, grads, self.m, self.s):
            m *= self.beta1
            m += (1 - self.beta1) * g
            s *= self.beta2
            s += (1 - self.beta2) * (g * g)
            p -= lr_t * m / (np.sqrt(s) + self.eps)


def get(name: str, lr: float, momentum: float = 0.9, nesterov: bool = False):
    """Build the optimizer ``name`` (one of :data:`NAMES`) with learning rate ``lr``."""
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"learning rate must be a finite number > 0, got {lr}")
    if name == "sgd":
        return SGD(lr)
    if name == "momentum":
        return Momentum(lr, momentum, nesterov)
    if name == "adam":
        return Adam(lr)
    raise ValueError(f"unknown optimizer {name!r}; valid optimizers: {', '.join(NAMES)}")
