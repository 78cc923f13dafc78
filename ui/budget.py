"""The work budget that keeps one request from hogging a shared server.

Work is counted in weight-updates: for every run, the number of weights times the training
samples times the epochs (one multiply-add per weight per sample in the forward pass, about
three with the backward). It is the design card's depth x width x epochs x samples made
exact for the first and last layers, whose widths differ. Each mini-batch step also costs a
fixed Python overhead, counted as :data:`STEP_COST` weight-updates, so that tiny batches
(batch size 1 means a step per sample) are charged what they really take.

The budget, :data:`MAX_WORK`, is about 8 s of training on one core of a 2-core machine.
"""

from __future__ import annotations

import math

MAX_WORK = 3e10
STEP_COST = 2e6  # about 0.5 ms of per-step overhead, in weight-updates


def weights(input_dim: int, hidden: tuple[int, ...], output_dim: int) -> int:
    """Number of kernel weights of the network: sum of fan_in * fan_out."""
    sizes = (input_dim, *hidden, output_dim)
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def work(
    input_dim: int,
    output_dim: int,
    hiddens: list[tuple[int, ...]],
    samples: int,
    epochs: int,
    seeds: int = 1,
    batch_size: int = 32,
) -> float:
    """Weight-updates of training every network of ``hiddens`` (one per variant)."""
    per_epoch = sum(weights(input_dim, h, output_dim) for h in hiddens) * samples
    steps = len(hiddens) * math.ceil(samples / batch_size)
    return (float(per_epoch) + steps * STEP_COST) * epochs * seeds


def max_epochs(
    input_dim: int,
    output_dim: int,
    hiddens: list[tuple[int, ...]],
    samples: int,
    seeds: int = 1,
    batch_size: int = 32,
) -> int:
    """The most epochs that stay within :data:`MAX_WORK` (0 if not even one does)."""
    one = work(input_dim, output_dim, hiddens, samples, 1, seeds, batch_size)
    return int(math.floor(MAX_WORK / one)) if one > 0 else 0
