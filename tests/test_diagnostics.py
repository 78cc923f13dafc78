"""The probe's measurements against plain NumPy recomputations of their definitions."""

import math

import numpy as np
import pytest
from gradcheck import numerical_gradient, rel_error

from core import ModelConfig, TrainConfig, datasets, diagnostics, losses, train
from core.layers import Activation
from core.network import build_network


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


#: name -> (f, f'), in float64, written out here rather than taken from core.activations
ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.2 * z), lambda z: np.where(z > 0, 1.0, 0.2)),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
    "elu": (lambda z: np.where(z > 0, z, np.expm1(z)), lambda z: np.where(z > 0, 1.0, np.exp(z))),
}


def reference_histogram(values: np.ndarray, edges: np.ndarray, octaves: bool) -> np.ndarray:
    """The documented binning, in float64: bin k holds edges[k] <= v < edges[k + 1] with
    v = log2|value| for octaves (zeros in the lowest bin), values beyond the ends in the end
    bins (with infinite end edges: in the overflow bins), NaN ignored."""
    v = values.astype(np.float64).ravel()
    v = v[~np.isnan(v)]
    if octaves:
        with np.errstate(divide="ignore"):
            v = np.log2(np.abs(v))
    k = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, len(edges) - 2)
    return np.bincount(k, minlength=len(edges) - 1)


@pytest.mark.parametrize("octaves", [False, True])
def test_histogrammer_matches_its_definition(octaves):
    rng = np.random.default_rng(3)
    edges = diagnostics.GRAD_OCTAVES if octaves else diagnostics.ACT_EDGES
    scale = 10.0 ** rng.uniform(-12, 6, size=5000) if octaves else 4.0
    arrays = [
        (rng.standard_normal(5000) * scale).astype(np.float32).reshape(50, 100),
        rng.standard_normal((7, 3)).astype(np.float32) * 100,  # far beyond both ends
        np.array([0.1, np.inf, -np.inf, np.nan, 1e-38, 3e38, -3e38], np.float32),
    ]
    if octaves:  # zeros and subnormals in the lowest bin; exact powers of 2 start their bin
        arrays.append(np.array([0.0, -0.0, 1e-45, 1.0, -0.5, 2.0**-20, 2.0**13], np.float32))
    counts = diagnostics.Histogrammer([a.size for a in arrays], edges, octaves)(arrays)
    assert counts.shape == (len(arrays), len(edges) - 1)
    for row, a in zip(counts, arrays):
        expected = reference_histogram(a, edges, octaves)
        if octaves:  # exponent bits: exact
            assert row.tolist() == expected.tolist()
        else:  # float32 arithmetic may move a value sitting within ~1e-6 of an edge
            assert np.abs(row - expected).sum() <= 2
        assert row.sum() == np.count_nonzero(~np.isnan(a))


def test_octave_edges_must_be_integer_exponents():
    with pytest.raises(ValueError, match="octave"):
        diagnostics.Histogrammer([3], diagnostics.GRAD_LOG_EDGES, octaves=True)


def test_histogrammer_can_be_reused_and_keeps_nothing_between_calls():
    hist = diagnostics.Histogrammer([4, 2], diagnostics.ACT_EDGES)
    first = hist([np.full(4, 0.1, np.float32), np.full(2, -4.9, np.float32)])
    second = hist([np.full(4, np.nan, np.float32), np.full(2, 4.9, np.float32)])
    assert first[0].sum() == 4 and first[1, 1] == 2  # bin 0 is the lower overflow bin
    assert second[0].sum() == 0 and second[1, -2] == 2


def test_activations_beyond_the_range_land_in_the_overflow_bins():
    edges = diagnostics.ACT_EDGES
    assert (edges[0], edges[1], edges[-2], edges[-1]) == (-np.inf, -5.0, 5.0, np.inf)
    assert np.allclose(np.diff(edges[1:-1]), 0.2)
    values = np.array([1e8, 3e38, np.inf, 5.0, 4.99, -5.0, -5.01, -1e8, np.nan], np.float32)
    counts = diagnostics.Histogrammer([values.size], edges)([values])[0]
    assert counts[-1] == 4  # 1e8, 3e38, inf and 5.0 itself: [5, inf]
    assert counts[-2] == 1  # only 4.99 in the last regular bin [4.8, 5)
    assert counts[1] == 1 and counts[0] == 2  # -5.0 starts the first regular bin
    assert counts.sum() == values.size - 1  # NaN not counted


def test_act_hist_frame_marks_the_overflow_rows():
    data = datasets.load("digits")
    exploding = ModelConfig(hidden=(100,) * 4, activation="relu", init="random_normal")
    frame = train(exploding, TrainConfig(epochs=0), data).act_hist
    upper = frame[frame.bin_start == 5.0]
    assert (upper.bin_end == np.inf).all() and upper["count"].sum() > 0
    deepest = frame[frame.layer == 4]  # about half its ReLU units are off, most others > 5
    assert deepest[deepest.bin_end == np.inf]["count"].sum() > 0.4 * deepest["count"].sum()
    lower = frame[frame.bin_start == -np.inf]
    assert (lower.bin_end == -5.0).all()
    regular = frame[np.isfinite(frame.bin_start) & np.isfinite(frame.bin_end)]
    assert regular.bin_start.between(-5.0, 4.8 + 1e-9).all()


@pytest.mark.parametrize(
    "activation, batchnorm",
    [("relu", "none"), ("tanh", "before"), ("elu", "after"), ("sigmoid", "none"),
     ("leaky_relu", "before")],
)  # fmt: skip
def test_probe_rows_follow_their_definitions(activation, batchnorm):
    rng = np.random.default_rng(0)
    model = ModelConfig(hidden=(12, 9, 7), activation=activation, batchnorm=batchnorm)
    net = build_network(5, 3, model, rng)
    net.flatten()
    X = rng.standard_normal((40, 5)).astype(np.float32)
    y = rng.integers(0, 3, 40)
    rows, grad_hist, act_hist = diagnostics.Probe(net, X, y).measure()

    # recompute layer by layer with a fresh forward/backward of the same network
    logits = net.forward(X, training=True, update_moving_stats=False)
    net.backward(losses.softmax_cross_entropy(logits, y)[1])
    blocks = net.blocks()
    outputs = [b[0]._x for b in blocks[1:]] + [logits]
    assert [r["layer"] for r in rows] == [1, 2, 3, 4]
    assert [r["is_output"] for r in rows] == [False, False, False, True]
    for row, block, out in zip(rows, blocks, outputs):
        g = block[0].grads["W"]
        assert row["grad_norm"] == pytest.approx(np.linalg.norm(g.astype(np.float64)), rel=1e-5)
        assert row["act_mean"] == pytest.approx(out.astype(np.float64).mean(), rel=1e-4, abs=1e-6)
        assert row["act_std"] == pytest.approx(out.astype(np.float64).std(), rel=1e-4)
        act = next((layer for layer in block if isinstance(layer, Activation)), None)
        if act is None:
            assert math.isnan(row["slope_mean"])
        else:  # mean over (sample, unit) of |f'(z)|
            slope = np.abs(ACTIVATIONS[activation][1](act.z.astype(np.float64)))
            assert row["slope_mean"] == pytest.approx(slope.mean(), rel=1e-5)
        if act is None or not act.fn.saturates:
            assert math.isnan(row["saturated"])
        else:
            slope = np.abs(act.fn.derivative(act.z, act.a))
            assert row["saturated"] == pytest.approx((slope < 0.1 * act.fn.max_derivative).mean())
        if act is None or not act.fn.can_die:
            assert math.isnan(row["dead"])
        else:
            assert row["dead"] == pytest.approx(np.all(act.z <= 0, axis=0).mean())
    sizes = [b[0].params["W"].size for b in blocks]
    assert grad_hist.sum(axis=1).tolist() == sizes
    assert act_hist.sum(axis=1).tolist() == [out.size for out in outputs]


def dense_output_gradients(net, X, y) -> list[np.ndarray]:
    """dL/dz_k (P, M_k) for every Dense layer k by centred differences: the layer's forward is
    wrapped to add an offset to its output z_k, and each entry of the offset is moved by +-h."""
    grads = []

    def loss():
        logits = net.forward(X, training=True, update_moving_stats=False)
        return losses.softmax_cross_entropy(logits, y)[0]

    for dense in net.dense:
        offset = np.zeros((len(X), dense.fan_out))
        forward = dense.forward
        dense.forward = lambda x, training=False, f=forward, o=offset: f(x, training) + o
        try:
            grads.append(numerical_gradient(loss, offset))
        finally:
            del dense.forward  # the instance attribute goes; the method is back
    return grads


@pytest.mark.parametrize("batchnorm", ["none", "before", "after"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_backprop_norm_matches_finite_differences(activation, batchnorm):
    rng = np.random.default_rng(2)
    model = ModelConfig(hidden=(4, 4), activation=activation, batchnorm=batchnorm)
    net = build_network(5, 3, model, np.random.default_rng(0), dtype=np.float64)
    X, y = rng.standard_normal((6, 5)), rng.integers(0, 3, 6)
    net.forward(X, training=True, update_moving_stats=False)
    kink = min(np.abs(a.z).min() for a in net.layers if isinstance(a, Activation))
    assert activation != "relu" or kink > 1e-4, "pick another seed: an input sits on a kink"

    numeric = dense_output_gradients(net, X, y)
    _, douts = diagnostics.probe_pass(net, X, y)
    rows = diagnostics.Probe(net, X, y).measure()[0]
    assert [d.shape for d in douts] == [(6, 4), (6, 4), (6, 3)]
    for row, analytic, num in zip(rows, douts, numeric):
        assert rel_error(analytic, num) < 1e-6
        assert rel_error(row["backprop_norm"], np.linalg.norm(num)) < 1e-8


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_backprop_norm_follows_the_chain_rule(activation):
    """dL/dz_L = (softmax(z_L) - onehot(y)) / P, then dL/dz_k = (dL/dz_{k+1} W_{k+1}^T) f'(z_k),
    recomputed in float64 from the float32 network's weights."""
    rng = np.random.default_rng(4)
    model = ModelConfig(hidden=(10, 8, 7), activation=activation, init="glorot_normal")
    net = build_network(6, 4, model, rng)
    X, y = rng.standard_normal((30, 6)).astype(np.float32), rng.integers(0, 4, 30)
    rows = diagnostics.Probe(net, X, y).measure()[0]

    f, f_prime = ACTIVATIONS[activation]
    Ws = [d.params["W"].astype(np.float64) for d in net.dense]
    bs = [d.params["b"].astype(np.float64) for d in net.dense]
    h, zs = X.astype(np.float64), []
    for W, b in zip(Ws, bs):
        zs.append(h @ W + b)
        h = f(zs[-1])
    p = np.exp(zs[-1] - zs[-1].max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dz = [(p - np.eye(4)[y]) / len(X)]
    for k in range(len(Ws) - 2, -1, -1):
        dz.insert(0, (dz[0] @ Ws[k + 1].T) * f_prime(zs[k]))
    assert [row["backprop_norm"] for row in rows] == pytest.approx(
        [np.linalg.norm(d) for d in dz], rel=1e-4
    )


def layer_1_over_10(activation: str, init: str, column: str) -> float:
    """``column`` of layer 1 over that of layer 10 at initialization, digits, 10 x 100."""
    model = ModelConfig(hidden=(100,) * 10, activation=activation, init=init)
    at_init = train(model, TrainConfig(epochs=0), datasets.load("digits")).layers
    values = at_init.set_index("layer")[column]
    return values[1] / values[10]


def test_backprop_norm_sees_what_the_weight_gradients_hide():
    """Glorot and Bengio (2010), section 4.2: with ReLU and std-1 weights the back-propagated
    gradient explodes towards the input while the weight gradients stay level (activations
    shrink towards the input as fast); with sigmoid and Glorot weights it vanishes."""
    assert layer_1_over_10("relu", "random_normal", "backprop_norm") > 1e4
    assert 0.1 < layer_1_over_10("relu", "random_normal", "grad_norm") < 10
    assert layer_1_over_10("sigmoid", "glorot_uniform", "backprop_norm") < 1e-4


def test_dead_units_are_those_never_active_on_the_probe():
    rng = np.random.default_rng(1)
    net = build_network(4, 2, ModelConfig(hidden=(6,), activation="relu"), rng)
    net.flatten()
    W, b = net.dense[0].params["W"], net.dense[0].params["b"]
    b[:2] = -1e3  # units 0 and 1 can never fire on these inputs
    X = rng.standard_normal((30, 4)).astype(np.float32)
    row = diagnostics.Probe(net, X, rng.integers(0, 2, 30)).measure()[0][0]
    alive = np.any(X @ W + b > 0, axis=0)
    assert not alive[:2].any()
    assert row["dead"] == pytest.approx(1 - alive.mean())


def test_update_ratio_is_the_last_steps_update_over_the_weights():
    data = datasets.load("moons", seed=0)
    model = ModelConfig(hidden=(8, 8), activation="relu")
    # one step per epoch (batch = whole split) so the last update is easy to recompute
    cfg = TrainConfig(epochs=2, batch_size=len(data.X_train), lr=0.5, probe_size=32)
    before = train(model, TrainConfig(**{**cfg.__dict__, "epochs": 1}), data).net
    after = train(model, cfg, data).net
    ratios = train(model, cfg, data).layers.query("epoch == 2").update_ratio.to_numpy()
    for ratio, w0, w1 in zip(ratios, before.dense, after.dense):
        W0, W1 = (d.params["W"].astype(np.float64) for d in (w0, w1))
        assert ratio == pytest.approx(np.linalg.norm(W1 - W0) / np.linalg.norm(W0), rel=1e-4)


def test_mean_std_of_values_too_large_for_float32_sums():
    x = np.array([3e37, 2e37, 2e37, 3e37] * 8, np.float32)  # sum and squares overflow float32
    with np.errstate(over="ignore"):  # the float32 attempt overflows, as it should
        m, s = diagnostics.mean_std(x)
    assert m == pytest.approx(2.5e37, rel=1e-6) and s == pytest.approx(0.5e37, rel=1e-6)
