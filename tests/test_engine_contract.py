"""The engine's contract: pure NumPy, float32 throughout, deterministic."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from core import ModelConfig, activations, build_network, losses, optimizers
from core.layers import BatchNorm

#: Every module of the engine, found on disk: a new one is checked without being listed.
CORE_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in (ROOT / "core").rglob("*.py")
)


def test_core_never_imports_streamlit_or_altair():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "bad = [m for m in ('streamlit', 'altair') if m in sys.modules]\n"
        + "print(','.join(bad))\n"
    )
    assert {"core", "core.training", "core.export", "core.export.pytorch"} <= set(CORE_MODULES)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("input_batchnorm", [False, True])
@pytest.mark.parametrize("batchnorm", ["none", "before", "after"])
@pytest.mark.parametrize("activation", activations.NAMES)
def test_float32_end_to_end(activation, batchnorm, input_batchnorm):
    model = ModelConfig(
        hidden=(8, 8), activation=activation, batchnorm=batchnorm, input_batchnorm=input_batchnorm
    )
    net = build_network(5, 3, model, np.random.default_rng(0))
    x = np.random.default_rng(1).standard_normal((16, 5)).astype(np.float32)
    logits = net.forward(x, training=True)
    assert logits.dtype == np.float32
    _, d = losses.softmax_cross_entropy(logits, np.arange(16) % 3)
    assert d.dtype == np.float32
    assert net.backward(d).dtype == np.float32
    assert net.backward(d, input_grad=False) is None
    for name in optimizers.NAMES:
        optimizers.get(name, 0.01).step(net.param_arrays(), net.grad_arrays())
    assert all(p.dtype == np.float32 for p in net.param_arrays())
    assert all(g.dtype == np.float32 for g in net.grad_arrays())
    for layer in net.layers:
        if isinstance(layer, BatchNorm):
            assert layer.running_mean.dtype == layer.running_var.dtype == np.float32
    assert net.forward(x).dtype == np.float32


def test_same_seed_bit_identical_weights_and_outputs():
    model = ModelConfig(hidden=(32,) * 3, activation="selu", init="lecun_normal", batchnorm="after")
    a = build_network(10, 4, model, np.random.default_rng(42))
    b = build_network(10, 4, model, np.random.default_rng(42))
    x = np.random.default_rng(0).standard_normal((20, 10)).astype(np.float32)
    assert all(np.array_equal(p, q) for p, q in zip(a.param_arrays(), b.param_arrays()))
    assert np.array_equal(a.forward(x, training=True), b.forward(x, training=True))


def test_layer_streams_do_not_depend_on_other_layers():
    """Changing the activation or a later layer's width leaves earlier kernels identical."""
    a = build_network(
        10, 4, ModelConfig(hidden=(32, 32, 32), activation="relu"), np.random.default_rng(1)
    )
    b = build_network(
        10, 4, ModelConfig(hidden=(32, 32, 64), activation="tanh"), np.random.default_rng(1)
    )
    assert np.array_equal(a.dense[0].params["W"], b.dense[0].params["W"])
    assert np.array_equal(a.dense[1].params["W"], b.dense[1].params["W"])


def test_huge_logits_give_a_large_finite_loss():
    logits = np.array([[1e4, -1e4, 0.0], [1e38, 0.0, -1e38]], np.float32)
    loss, d = losses.softmax_cross_entropy(logits, np.array([1, 2]))
    assert np.isfinite(loss) and loss > 1e4
    assert np.isfinite(d).all()


@pytest.mark.parametrize("input_batchnorm", [False, True])
@pytest.mark.parametrize("chunk_elements", [32, 100, 2**18])
def test_predict_in_chunks_equals_one_inference_pass(chunk_elements, input_batchnorm):
    """widest layer 16 -> chunks of 2, 6 or all 50 rows; the rows do not interact at inference."""
    model = ModelConfig(
        hidden=(16, 8), activation="elu", batchnorm="before", input_batchnorm=input_batchnorm
    )
    net = build_network(5, 3, model, np.random.default_rng(0))
    x = np.random.default_rng(1).standard_normal((50, 5)).astype(np.float32)
    whole = net.forward(x)
    np.testing.assert_allclose(net.predict(x, chunk_elements), whole, rtol=1e-6, atol=1e-6)
