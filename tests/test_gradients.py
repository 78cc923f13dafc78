"""Analytic gradients against centred finite differences, in float64 (same code as float32)."""

import numpy as np
import pytest
from gradcheck import numerical_gradient, rel_error

from core import ModelConfig, activations, build_network, losses
from core.layers import Activation, BatchNorm, Dense

LAYER_TOL = 1e-6
NETWORK_TOL = 1e-5


def away_from_kinks(rng, shape, margin=0.05):
    """Standard normal draws pushed at least ``margin`` away from 0 (the ReLU/ELU kink)."""
    z = rng.standard_normal(shape)
    return np.where(np.abs(z) < margin, np.sign(z + 1e-12) * margin, z)


@pytest.mark.parametrize("name", activations.NAMES)
def test_activation_derivative_matches_finite_differences(name):
    """Element-wise relative error is meaningless where f'(z) = 0 (GELU near -0.75, swish near
    -1.28), so those points are skipped along with the kinks."""
    rng = np.random.default_rng(0)
    fn = activations.get(name)
    z = away_from_kinks(rng, (200,)) * 3
    d = np.abs(fn.derivative(z, fn.forward(z)))
    z = z[(d == 0) | (d > 1e-3)]
    analytic = fn.derivative(z, fn.forward(z))
    numeric = (fn.forward(z + 1e-5) - fn.forward(z - 1e-5)) / 2e-5
    assert len(z) > 150
    assert rel_error(analytic, numeric) < LAYER_TOL


def check_layer(layer, x, forward_kwargs=None):
    """Check dL/dx and dL/dparams of ``layer`` for L = sum(out * R)."""
    forward_kwargs = forward_kwargs or {}
    rng = np.random.default_rng(1)
    out = layer.forward(x, **forward_kwargs)
    R = rng.standard_normal(out.shape)

    def loss():
        return float((layer.forward(x, **forward_kwargs) * R).sum())

    layer.forward(x, **forward_kwargs)
    dx = layer.backward(R)
    errors = {"x": rel_error(dx, numerical_gradient(loss, x))}
    for key, p in layer.params.items():
        layer.forward(x, **forward_kwargs)
        layer.backward(R)
        analytic = layer.grads[key].copy()
        errors[key] = rel_error(analytic, numerical_gradient(loss, p))
    return errors


def test_dense_gradients():
    rng = np.random.default_rng(0)
    layer = Dense(rng.standard_normal((5, 4)), rng.standard_normal(4))
    errors = check_layer(layer, rng.standard_normal((6, 5)))
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < LAYER_TOL, errors


@pytest.mark.parametrize("name", activations.NAMES)
def test_activation_layer_gradients(name):
    rng = np.random.default_rng(0)
    errors = check_layer(Activation(name), away_from_kinks(rng, (6, 5)))
    assert max(errors.values()) < LAYER_TOL, errors


@pytest.mark.parametrize("convention", ["keras", "torch"])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradients(convention, training):
    rng = np.random.default_rng(0)
    bn = BatchNorm(4, convention, dtype=np.float64)
    bn.params["gamma"][:] = rng.uniform(0.5, 2.0, 4)
    bn.params["beta"][:] = rng.standard_normal(4)
    bn.running_mean[:] = rng.standard_normal(4)
    bn.running_var[:] = rng.uniform(0.5, 2.0, 4)
    x = rng.standard_normal((8, 4)) * 3 + 1
    kwargs = {"training": training, "update_moving_stats": False}
    errors = check_layer(bn, x, kwargs)
    assert set(errors) == {"x", "gamma", "beta"}
    assert max(errors.values()) < LAYER_TOL, errors


def test_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((7, 4)) * 3
    y = rng.integers(0, 4, 7)
    _, d = losses.softmax_cross_entropy(logits, y)
    numeric = numerical_gradient(lambda: losses.softmax_cross_entropy(logits, y)[0], logits)
    assert rel_error(d, numeric) < LAYER_TOL


def min_distance_to_kink(net, x):
    net.forward(x, training=True, update_moving_stats=False)
    return min(
        float(np.abs(layer.z).min()) for layer in net.layers if isinstance(layer, Activation)
    )


@pytest.mark.parametrize("batchnorm", ["none", "before", "after"])
@pytest.mark.parametrize("activation", activations.NAMES)
def test_whole_network_gradients(activation, batchnorm):
    rng = np.random.default_rng(3)
    model = ModelConfig(
        hidden=(6, 5, 4), activation=activation, init="glorot_normal", batchnorm=batchnorm
    )
    net = build_network(3, 3, model, np.random.default_rng(0), dtype=np.float64)
    x = rng.standard_normal((8, 3))
    y = rng.integers(0, 3, 8)
    if activation in ("relu", "leaky_relu", "elu", "selu"):
        assert min_distance_to_kink(net, x) > 1e-4, "pick another seed: an input sits on a kink"

    def loss():
        logits = net.forward(x, training=True, update_moving_stats=False)
        return losses.softmax_cross_entropy(logits, y)[0]

    _, dlogits = losses.softmax_cross_entropy(
        net.forward(x, training=True, update_moving_stats=False), y
    )
    net.backward(dlogits)
    analytic = [g.copy() for g in net.grad_arrays()]
    worst = max(
        rel_error(a, numerical_gradient(loss, p)) for a, p in zip(analytic, net.param_arrays())
    )
    assert worst < NETWORK_TOL
