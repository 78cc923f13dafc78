"""A run already trained by another comparison (another page, a lesson link) is taken from it,
not trained again: the same network, training settings, seed and data give the same run."""

from dataclasses import replace

import pandas as pd
import pytest

from core import ModelConfig, TrainConfig, Variant, compare, datasets
from ui.caches.cache import BoundedCache
from ui.runs import budget, counts, jobs, runner, shared

DATA = datasets.load("moons")
TANH = ModelConfig(hidden=(8,) * 3, activation="tanh", init="glorot_uniform")
RELU = ModelConfig(hidden=(8,) * 3, activation="relu", init="he_normal")
SGD = TrainConfig(epochs=3, batch_size=64, lr=0.05)


def finish(board: jobs.Board, variants: tuple[Variant, ...], seeds=(0,), summarise=None):
    """Run the comparison as a page does (in the board's worker) and return it."""
    key = (variants, "moons", seeds, summarise)
    job, _ = board.join(
        key,
        lambda job: shared.train_all(job, *key, shared.reusable_runs(board.store, key)),
        None,
    )
    assert job.done.wait(60) and job.error is None
    return job.value[0]


def summary(variant, net, data):
    """What a page keeps of a trained network (here its number of layers)."""
    return len(net.layers)


def test_a_run_another_comparison_holds_is_taken_from_it_whatever_its_name():
    board = jobs.Board(BoundedCache(8))
    first = finish(board, (Variant("tanh", TANH, SGD), Variant("relu", RELU, SGD)), seeds=(0, 1))
    # a lesson's names for the same networks, one new variant, one changed setting
    second = finish(
        board,
        (
            Variant("Glorot + tanh", TANH, SGD),
            Variant("faster", RELU, replace(SGD, lr=0.1)),
        ),
        seeds=(1,),
    )
    assert second.runs[("Glorot + tanh", 1)] is first.runs[("tanh", 1)]
    assert second.runs[("faster", 1)] is not first.runs[("relu", 1)]
    # what was taken is what training it would have given: the same frames
    fresh = compare([Variant("Glorot + tanh", TANH, SGD)], DATA, seeds=(1,))
    for frame in ("metrics", "layers", "grad_hist"):
        taken = getattr(second, frame)
        taken = taken[taken["variant"] == "Glorot + tanh"].reset_index(drop=True)
        pd.testing.assert_frame_equal(taken, getattr(fresh, frame))


def test_only_the_same_settings_seed_and_data_count_as_the_same_run():
    store = BoundedCache(8)
    comp = compare([Variant("tanh", TANH, SGD)], DATA, seeds=(0,))
    store.put(((Variant("tanh", TANH, SGD),), "moons", (0,), None), (comp, {}))
    asked = (
        Variant("same", TANH, SGD),
        Variant("other seed in its settings", TANH, replace(SGD, seed=7)),  # replaced by seed
        Variant("more epochs", TANH, replace(SGD, epochs=4)),
        Variant("wider", replace(TANH, hidden=(9,) * 3), SGD),
    )
    found = shared.trained_runs(store, asked, "moons", (0, 1))
    assert found == {
        ("same", 0): comp.runs[("tanh", 0)],
        ("other seed in its settings", 0): comp.runs[("tanh", 0)],
    }
    assert shared.trained_runs(store, asked, "circles", (0,)) == {}


def test_a_comparison_that_summarises_its_networks_trains_them():
    board = jobs.Board(BoundedCache(8))
    first = finish(board, (Variant("tanh", TANH, SGD),))
    second = finish(board, (Variant("tanh", TANH, SGD),), summarise=summary)
    assert second.runs[("tanh", 0)] is not first.runs[("tanh", 0)]


@pytest.mark.parametrize("reported", [True, False])
def test_compare_reports_a_run_it_takes(reported):
    comp = compare([Variant("tanh", TANH, SGD)], DATA)
    seen = []
    again = compare(
        [Variant("tanh", TANH, SGD), Variant("relu", RELU, SGD)],
        DATA,
        on_epoch=seen.append if reported else None,
        trained=comp.runs,
    )
    assert again.runs[("tanh", 0)] is comp.runs[("tanh", 0)]
    assert list(again.runs) == [("tanh", 0), ("relu", 0)]
    if reported:  # once with the run taken, then as often as training the other alone
        alone = []
        compare([Variant("relu", RELU, SGD)], DATA, on_epoch=alone.append)
        assert seen[0] is comp.runs[("tanh", 0)] and len(seen) == 1 + len(alone)


def test_the_budget_charges_only_the_runs_it_will_train():
    shape = counts.Shape(2, 2, 1000, 200)
    tanh, relu = Variant("tanh", TANH, SGD), Variant("relu", RELU, SGD)

    def same(a: budget.Cost, b: budget.Cost) -> bool:
        return a.seconds == pytest.approx(b.seconds) and (a.kept, a.peak) == (b.kept, b.peak)

    everything = budget.comparison_cost(shape, [(TANH, SGD), (RELU, SGD)], 2)
    assert same(runner.uncached_cost(shape, (tanh, relu), (0, 1), {}), everything)
    cached = {("tanh", 0): "run", ("tanh", 1): "run", ("relu", 1): "run"}
    one = runner.uncached_cost(shape, (tanh, relu), (0, 1), cached)
    assert same(one, budget.run_cost(shape, RELU, SGD)) and one.seconds < everything.seconds / 3
