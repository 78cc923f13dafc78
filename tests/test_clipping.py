import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core import clipping


def cosine(a, b):
    a, b = np.concatenate([x.ravel() for x in a]), np.concatenate([x.ravel() for x in b])
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_clip_by_value_changes_direction():
    g = [np.array([0.9, 100.0], np.float32)]
    out = clipping.clip_by_value(g, 1.0)
    assert np.allclose(out[0], [0.9, 1.0])
    assert out.clipped and out.norm_before == pytest.approx(math.hypot(0.9, 100))
    assert out.cosine == pytest.approx(cosine(g, out)) and out.cosine < 0.75


def test_clip_by_global_norm_keeps_direction():
    g = [np.array([0.9, 100.0]), np.array([[3.0, -4.0]])]
    out = clipping.clip_by_global_norm(g, 1.0)
    assert clipping.global_norm(out) == pytest.approx(1.0)
    assert out.cosine == pytest.approx(1.0)
    factor = 1.0 / clipping.global_norm(g)
    for a, b in zip(g, out):
        assert np.allclose(b, a * factor)


def test_clip_by_norm_is_per_tensor():
    small, big = np.array([0.3, 0.4]), np.array([30.0, 40.0])  # norms 0.5 and 50
    out = clipping.clip_by_norm([small, big], 1.0)
    assert out[0] is small  # under the threshold: untouched
    assert np.allclose(out[1], big / 50.0)
    assert out.clipped
    assert out.cosine < 1.0  # the two tensors are scaled differently


@pytest.mark.parametrize("method", ["value", "norm", "global_norm"])
def test_small_gradients_are_untouched(method):
    g = [np.array([0.1, -0.2], np.float32), np.array([0.05], np.float32)]
    out = clipping.clip(g, method, 1.0)
    assert not out.clipped and out.cosine == 1.0
    assert all(a is b for a, b in zip(g, out))


@pytest.mark.parametrize("method", ["value", "norm", "global_norm"])
def test_non_finite_gradients_are_reported_not_clipped(method):
    g = [np.array([np.nan, 1.0]), np.array([2.0])]
    out = clipping.clip(g, method, 1.0)
    assert not out.finite and not out.clipped
    out = clipping.clip([np.array([np.inf, 1.0])], method, 1.0)
    assert not out.finite


@pytest.mark.parametrize("method", ["value", "norm", "global_norm"])
def test_huge_finite_float32_gradients_are_clipped_not_reported_as_overflow(method):
    """Squares of 1e20 overflow float32; the norm must still come out finite (2e20)."""
    g = [np.full(4, 1e20, np.float32), np.array([-1e20], np.float32)]
    out = clipping.clip(g, method, 1.0)
    assert out.finite and out.clipped
    assert out.norm_before == pytest.approx(math.sqrt(5) * 1e20, rel=1e-6)
    assert all(np.isfinite(a).all() for a in out)
    as64 = [[a.astype(np.float64) for a in arrays] for arrays in (g, out)]
    assert out.cosine == pytest.approx(cosine(*as64), rel=1e-5)


def test_unknown_method_and_bad_threshold():
    with pytest.raises(ValueError, match="none, value, norm, global_norm"):
        clipping.clip([np.ones(2)], "max", 1.0)
    with pytest.raises(ValueError, match="threshold"):
        clipping.clip_by_value([np.ones(2)], 0.0)
    with pytest.raises(ValueError, match="threshold"):
        clipping.clip_by_global_norm([np.ones(2)], math.nan)


def test_float32_stays_float32():
    out = clipping.clip_by_global_norm([np.full(3, 10, np.float32)], 1.0)
    assert out[0].dtype == np.float32


finite = st.floats(-1e6, 1e6, allow_nan=False, width=64)
tensor_lists = st.lists(
    arrays(np.float64, st.integers(1, 6), elements=finite), min_size=1, max_size=4
)


@given(tensor_lists, st.floats(1e-3, 1e3))
def test_global_norm_properties(grads, threshold):
    out = clipping.clip_by_global_norm(grads, threshold)
    assert clipping.global_norm(out) <= threshold * (1 + 1e-9) or not out.clipped
    assert clipping.global_norm(out) <= max(threshold, clipping.global_norm(grads)) * (1 + 1e-9)
    if out.norm_after > 0:
        assert out.cosine == pytest.approx(1.0)


@given(tensor_lists, st.floats(1e-3, 1e3))
def test_value_and_norm_bounds(grads, threshold):
    by_value = clipping.clip_by_value(grads, threshold)
    assert all(np.abs(g).max() <= threshold for g in by_value)
    by_norm = clipping.clip_by_norm(grads, threshold)
    assert all(np.linalg.norm(g) <= threshold * (1 + 1e-9) for g in by_norm)


def test_turn_degrees_is_the_angle_of_the_cosine_clamped_against_round_off():
    assert clipping.turn_degrees(0.0) == pytest.approx(90.0)
    assert clipping.turn_degrees(0.5) == pytest.approx(60.0)
    assert clipping.turn_degrees(1.0000001) == 0.0  # round-off above 1 is not a domain error
