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
    analytic, numeric = network_gradients(net, x, y)
    assert max(rel_error(a, n) for a, n in zip(analytic, numeric)) < NETWORK_TOL


def network_gradients(net, x, y) -> tuple[list, list]:
    """Every parameter's gradient of the training-mode loss (batch statistics, moving averages
    left alone): back-propagated, and by centred differences, in ``param_arrays`` order.
    Back-propagation is asked for no dL/dx and must still fill every gradient."""

    def loss():
        logits = net.forward(x, training=True, update_moving_stats=False)
        return losses.softmax_cross_entropy(logits, y)[0]

    _, dlogits = losses.softmax_cross_entropy(
        net.forward(x, training=True, update_moving_stats=False), y
    )
    assert net.backward(dlogits, input_grad=False) is None
    analytic = [g.copy() for g in net.grad_arrays()]
    return analytic, [numerical_gradient(loss, p) for p in net.param_arrays()]


#: raw-like inputs for an input BN: features on scales 1, 100 and 0.01, far from mean 0
RAW_SCALE, RAW_SHIFT = np.array([1.0, 100.0, 0.01]), np.array([0.0, 500.0, 0.05])


@pytest.mark.parametrize("batchnorm", ["none", "before", "after"])
@pytest.mark.parametrize("activation", activations.NAMES)
def test_whole_network_gradients_with_an_input_batchnorm(activation, batchnorm):
    """The network starts with a BatchNorm on raw-like inputs, in training mode (batch
    statistics): every parameter's gradient, the input BN's gamma and beta included, matches
    finite differences. One exception is exact, not numerical: with BN before the activation
    the first Dense has no bias and its BN subtracts the batch mean, so shifting the inputs
    (the input BN's beta) changes nothing and its gradient is 0."""
    rng = np.random.default_rng(3)
    model = ModelConfig(
        hidden=(6, 5, 4),
        activation=activation,
        init="glorot_normal",
        batchnorm=batchnorm,
        input_batchnorm=True,
    )
    net = build_network(3, 3, model, np.random.default_rng(0), dtype=np.float64)
    x = rng.standard_normal((8, 3)) * RAW_SCALE + RAW_SHIFT
    y = rng.integers(0, 3, 8)
    assert isinstance(net.layers[0], BatchNorm) and net.layers[0].params["beta"].shape == (3,)
    if activation in ("relu", "leaky_relu", "elu", "selu"):
        assert min_distance_to_kink(net, x) > 1e-5, "pick another seed: an input sits on a kink"
    analytic, numeric = network_gradients(net, x, y)
    input_beta = 1  # grad_arrays order: input BN's gamma, beta, then the first Dense ...
    if batchnorm == "before":
        assert np.abs(analytic[input_beta]).max() < 1e-15
        assert np.abs(numeric[input_beta]).max() < 1e-9
        del analytic[input_beta], numeric[input_beta]
    else:
        assert np.abs(analytic[input_beta]).max() > 1e-4
    worst = max(rel_error(a, n) for a, n in zip(analytic, numeric))
    assert worst < NETWORK_TOL


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "gelu"])
def test_input_gradient_through_an_input_batchnorm(activation):
    """dL/dx through an input BN in training mode (the batch statistics depend on x), for
    smooth activations. Each feature is perturbed in proportion to its scale: x = u * scale +
    shift, and dL/du = dL/dx * scale is checked against centred differences in u."""
    rng = np.random.default_rng(4)
    model = ModelConfig(hidden=(6, 5), activation=activation, input_batchnorm=True)
    net = build_network(3, 3, model, np.random.default_rng(0), dtype=np.float64)
    u = rng.standard_normal((8, 3))
    y = rng.integers(0, 3, 8)

    def loss():
        logits = net.forward(u * RAW_SCALE + RAW_SHIFT, training=True, update_moving_stats=False)
        return losses.softmax_cross_entropy(logits, y)[0]

    x = u * RAW_SCALE + RAW_SHIFT
    _, dlogits = losses.softmax_cross_entropy(
        net.forward(x, training=True, update_moving_stats=False), y
    )
    net.backward(dlogits, input_grad=False)
    grads_without_dx = [g.copy() for g in net.grad_arrays()]
    dx = net.backward(dlogits)
    assert all(np.array_equal(a, b) for a, b in zip(grads_without_dx, net.grad_arrays()))
    assert rel_error(dx * RAW_SCALE, numerical_gradient(loss, u)) < NETWORK_TOL


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_without_input_grad_fills_gamma_and_beta(training):
    rng = np.random.default_rng(0)
    bn = BatchNorm(4, dtype=np.float64)
    x, dout = rng.standard_normal((8, 4)) * 50 + 3, rng.standard_normal((8, 4))
    bn.forward(x, training=training, update_moving_stats=False)
    dx = bn.backward(dout)
    grads = {k: v.copy() for k, v in bn.grads.items()}
    bn.grads = {k: np.zeros_like(v) for k, v in bn.grads.items()}
    assert dx is not None and bn.backward(dout, input_grad=False) is None
    assert all(np.array_equal(grads[k], bn.grads[k]) for k in grads)
