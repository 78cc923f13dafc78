"""Played charts: the spec holds every epoch it plays, filters every mark by the epoch shown,
binds its controls, opens at the link's epoch, and its expressions step as they should."""

import json

import pandas as pd
import pytest
import vega_lite
from apptest_helpers import open_page

from core import ModelConfig, TrainConfig, Variant, compare, datasets
from ui.drawing import playback
from ui.story import figures
from ui.story.view import ComparisonView
from ui.text.i18n import Text


@pytest.fixture(scope="module")
def view():
    """Three small variants, two seeds, four epochs; the last one diverges in its first epoch."""
    data = datasets.load("moons")
    cfg = TrainConfig(epochs=4, batch_size=64, lr=0.05)
    variants = [
        Variant(
            "tanh", ModelConfig(hidden=(8,) * 3, activation="tanh", init="glorot_uniform"), cfg
        ),
        Variant("relu", ModelConfig(hidden=(8,) * 3, activation="relu", init="he_normal"), cfg),
        Variant(
            "boom",
            ModelConfig(hidden=(8,) * 3, activation="relu", init="random_normal", init_std=30.0),
            TrainConfig(epochs=4, lr=1.0),
        ),
    ]
    comp = compare(variants, data, seeds=(0, 1))
    labels = (("tanh", "tanh + Glorot"), ("relu", "ReLU + He"), ("boom", "boom"))
    return ComparisonView(comp, tuple(variants), "moons", (0, 1), labels, Text("en"), 2)


def param(spec: dict, name: str) -> dict:
    return next(p for p in spec["params"] if p["name"] == name)


def rows(spec: dict) -> list[dict]:
    """The rows of the spec's largest dataset (the played rows, not the timeline's)."""
    return max(spec["datasets"].values(), key=len)


def units(node) -> list[dict]:
    """Every single view (a ``mark``) in a spec, however nested."""
    if isinstance(node, dict):
        found = [node] if "mark" in node else []
        return found + [u for v in node.values() for u in units(v)]
    if isinstance(node, list):
        return [u for v in node for u in units(v)]
    return []


def _wrapped(e: str) -> bool:
    """``e`` is ``( ... )`` whose first parenthesis closes at its end."""
    depth = 0
    for i, ch in enumerate(e):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return e[0] == "(" and i == len(e) - 1
    return False


def _python(e: str) -> str:
    """A Vega expression as Python: ``a ? b : c`` becomes ``(b if a else c)``."""
    e = e.strip()
    if _wrapped(e):
        return f"({_python(e[1:-1])})"
    depth, question, nested = 0, None, 0
    for i, ch in enumerate(e):
        depth += (ch == "(") - (ch == ")")
        if depth:
            continue
        if ch == "?":
            question, nested = (i, 0) if question is None else (question, nested + 1)
        elif ch == ":" and question is not None:
            if nested:
                nested -= 1
            else:
                test, then, other = e[:question], e[question + 1 : i], e[i + 1 :]
                return f"(({_python(then)}) if ({_python(test)}) else ({_python(other)}))"
    return e


def vega(expression: str, **signals) -> object:
    """Evaluate a Vega expression of the kind the played charts use (numbers, signals,
    + - %, comparisons, ``min``, nested ``a ? b : c``) in Python."""
    return eval(_python(expression), {"min": min}, dict(signals))  # noqa: S307 (test input)


def test_the_expression_helper_reads_nested_conditions():
    assert vega("a >= 3 ? 0 : (b ? 1 : 2)", a=1, b=False) == 2
    assert vega("p ? (e >= 5 ? 0 : min(s + 2, 5)) : e", p=True, e=4, s=4) == 5


# --- which epochs a chart holds --------------------------------------------------------------


def test_every_epoch_is_held_while_the_rows_fit():
    pb = playback.Playback.fit(last=5, rows_per_epoch=44)
    assert pb == playback.Playback(5, 1) and pb.frames == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("last,rows_per_epoch", [(200, 800), (200, 404), (57, 1000), (1, 10**6)])
def test_a_long_run_holds_every_kth_epoch_and_the_last_within_the_row_budget(last, rows_per_epoch):
    pb = playback.Playback.fit(last, rows_per_epoch)
    assert pb.frames[0] == 0 and pb.frames[-1] == last
    assert len(pb.frames) * rows_per_epoch <= max(playback.MAX_ROWS, 2 * rows_per_epoch)
    assert all(b - a == pb.stride for a, b in zip(pb.frames[:-2], pb.frames[1:-1]))
    smaller = playback.Playback(last, pb.stride - 1) if pb.stride > 1 else None
    assert smaller is None or len(smaller.frames) * rows_per_epoch > playback.MAX_ROWS


def test_the_slider_shows_the_held_epoch_at_or_below_it():
    pb = playback.Playback(10, 3)  # holds 0, 3, 6, 9, 10
    shown = [vega(pb.shown_expr, epoch=e) for e in range(11)]
    assert shown == [0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 10]


def test_playing_steps_through_every_held_epoch_and_loops_and_pausing_holds():
    for pb in (playback.Playback(5), playback.Playback(10, 3)):
        epoch, seen = 0, [0]
        for _ in range(len(pb.frames)):
            shown = vega(pb.shown_expr, epoch=epoch)
            epoch = vega(pb.next_expr, play=True, epoch=epoch, shown=shown)
            seen.append(vega(pb.shown_expr, epoch=epoch))
        assert seen == [*pb.frames, 0]
        assert vega(pb.next_expr, play=False, epoch=4, shown=3) == 4


def test_a_loop_lasts_a_few_seconds_whatever_the_run():
    low, high = playback.FRAME_MS
    assert playback.Playback(5).interval_ms == high  # 6 frames: 0.8 s each
    assert playback.Playback(200).interval_ms == low
    assert low <= playback.Playback(20).interval_ms <= high


# --- the per-layer chart ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def layer_spec(view):
    return figures.layer_playback(view)


def test_the_layer_chart_holds_every_epoch_and_layer_of_every_variant(view, layer_spec):
    held = pd.DataFrame(rows(layer_spec))
    assert sorted(held["epoch"].unique()) == list(range(view.last_epoch + 1)) == [0, 1, 2, 3, 4]
    assert set(held["variant"]) == {"tanh + Glorot", "ReLU + He", "boom"}
    per_epoch = held[held["variant"] == "ReLU + He"].groupby("epoch")["layer"].apply(sorted)
    assert all(layers == [1, 2, 3, 4] for layers in per_epoch)
    # two seeds: mean with its min-max band, each value rounded to 4 significant digits
    assert {"backprop_norm", "backprop_norm_low", "backprop_norm_high"} <= set(held.columns)
    mean = view.comp.layers.query("variant == 'relu' and epoch == 2 and layer == 1")
    got = held.query("variant == 'ReLU + He' and epoch == 2 and layer == 1")["grad_norm"]
    assert got.iloc[0] == pytest.approx(mean["grad_norm"].mean(), rel=1e-3)


def test_the_layer_chart_binds_its_controls_and_animates_the_epoch(view, layer_spec):
    last = view.last_epoch
    epoch = param(layer_spec, "epoch")
    assert epoch["bind"] == {"input": "range", "min": 0, "max": last, "step": 1, "name": "Epoch"}
    assert epoch["value"] == 0
    assert param(layer_spec, "play") == {
        "name": "play",
        "value": False,
        "bind": {"input": "checkbox", "name": "Play ▶"},
    }
    assert param(layer_spec, "shown")["expr"] == playback.Playback(last).shown_expr
    timer, click = epoch["on"]
    assert timer["events"] == {"type": "timer", "throttle": playback.FRAME_MS[1]}
    assert timer["update"] == playback.Playback(last).next_expr
    assert click == {
        "events": {"type": "click", "markname": "timeline_marks"},
        "update": "datum.epoch",
    }
    pick = param(layer_spec, "pick")
    assert pick["select"]["fields"] == ["epoch"] and pick["views"] == ["timeline"]
    assert layer_spec["usermeta"] == {"embedOptions": {"renderer": "svg"}}
    assert "shown == 0" in json.dumps(layer_spec["title"])


def test_every_mark_of_the_layer_chart_shows_one_epoch_on_fixed_axes(layer_spec):
    marks = [u for u in units(layer_spec) if u.get("name") != "timeline"]
    marks = [u for u in marks if "note" not in json.dumps(u.get("encoding", {}))]
    assert len(marks) >= 4 * 3  # four panels: line, output square, band (two seeds)
    for unit in marks:
        filters = [t["filter"] for t in unit.get("transform", []) if "filter" in t]
        assert any("datum.epoch == shown" in f for f in filters), unit
    for unit in units(layer_spec):
        y = unit.get("encoding", {}).get("y", {})
        if y.get("scale", {}).get("type") == "log":
            assert len(y["scale"]["domain"]) == 2


def test_the_update_ratio_panel_says_why_it_is_empty_at_epoch_0(layer_spec):
    notes = [u for u in units(layer_spec) if u.get("encoding", {}).get("text")]
    assert len(notes) == 1
    assert notes[0]["transform"] == [{"filter": "shown == 0"}]


def without_handlers(spec: dict) -> dict:
    """``spec`` less the signal handlers :func:`playback.animate` adds (Vega, not Vega-Lite)."""
    params = [{k: v for k, v in p.items() if k != "on"} for p in spec["params"]]
    return {**spec, "params": params}


def test_a_played_chart_is_valid_vega_lite_but_for_its_handlers(view, layer_spec):
    hist_spec = figures.grad_hist_playback(view)
    for spec in (layer_spec, hist_spec):
        vega_lite.assert_valid(without_handlers(spec), "TopLevelVConcatSpec")
        assert param(spec, "epoch")["on"]  # what the schema does not know
    broken = without_handlers(layer_spec)
    broken["vconcat"][1]["mark"] = {"type": "rectangle"}
    assert vega_lite.errors(broken, "TopLevelVConcatSpec")


# --- opening at the link's epoch --------------------------------------------------------------


@pytest.mark.parametrize("asked,opens", [(3, 3), (0, 0), (99, 4), (-2, 0)])
def test_a_chart_opens_at_the_links_epoch_clamped_to_the_run(layer_spec, asked, opens):
    before = json.dumps(layer_spec)
    opened = playback.at_epoch(layer_spec, asked)
    assert param(opened, "epoch")["value"] == opens
    assert param(opened, "epoch")["on"] == param(layer_spec, "epoch")["on"]
    assert json.dumps(layer_spec) == before  # the memoized spec is left as it was


# --- the gradient histograms ------------------------------------------------------------------


def test_the_histograms_hold_every_epoch_first_seed_and_shares_that_sum_to_one(view):
    spec = figures.grad_hist_playback(view)
    held = pd.DataFrame(rows(spec))
    assert sorted(held["epoch"].unique()) == [0, 1, 2, 3, 4]
    sums = held.groupby(["variant", "epoch", "layer"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0, abs=1e-3)
    first = view.comp.grad_hist.query("seed == 0 and variant == 'tanh' and epoch == 3")
    assert len(held.query("variant == 'tanh + Glorot' and epoch == 3")) == len(first)
    cells = next(u for u in units(spec) if u.get("name", "").startswith("cells"))
    assert cells["transform"] == [{"filter": "datum.epoch == shown"}]
    assert cells["encoding"]["x"]["scale"]["domain"][0] <= held["bin_start"].min()
    assert param(spec, "epoch")["bind"]["max"] == 4 and len(param(spec, "epoch")["on"]) == 2


def test_a_long_run_is_thinned_and_says_so(monkeypatch, view):
    monkeypatch.setattr(playback, "MAX_ROWS", 3 * 100)  # three frames of the histograms
    spec = figures.grad_hist_playback(view)
    held = sorted(pd.DataFrame(rows(spec))["epoch"].unique())
    stride = int(param(spec, "shown")["expr"].rsplit("%", 1)[1])
    assert stride > 1 and held == playback.Playback(4, stride).frames
    assert "one epoch in" in json.dumps(spec["title"])


# --- the epoch in the link (the app under AppTest) -------------------------------------------

SMALL = {"depth": "2", "width": "8", "epochs": "3"}


def played_epoch(at) -> list[int]:
    """The epoch each played chart on the page opens at."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    return [param(s, "epoch")["value"] for s in specs if "params" in s]


def link_epoch(at) -> str | None:
    """The ``epoch`` the page's URL holds (AppTest keeps a value or a list of them)."""
    value = at.query_params.get("epoch")
    return value[-1] if isinstance(value, list) else value


def test_the_link_sets_the_epoch_the_charts_open_at():
    at = open_page("initialization", **SMALL, epoch="2")
    assert not at.exception
    assert played_epoch(at) == [2]
    assert link_epoch(at) == "2"
    at = open_page("initialization", **SMALL)
    assert played_epoch(at) == [0] and link_epoch(at) is None


@pytest.mark.parametrize(
    "raw,opens,note",
    [
        ("50", 3, "`epoch=50` is out of range"),
        ("-4", 0, "`epoch=-4` is out of range"),
        ("x", 0, "`epoch=x`"),
    ],
)
def test_an_epoch_past_the_run_or_unreadable_is_clamped_or_ignored_with_a_note(raw, opens, note):
    at = open_page("initialization", **SMALL, epoch=raw)
    assert not at.exception
    assert played_epoch(at) == [opens]
    assert note in " ".join(w.value for w in at.warning)
    assert link_epoch(at) == (str(opens) if opens else None)


def test_a_click_on_the_timeline_puts_its_epoch_into_the_link_once():
    at = open_page("initialization", **SMALL, epoch="1")
    at.session_state["init_layers"] = {"selection": {"pick": [{"epoch": 3}]}}
    at.run()
    assert played_epoch(at) == [3] and link_epoch(at) == "3"
    # the selection outlives a change of settings; it is not a new click, so a smaller run
    # clamps the epoch and the old click does not bring it back
    at.sidebar.slider(key="epochs").set_value(2).run()
    assert played_epoch(at) == [2] and link_epoch(at) == "2"


def test_a_lesson_keeps_the_links_epoch_while_it_asks_its_questions():
    at = open_page("initialization", **SMALL, lesson="symmetry", inits="zeros,he_normal", epoch="2")
    assert not at.exception and played_epoch(at) == []  # nothing drawn before the answers
    assert link_epoch(at) == "2"
