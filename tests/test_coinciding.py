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
    labels = tuple(f"label of {m}" for m in methods)
    assert figures.coinciding(view, 0) == [((), labels)]  # every panel drawn at epoch 0
    layers = view.layers(1).groupby("variant")["grad_norm"].mean()
    assert abs(layers["none"] - layers["value"]) > figures.COINCIDE * layers["none"]
    for panels, group in figures.coinciding(view, 1):
        if {"label of none", "label of value"} <= set(group):
            assert panels and "grad_norm" not in panels


def test_lines_that_coincide_in_some_panels_are_named_with_those_panels():
    model = ModelConfig(hidden=(16,) * 3, activation="relu", init="he_normal")
    methods = ("none", "value", "global_norm")
    view = view_of([Variant(m, model, TrainConfig(epochs=0, clip=m)) for m in methods])
    layers = view.comp.layers
    layers.loc[layers["variant"] == "value", "act_std"] *= 2  # its outputs' spread alone differs
    assert figures.coinciding(view, 0) == [
        (("backprop_norm", "grad_norm"), tuple(f"label of {m}" for m in methods)),
        (("act_std",), ("label of none", "label of global_norm")),
    ]


def test_different_initial_weights_do_not_coincide():
    variants = [
        Variant(init, ModelConfig(hidden=(16,) * 3, init=init), TrainConfig(epochs=0))
        for init in ("he_normal", "glorot_uniform", "random_normal")
    ]
    assert figures.coinciding(view_of(variants), 0) == []


def test_the_clipping_page_names_its_coinciding_lines_under_the_chart():
    from apptest_helpers import open_page, texts

    at = open_page("gradient-clipping", depth="2", width="8", epochs="1")
    assert not at.exception
    names = ", ".join(Text("en")(f"cl_v_{m}") for m in ("none", "value", "norm", "global_norm"))
    assert Text("en")("coinciding", epoch=0, names=names) in texts(at)
