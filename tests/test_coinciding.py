"""Lines that lie on top of each other are named under the per-layer charts: a legend entry
with no line of its own would otherwise look like a variant that was left out."""

from core import ModelConfig, TrainConfig, Variant, compare, datasets
from ui.story import figures
from ui.story.view import ComparisonView
from ui.text.i18n import Text

DIGITS = datasets.load("digits")


def view_of(variants) -> ComparisonView:
    comp = compare(variants, DIGITS, (0,))
    labels = tuple((v.name, f"label of {v.name}") for v in variants)
    return ComparisonView(comp, tuple(variants), "digits", (0,), labels, Text("en"), 10)


def test_clipping_methods_coincide_before_any_step_and_part_once_one_is_clipped():
    model = ModelConfig(hidden=(16,) * 3, activation="relu", init="random_normal", init_std=1.0)
    methods = ("none", "value", "global_norm")
    view = view_of(
        [Variant(m, model, TrainConfig(epochs=1, clip=m, clip_threshold=0.01)) for m in methods]
    )
    assert figures.coinciding(view, 0) == [tuple(f"label of {m}" for m in methods)]
    layers = view.layers(1).groupby("variant")["grad_norm"].mean()
    assert abs(layers["none"] - layers["value"]) > figures.COINCIDE * layers["none"]
    assert not any(
        "label of none" in g and "label of value" in g for g in figures.coinciding(view, 1)
    )


def test_different_initial_weights_do_not_coincide():
    variants = [
        Variant(init, ModelConfig(hidden=(16,) * 3, init=init), TrainConfig(epochs=0))
        for init in ("he_normal", "glorot_uniform", "random_normal")
    ]
    assert figures.coinciding(view_of(variants), 0) == []
