"""The live charts a page draws while its comparison trains (issue 20, point 1)."""

import pandas as pd
import pytest

from core import Comparison, ModelConfig, TrainConfig, Variant, datasets, train
from ui.runs.runner import live_charts
from ui.text.i18n import Text

DATA = datasets.load("moons")


def variant(name: str, **train) -> Variant:
    model = ModelConfig(hidden=(8,) * 3, activation="tanh", init="glorot_uniform")
    return Variant(name, model, TrainConfig(epochs=4, batch_size=64, **train))


def history_at(v: Variant, epoch: int):
    """``v``'s run as its ``epoch``-th report found it (its frames built right then)."""
    seen = []

    def keep(history):
        if history.epochs_done == epoch:
            history.layers, history.metrics  # noqa: B018 (frames built now, as a page reads them)
            seen.append(history)

    train(v.model, v.train, DATA, on_epoch=keep)
    return seen[0]


@pytest.fixture(scope="module")
def under_way():
    """Variant ``a`` finished (4 epochs), ``b`` under way (2 epochs done), ``c`` not started."""
    a, b, c = variant("a"), variant("b", lr=0.3), variant("c")
    partial = Comparison({("a", 0): history_at(a, 4), ("b", 0): history_at(b, 2)})
    key = ((a, b, c), "moons", (0,), None)
    return partial, key


def rows(spec: dict) -> pd.DataFrame:
    return pd.concat(pd.DataFrame(v) for v in spec["datasets"].values())


def test_the_gradient_profile_shows_every_run_started_at_the_epoch_of_the_run_under_way(
    under_way,
):
    partial, key = under_way
    curves, layers = live_charts(partial, key, {"a": "A", "b": "B", "c": "C"}, Text("en"))
    assert layers["title"]["text"] == "Back-propagated gradient ‖∂L/∂z‖ at epoch 2"
    profile = rows(layers)
    assert set(profile["variant"]) == {"A", "B"}  # c has not started
    assert sorted(profile["layer"].unique()) == [1, 2, 3, 4]
    measured = partial.layers.query("variant == 'b' and epoch == 2 and layer == 1")
    shown = profile.query("variant == 'B' and layer == 1")["backprop_norm"]
    assert shown.iloc[0] == pytest.approx(measured["backprop_norm"].iloc[0], rel=1e-3)
    trained = rows(curves)
    assert trained.groupby("variant")["epoch"].max().to_dict() == {"A": 4, "B": 2}


def test_runs_that_measure_no_layers_get_their_curves_only():
    v = variant("sweep", diagnostics=False)
    partial = Comparison({("sweep", 0): history_at(v, 1)})
    curves, layers = live_charts(partial, ((v,), "moons", (0,), None), {}, Text("ko"))
    assert layers is None and len(rows(curves)) > 0
