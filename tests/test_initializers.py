import math

import numpy as np
import pytest

from core import initializers

SHAPE = (400, 300)  # fan_in 400, fan_out 300, fan_avg 350
EXPECTED_VARIANCE = {
    "glorot": 1 / 350,  # 1 / ((fan_in + fan_out) / 2)
    "he": 2 / 400,
    "lecun": 1 / 400,
}


@pytest.mark.parametrize("name", list(initializers.PRESETS))
def test_variance_matches_table(name):
    w = initializers.get(name)(SHAPE, np.random.default_rng(0))
    expected = EXPECTED_VARIANCE[name.split("_")[0]]
    assert w.dtype == np.float32
    assert w.var() == pytest.approx(expected, rel=0.03)
    assert abs(w.mean()) < 3 * math.sqrt(expected / w.size) * 2


@pytest.mark.parametrize("name", ["glorot_normal", "he_normal", "lecun_normal"])
def test_keras_normal_is_truncated_at_two_sigma(name):
    init = initializers.get(name)
    w = init(SHAPE, np.random.default_rng(1))
    sigma_untruncated = math.sqrt(init.variance(SHAPE)) / initializers.TRUNCATED_STD
    assert np.abs(w).max() <= 2 * sigma_untruncated * (1 + 1e-6)
    # the truncation is visible: values close to the bound exist
    assert np.abs(w).max() > 1.9 * sigma_untruncated


@pytest.mark.parametrize("name", ["glorot_normal", "he_normal", "lecun_normal"])
def test_untruncated_option_has_same_variance_and_tails(name):
    init = initializers.get(name, truncated=False)
    w = init(SHAPE, np.random.default_rng(2))
    std = math.sqrt(init.variance(SHAPE))
    assert w.var() == pytest.approx(std**2, rel=0.03)
    assert np.abs(w).max() > 3 * std  # 120,000 draws: beyond 3 sigma surely appears
    assert init.limit(SHAPE) == math.inf


@pytest.mark.parametrize("name", ["glorot_uniform", "he_uniform", "lecun_uniform"])
def test_uniform_limit(name):
    init = initializers.get(name)
    w = init(SHAPE, np.random.default_rng(3))
    r = math.sqrt(3 * init.variance(SHAPE))
    assert init.limit(SHAPE) == pytest.approx(r)
    assert np.abs(w).max() <= r
    assert np.abs(w).max() > 0.99 * r


def test_fan_avg_is_the_mean_of_fan_in_and_fan_out():
    assert initializers.fan_value((400, 300), "fan_avg") == 350.0
    assert initializers.VarianceScaling(1.0, "fan_avg").variance((400, 300)) == pytest.approx(
        1 / 350
    )


@pytest.mark.parametrize(
    "name,std", [("random_normal", 1.0), ("random_normal", 0.01), ("random_uniform", 0.5)]
)
def test_fixed_std_initializers(name, std):
    w = initializers.get(name, std=std)(SHAPE, np.random.default_rng(4))
    assert w.std() == pytest.approx(std, rel=0.02)


def test_unknown_name_lists_valid_ones():
    with pytest.raises(ValueError) as err:
        initializers.get("xavier")
    for name in initializers.NAMES:
        assert name in str(err.value)


def test_bad_parameters_raise():
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(1.0, "fan_middle")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(1.0, "fan_in", "cauchy")
    with pytest.raises(ValueError, match="std"):
        initializers.get("random_normal", std=-1)


def test_same_generator_state_gives_identical_weights():
    a = initializers.get("he_normal")(SHAPE, np.random.default_rng(7))
    b = initializers.get("he_normal")(SHAPE, np.random.default_rng(7))
    c = initializers.get("he_normal")(SHAPE, np.random.default_rng(8))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_matching_initializer_for_each_activation():
    assert initializers.matching("sigmoid") == "glorot_normal"
    assert initializers.matching("relu") == "he_normal"
    assert initializers.matching("selu") == "lecun_normal"
    with pytest.raises(ValueError, match="valid activations"):
        initializers.matching("softplus")


@pytest.mark.parametrize("name,value", [("zeros", 0.0), ("constant", 0.25), ("constant", -3.0)])
def test_constant_initializers_set_every_weight(name, value):
    init = initializers.get(name, value=value)
    w = init(SHAPE, np.random.default_rng(0))
    assert w.dtype == np.float32 and w.shape == SHAPE
    expected = 0.0 if name == "zeros" else value
    assert np.all(w == np.float32(expected))
    assert init.variance(SHAPE) == 0.0 and init.limit(SHAPE) == abs(expected)


def test_constant_takes_its_value_from_the_model_config():
    from core import ModelConfig, build_network

    model = ModelConfig(hidden=(4, 3), init="constant", init_value=0.5)
    net = build_network(2, 2, model, np.random.default_rng(0))
    assert all(np.all(layer.params["W"] == 0.5) for layer in net.dense)
    assert all(np.all(layer.params["b"] == 0.0) for layer in net.dense)  # biases start at 0


def test_constant_value_must_be_finite():
    with pytest.raises(ValueError, match="value"):
        initializers.get("constant", value=float("nan"))
