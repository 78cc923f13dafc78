"""Property-based tests: random configurations within the UI's ranges never fail in ways other
than the documented ones, and any text in a URL parameter reads as a valid value."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import (
    ModelConfig,
    TrainConfig,
    Variant,
    activations,
    clipping,
    compare,
    datasets,
    initializers,
    optimizers,
)
from ui.page import params

DATA = {name: datasets.load(name) for name in ("moons", "xor")}


def log_uniform(lo, hi):
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: float(10**e))


configs = st.fixed_dictionaries(
    {
        "activation": st.sampled_from(activations.NAMES),
        "init": st.sampled_from(initializers.NAMES),
        "init_std": log_uniform(1e-4, 10),
        "batchnorm": st.sampled_from(("none", "before", "after")),
        "bn_convention": st.sampled_from(("keras", "torch")),
        "optimizer": st.sampled_from(optimizers.NAMES),
        "lr": log_uniform(1e-5, 10),
        "batch_size": st.integers(1, 64),
        "epochs": st.integers(1, 2),
        "clip": st.sampled_from(clipping.METHODS),
        "clip_threshold": log_uniform(1e-4, 1e4),
        "depth": st.integers(1, 4),
        "width": st.integers(2, 12),
        "dataset": st.sampled_from(tuple(DATA)),
        "seed": st.integers(0, 2**31 - 1),
    }
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs)
def test_any_configuration_trains_or_is_flagged(c):
    model = ModelConfig(
        hidden=(c["width"],) * c["depth"],
        activation=c["activation"],
        init=c["init"],
        init_std=c["init_std"],
        batchnorm=c["batchnorm"],
        bn_convention=c["bn_convention"],
    )
    cfg = TrainConfig(
        optimizer=c["optimizer"],
        lr=c["lr"],
        batch_size=c["batch_size"],
        epochs=c["epochs"],
        clip=c["clip"],
        clip_threshold=c["clip_threshold"],
        seed=c["seed"],
    )
    result = compare([Variant("v", model, cfg)], DATA[c["dataset"]], seeds=(c["seed"],))
    history = result.runs[("v", c["seed"])]
    assert history.metrics.epoch.min() == 0
    if history.diverged_at is None:
        assert history.metrics.epoch.max() == c["epochs"]
        assert np.isfinite(history.metrics.loss).all()
        assert history.net is not None
    else:
        assert 1 <= history.diverged_at <= c["epochs"]
        assert history.metrics.epoch.max() == history.diverged_at - 1
    assert set(result.tidy().columns) >= {"variant", "quantity", "value"}


ALL_PARAMS = params.NAMED + [params.HIDE]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ALL_PARAMS), st.text(max_size=80))
def test_any_url_text_reads_as_a_valid_value(param, raw):
    value, note = params.read(param, raw)
    if param.kind in ("int", "float"):
        assert param.lo <= value <= param.hi and math.isfinite(value)
    elif param.kind == "bool":
        assert isinstance(value, bool)
    elif param.kind == "choice":
        assert value in param.choices
    else:
        assert set(value) <= set(param.choices) and len(value) <= param.max_items
    assert note is None or note.action in ("clamped", "ignored", "dropped")
