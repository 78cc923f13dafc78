"""Symmetry: units that start equal stay equal. The distinct-unit count against a plain pairwise
grouping, and the arithmetic of all-zero and constant weights checked on the gradients."""

import math

import numpy as np
import pandas as pd
import pytest

from core import ModelConfig, TrainConfig, datasets, diagnostics, losses, train
from core.network import build_network

DIGITS = datasets.load("digits")
SMALL = (16,) * 3
TOL = diagnostics.SAME_UNIT_RTOL


def pairwise_groups(P: np.ndarray, tol: float) -> int:
    """Reference: units (columns of P) as groups, by comparing every unit with the first unit
    of each group found so far, in index order."""
    firsts: list[np.ndarray] = []
    for j in range(P.shape[1]):
        if not any(np.abs(P[:, j] - f).max() <= tol for f in firsts):
            firsts.append(P[:, j])
    return len(firsts)


@pytest.mark.parametrize("width,groups", [(8, 1), (50, 3), (100, 100), (64, 17), (512, 40)])
def test_distinct_units_finds_planted_groups(width, groups):
    rng = np.random.default_rng(width + groups)
    centres = rng.standard_normal((33, groups)).astype(np.float32)
    members = np.concatenate([np.arange(groups), rng.integers(0, groups, width - groups)])
    P = centres[:, rng.permutation(members)]
    P += rng.standard_normal(P.shape).astype(np.float32) * 1e-7  # round-off-sized drift
    kernel, bias = P[:-1], P[-1]
    assert diagnostics.distinct_units(kernel, (bias,)) == groups
    assert pairwise_groups(P, TOL * np.abs(P).max()) == groups


def test_units_that_differ_only_in_bias_or_bn_are_distinct():
    kernel = np.full((5, 4), 0.3, np.float32)
    bias = np.array([0, 0, 0.1, 0], np.float32)
    gamma = np.array([1, 1, 1, 2], np.float32)
    assert diagnostics.distinct_units(kernel) == 1
    assert diagnostics.distinct_units(kernel, (bias,)) == 2
    assert diagnostics.distinct_units(kernel, (bias, gamma)) == 3


def test_all_zero_and_non_finite_layers():
    assert diagnostics.distinct_units(np.zeros((3, 6), np.float32)) == 1
    bad = np.ones((3, 6), np.float32)
    bad[1, 2] = np.inf
    assert math.isnan(diagnostics.distinct_units(bad))
    bad[1, 2] = np.nan
    assert math.isnan(diagnostics.distinct_units(bad))


def history(init, optimizer="sgd", batchnorm="none", activation="relu", epochs=2, **model):
    lr = 0.001 if optimizer == "adam" else 0.05
    cfg = TrainConfig(optimizer=optimizer, lr=lr, epochs=epochs, batch_size=64)
    m = ModelConfig(hidden=SMALL, activation=activation, init=init, batchnorm=batchnorm, **model)
    return train(m, cfg, DIGITS)


def hidden(h):
    return h.layers[~h.layers["is_output"]]


def test_random_initialization_gives_every_unit_its_own_weights():
    h = history("he_normal")
    assert (hidden(h)["distinct_units"] == 16).all()


@pytest.mark.parametrize(
    "init,optimizer,batchnorm",
    [
        ("zeros", "sgd", "none"),
        ("zeros", "adam", "before"),
        ("constant", "sgd", "none"),
        ("constant", "momentum", "none"),
        ("constant", "sgd", "before"),  # BN normalizes identical columns identically
        ("constant", "momentum", "after"),
    ],
)
def test_equal_units_stay_equal(init, optimizer, batchnorm):
    h = history(init, optimizer, batchnorm)
    assert h.diverged_at is None
    assert (hidden(h)["distinct_units"] == 1).all()


def test_all_zero_weights_only_the_output_biases_learn():
    """With W = 0 every hidden output is f(0) = 0 (ReLU), so dL/dW_out = a^T dz = 0, and every
    hidden dL/dz = dL/dz_next W_next^T = 0: every weight gradient is exactly 0."""
    h = history("zeros")
    assert (h.layers["grad_norm"] == 0).all()
    assert (h.layers["backprop_norm"][~h.layers["is_output"]] == 0).all()
    net = h.net
    assert all(not layer.params["W"].any() for layer in net.dense)
    assert all(not layer.params["b"].any() for layer in net.dense[:-1])
    assert net.dense[-1].params["b"].any()  # they follow the mini-batches' class shares


def one_backward(init, activation, value=0.05):
    model = ModelConfig(hidden=SMALL, activation=activation, init=init, init_value=value)
    net = build_network(64, 10, model, np.random.default_rng(0))
    x, y = DIGITS.X_train[:200], DIGITS.y_train[:200]
    _, dlogits = losses.softmax_cross_entropy(net.forward(x, training=True), y)
    net.backward(dlogits)
    return net, y


def test_zero_weights_output_bias_gradient_is_the_class_frequency_gap():
    """Zero logits give softmax 1/C for every class, so dL/db_out = mean(p - onehot) =
    1/C - (share of class c in the batch)."""
    net, y = one_backward("zeros", "tanh")
    share = np.bincount(y, minlength=10) / len(y)
    np.testing.assert_allclose(net.dense[-1].grads["b"], 0.1 - share, atol=1e-7)
    assert not any(layer.grads["W"].any() for layer in net.dense)


def test_zero_weights_with_sigmoid_feed_the_output_layer():
    """f(0) = 1/2 is not 0: every hidden output is 1/2, so dL/dW_out = 1/2 * sum over the batch
    of dL/dz_out, the same row for every hidden unit (= 1/2 * dL/db_out); the hidden layers
    still get 0, as W_out = 0 passes nothing down."""
    net, _ = one_backward("zeros", "sigmoid")
    out = net.dense[-1]
    expected = np.broadcast_to(0.5 * out.grads["b"], out.grads["W"].shape)
    np.testing.assert_allclose(out.grads["W"], expected, rtol=1e-5, atol=1e-8)
    assert not any(layer.grads["W"].any() for layer in net.dense[:-1])


def test_constant_weights_learn_one_feature_for_all_units():
    """With W = c != 0, at first every hidden unit receives c * sum_k (p_k - y_k) = 0 (softmax
    and one-hot label both sum to 1): only the output layer learns, a different column per
    class. From then on the hidden layers get a gradient, the same column for every unit:
    dL/dW_1 = x^T dL/dz_1 with identical columns of dL/dz_1, so layer 1's columns stay equal
    while its rows (the input features) change differently."""
    net, y = one_backward("constant", "relu")
    first, out = net.dense[0].grads["W"], net.dense[-1].grads["W"]
    assert np.abs(first).max() < 1e-6 * np.abs(out).max()  # round-off only
    assert diagnostics.distinct_units(out) == 10
    for param, grad in zip(net.param_arrays(), net.grad_arrays()):
        param -= 0.5 * grad
    x = DIGITS.X_train[:200]
    _, dlogits = losses.softmax_cross_entropy(net.forward(x, training=True), y)
    net.backward(dlogits)
    g = net.dense[0].grads["W"]
    assert np.abs(g).max() > 1e-3 * np.abs(net.dense[-1].grads["W"]).max()
    assert diagnostics.distinct_units(g) == 1
    assert np.ptp(g[:, 0]) > 1e3 * TOL * np.abs(g).max()  # the rows differ: a feature is learned
    h = history("constant", epochs=1)
    assert (hidden(h)[hidden(h)["epoch"] == 1]["update_ratio"] > 0).all()


def test_the_zeros_chart_shows_that_only_the_output_biases_get_a_gradient():
    """The answer to the symmetry lesson's question is drawn: every weight cell and every hidden
    bias cell reads exactly 0, the output layer's bias cell does not (History.bias_grad_norm is
    the norm of the bias gradient the probe measures, checked here against one backward)."""
    from ui.story import figures
    from ui.story.view import ComparisonView
    from ui.text.i18n import Text

    h = history("zeros")
    out = h.layers[h.layers["is_output"]]
    assert (out["bias_grad_norm"] > 0).all() and (h.layers["grad_norm"] == 0).all()
    assert (h.layers[~h.layers["is_output"]]["bias_grad_norm"] == 0).all()
    net, y = one_backward("zeros", "relu")
    share = np.bincount(y, minlength=10) / len(y)
    assert np.linalg.norm(net.dense[-1].grads["b"]) == pytest.approx(
        np.linalg.norm(0.1 - share), rel=1e-5
    )

    from core import Variant, compare

    variant = Variant("zeros", ModelConfig(hidden=SMALL, init="zeros"), TrainConfig(epochs=1))
    comp = compare([variant], DIGITS, (0,))
    view = ComparisonView(comp, (variant,), "digits", (0,), (("zeros", "zeros"),), Text("en"), 10)
    cells = pd.DataFrame(figures.zeros_gradients(view, "zeros")["data"]["values"])
    lit = cells[~cells["zero"]]
    assert list(lit["layer"]) == [len(SMALL) + 1] and lit["what"].iloc[0].startswith("biases")
    assert set(cells[cells["zero"]]["text"]) == {"0"}
