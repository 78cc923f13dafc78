import numpy as np
import pytest

from core import ModelConfig, build_network, fold_batchnorm
from core.layers import BatchNorm, Dense


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


def test_input_batchnorm_comes_first_and_leaves_the_kernels_alone():
    for placement in ("none", "before", "after"):
        plain = ModelConfig(hidden=(5, 5), batchnorm=placement)
        with_input = ModelConfig(hidden=(5, 5), batchnorm=placement, input_batchnorm=True)
        a = build_network(4, 2, plain, np.random.default_rng(0))
        b = build_network(4, 2, with_input, np.random.default_rng(0))
        assert isinstance(b.layers[0], BatchNorm) and b.layers[0].params["gamma"].shape == (4,)
        assert [type(x).__name__ for x in b.layers[1:]] == [type(x).__name__ for x in a.layers]
        assert b.input_layers == [b.layers[0]] and a.input_layers == []
        # the same kernels (an input BN draws nothing), and the same blocks, one per Dense
        assert all(np.array_equal(p.params["W"], q.params["W"]) for p, q in zip(a.dense, b.dense))
        assert [len(block) for block in b.blocks()] == [len(block) for block in a.blocks()]
        assert all(isinstance(block[0], Dense) for block in b.blocks())
        assert b.n_params() == a.n_params() + 2 * 4


def test_input_batchnorm_must_be_a_bool():
    assert ModelConfig(input_batchnorm=np.bool_(True)).input_batchnorm is True
    with pytest.raises(ValueError, match="input_batchnorm must be True or False"):
        ModelConfig(input_batchnorm="yes")
    assert not ModelConfig().uses_batchnorm
    assert ModelConfig(input_batchnorm=True).uses_batchnorm
    assert ModelConfig(batchnorm="after").uses_batchnorm


@pytest.mark.parametrize("convention, eps", [("keras", 1e-3), ("torch", 1e-5)])
def test_input_batchnorm_standardises_raw_inputs_in_training_mode(convention, eps):
    """On raw inputs (scales 0.01 to 1000) the first Dense layer sees each feature centred and
    divided by sqrt(var + eps). A feature whose variance is not far above eps comes out
    smaller than standardisation would make it: Keras' eps of 1e-3 shrinks a 0.01-scale
    feature (variance 1e-4) to a std of about 0.3, PyTorch's 1e-5 to about 0.95."""
    rng = np.random.default_rng(7)
    scale, shift = np.array([0.01, 1.0, 1000.0]), np.array([0.05, -3.0, 700.0])
    x = (rng.standard_normal((64, 3)) * scale + shift).astype(np.float32)
    model = ModelConfig(hidden=(4,), input_batchnorm=True, bn_convention=convention)
    net = build_network(3, 2, model, np.random.default_rng(0))
    net.forward(x, training=True, update_moving_stats=False)
    seen = net.dense[0]._x.astype(np.float64)
    x64 = x.astype(np.float64)
    expected = (x64 - x64.mean(axis=0)) / np.sqrt(x64.var(axis=0) + eps)
    assert np.allclose(seen, expected, atol=1e-4)
    std = seen.std(axis=0)
    assert np.allclose(std[1:], 1, atol=1e-3)
    assert std[0] == pytest.approx(np.sqrt(x64[:, 0].var() / (x64[:, 0].var() + eps)), rel=1e-3)
    assert std[0] < (0.4 if convention == "keras" else 0.99)


@pytest.mark.parametrize("batchnorm", ["none", "before", "after"])
def test_fold_batchnorm_folds_an_input_batchnorm_into_the_first_dense(batchnorm):
    """The input BN's affine map s * x + t is absorbed by the first Dense, as a BN after an
    activation is by the next one: W' = s[:, None] * W, b' = t W + b."""
    rng = np.random.default_rng(8)
    scale, shift = np.array([0.01, 1.0, 100.0, 5.0]), np.array([0.05, -3.0, 400.0, 0.0])
    model = ModelConfig(
        hidden=(16, 16), activation="tanh", batchnorm=batchnorm, input_batchnorm=True
    )
    net = build_network(4, 3, model, np.random.default_rng(0))
    for _ in range(600):  # moving averages near the data's statistics
        net.forward((rng.standard_normal((32, 4)) * scale + shift).astype(np.float32), True)
    for layer in net.layers:
        if isinstance(layer, BatchNorm):
            layer.params["gamma"][:] = rng.uniform(0.5, 2, layer.params["gamma"].shape)
            layer.params["beta"][:] = rng.standard_normal(layer.params["beta"].shape)
    x = (rng.standard_normal((64, 4)) * scale + shift).astype(np.float32)
    folded = fold_batchnorm(net)
    assert not any(isinstance(layer, BatchNorm) for layer in folded.layers)
    assert len(folded.dense) == len(net.dense) and folded.dense[0].fan_in == 4
    expected, got = net.forward(x, training=False), folded.forward(x, training=False)
    assert np.abs(expected).max() > 0.5  # a real output, not a vanishing one
    assert np.abs(got - expected).max() <= 1e-4 * max(1.0, np.abs(expected).max())
    assert isinstance(net.layers[0], BatchNorm)  # the original is untouched
