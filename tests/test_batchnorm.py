import numpy as np
import pytest

from core import ModelConfig, build_network, fold_batchnorm
from core.layers import BatchNorm


def test_training_output_is_standardised_per_feature():
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((256, 5)) * [1, 10, 100, 0.5, 3] + [5, -2, 40, 0, 1]).astype(
        np.float32
    )
    z = BatchNorm(5).forward(x, training=True)
    assert np.allclose(z.mean(axis=0), 0, atol=1e-5)
    # sigma^2 / (sigma^2 + eps): close to 1 unless the variance is comparable to eps=1e-3
    expected_std = np.sqrt(x.var(axis=0) / (x.var(axis=0) + 1e-3))
    assert np.allclose(z.std(axis=0), expected_std, rtol=1e-4)


def test_gamma_and_beta_scale_and_shift():
    rng = np.random.default_rng(1)
    bn = BatchNorm(3)
    bn.params["gamma"][:] = [2, 3, 4]
    bn.params["beta"][:] = [-1, 0, 1]
    z = bn.forward(rng.standard_normal((500, 3)).astype(np.float32) * 7, training=True)
    assert np.allclose(z.mean(axis=0), [-1, 0, 1], atol=1e-4)
    assert np.allclose(z.std(axis=0), [2, 3, 4], rtol=1e-3)


def test_keras_moving_average_update():
    rng = np.random.default_rng(2)
    bn = BatchNorm(4)
    assert (bn.momentum, bn.eps) == (0.99, 1e-3)
    batches = [rng.standard_normal((32, 4)).astype(np.float32) * 2 + 3 for _ in range(3)]
    mean, var = np.zeros(4), np.ones(4)
    for x in batches:
        bn.forward(x, training=True)
        mean = mean * 0.99 + x.mean(axis=0) * 0.01
        var = var * 0.99 + x.var(axis=0) * 0.01  # biased batch variance
    assert np.allclose(bn.running_mean, mean, rtol=1e-5)
    assert np.allclose(bn.running_var, var, rtol=1e-5)


def test_torch_moving_average_uses_unbiased_variance():
    rng = np.random.default_rng(3)
    bn = BatchNorm(4, convention="torch")
    assert (bn.momentum, bn.eps) == (0.1, 1e-5)
    x = rng.standard_normal((16, 4)).astype(np.float32)
    bn.forward(x, training=True)
    assert np.allclose(bn.running_mean, 0.1 * x.mean(axis=0), rtol=1e-5)
    assert np.allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0, ddof=1), rtol=1e-5)


def test_inference_uses_moving_statistics_not_the_batch():
    rng = np.random.default_rng(4)
    bn = BatchNorm(3)
    bn.running_mean[:] = [1, 2, 3]
    bn.running_var[:] = [4, 9, 16]
    x = rng.standard_normal((10, 3)).astype(np.float32)
    z = bn.forward(x, training=False)
    assert np.allclose(z, (x - [1, 2, 3]) / np.sqrt(np.array([4, 9, 16]) + 1e-3), atol=1e-6)
    # a sample's output does not depend on its batch
    assert np.allclose(bn.forward(x[:1], training=False), z[:1])
    # and inference leaves the moving averages alone
    assert np.allclose(bn.running_mean, [1, 2, 3])


def test_update_moving_stats_false_leaves_them_alone():
    bn = BatchNorm(2)
    bn.forward(np.ones((4, 2), np.float32) * 5, training=True, update_moving_stats=False)
    assert np.array_equal(bn.running_mean, [0, 0]) and np.array_equal(bn.running_var, [1, 1])


def test_unknown_convention():
    with pytest.raises(ValueError, match="keras, torch"):
        BatchNorm(3, convention="caffe")


def trained_like_network(batchnorm, activation="tanh"):
    """A BN network whose moving statistics and gamma/beta are far from their initial values."""
    rng = np.random.default_rng(5)
    model = ModelConfig(
        hidden=(16, 16, 16), activation=activation, init="he_normal", batchnorm=batchnorm
    )
    net = build_network(8, 4, model, np.random.default_rng(0))
    for _ in range(50):
        net.forward((rng.standard_normal((32, 8)) * 2 + 1).astype(np.float32), training=True)
    for layer in net.layers:
        if isinstance(layer, BatchNorm):
            layer.params["gamma"][:] = rng.uniform(0.5, 2, layer.params["gamma"].shape)
            layer.params["beta"][:] = rng.standard_normal(layer.params["beta"].shape)
    return net


@pytest.mark.parametrize("batchnorm", ["before", "after"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_fold_batchnorm_keeps_inference_output(batchnorm, activation):
    net = trained_like_network(batchnorm, activation)
    x = np.random.default_rng(6).standard_normal((64, 8)).astype(np.float32)
    before = [p.copy() for p in net.param_arrays()]
    folded = fold_batchnorm(net)
    assert not any(isinstance(layer, BatchNorm) for layer in folded.layers)
    expected = net.forward(x, training=False)
    got = folded.forward(x, training=False)
    assert np.abs(got - expected).max() <= 1e-4 * max(1.0, np.abs(expected).max())
    assert folded.n_params() < net.n_params()
    # the original is untouched
    assert all(np.array_equal(a, b) for a, b in zip(before, net.param_arrays()))
    assert any(isinstance(layer, BatchNorm) for layer in net.layers)


def test_fold_without_batchnorm_is_a_copy():
    net = build_network(4, 2, ModelConfig(hidden=(5,)), np.random.default_rng(0))
    folded = fold_batchnorm(net)
    x = np.ones((3, 4), np.float32)
    assert np.array_equal(folded.forward(x), net.forward(x))
    assert folded.layers[0] is not net.layers[0]


def test_before_placement_drops_the_dense_bias():
    net = build_network(
        4, 2, ModelConfig(hidden=(5, 5), batchnorm="before"), np.random.default_rng(0)
    )
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["Dense", "BatchNorm", "Activation"] * 2 + ["Dense"]
    assert [("b" in d.params) for d in net.dense] == [False, False, True]
    net = build_network(
        4, 2, ModelConfig(hidden=(5, 5), batchnorm="after"), np.random.default_rng(0)
    )
    assert [type(layer).__name__ for layer in net.layers] == [
        "Dense",
        "Activation",
        "BatchNorm",
    ] * 2 + ["Dense"]
