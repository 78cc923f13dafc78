import numpy as np
import pytest

from core import optimizers


def test_sgd_step():
    w, g = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    optimizers.SGD(0.1).step([w], [g])
    assert np.allclose(w, [0.95, 2.1])


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_two_steps_keras_formula(nesterov):
    w = np.array([1.0])
    opt = optimizers.Momentum(0.1, momentum=0.9, nesterov=nesterov)
    g1, g2 = np.array([1.0]), np.array([2.0])
    opt.step([w], [g1])
    opt.step([w], [g2])
    v1 = -0.1 * 1.0
    v2 = 0.9 * v1 - 0.1 * 2.0
    if nesterov:
        expected = 1.0 + (0.9 * v1 - 0.1 * 1.0) + (0.9 * v2 - 0.1 * 2.0)
    else:
        expected = 1.0 + v1 + v2
    assert w[0] == pytest.approx(expected)


def test_adam_first_step_moves_by_lr_in_the_sign_of_the_gradient():
    w = np.array([0.0, 0.0, 0.0])
    optimizers.Adam(0.01).step([w], [np.array([0.1, -5.0, 200.0])])
    assert np.allclose(w, [-0.01, 0.01, -0.01], rtol=1e-3)


def test_adam_matches_the_formula_over_steps():
    w = np.array([1.0])
    opt = optimizers.Adam(0.1)
    m = s = 0.0
    ref = 1.0
    for t, g in enumerate([0.3, -0.2, 0.5], start=1):
        opt.step([w], [np.array([g])])
        m = 0.9 * m + 0.1 * g
        s = 0.999 * s + 0.001 * g * g
        ref -= 0.1 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t) * m / (np.sqrt(s) + 1e-7)
    assert w[0] == pytest.approx(ref)


def test_unknown_optimizer_and_bad_lr():
    with pytest.raises(ValueError, match="sgd, momentum, adam"):
        optimizers.get("rmsprop", 0.1)
    with pytest.raises(ValueError, match="learning rate"):
        optimizers.get("sgd", float("nan"))
