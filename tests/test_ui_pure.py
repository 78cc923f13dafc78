"""ui helpers that need no running app: format, labels, cache."""

import threading
import time

import pytest

from ui.caches.cache import BoundedCache
from ui.text.format import (
    amount,
    decimal,
    fixed,
    markdown_table,
    percent,
    power_of_ten,
    significant,
)
from ui.text.i18n import Text
from ui.text.labels import init_name


@pytest.mark.parametrize(
    "x,text",
    [
        (3.1e-6, "3.1×10⁻⁶"),
        (1e-6, "1×10⁻⁶"),
        (0.3, "0.3"),
        (12345, "1.2×10⁴"),
        (9.96e-5, "1×10⁻⁴"),
        (0, "0"),
        (float("nan"), "–"),
        (float("inf"), "∞"),
        (-2e-7, "−2×10⁻⁷"),
        (-0.0712, "−0.071"),
    ],
)
def test_power_of_ten(x, text):
    assert power_of_ten(x) == text


def test_every_negative_number_is_written_with_the_minus_sign():
    """U+2212, never the hyphen-minus (which reads as a hyphen and may break a line after it):
    the SELU read-out's "mean between −0.07 and 0.07"; a value rounded to 0 has no sign."""
    written = [
        power_of_ten(-0.0712),
        power_of_ten(-3.1e-6),
        power_of_ten(-float("inf")),
        fixed(-0.0712, 2),
        percent(-0.123),
        amount(-6840.2),
        significant(-1 / 64),
    ]
    assert written == ["−0.071", "−3.1×10⁻⁶", "−∞", "−0.07", "−12.3 %", "−6,840", "−0.01563"]
    assert fixed(-0.001, 2) == "0.00" and fixed(0.07, 2) == "0.07"
    assert not any("-" in text for text in written)


def test_significant_rounds_a_half_up():
    """1/64 = 0.015625, LeCun's σ² for 64 inputs, to four digits: 0.01563 (not 0.01562)."""
    assert significant(1 / 64) == "0.01563"
    assert [significant(x) for x in (0.01, 0.02, 0.17320508, 2.0)] == [
        "0.01",
        "0.02",
        "0.1732",
        "2",
    ]


@pytest.mark.parametrize(
    "x,text",
    [
        (6840.2, "6,840"),
        (12.34, "12.3"),
        (99.96, "100"),
        (120.0, "120"),
        (0.05, "0.05"),
        (1234567.0, "1,230,000"),
        (0.004, "4×10⁻³"),
        (float("inf"), "∞"),
    ],
)
def test_amount_has_three_significant_digits_and_no_e_notation(x, text):
    assert amount(x) == text


def test_decimal_never_writes_e_notation():
    from ui.page.params import LR_STEPS

    assert [decimal(x) for x in (1e-5, 3e-4, 0.3, 10.0)] == ["0.00001", "0.0003", "0.3", "10"]
    assert all("e" not in decimal(x) and float(decimal(x)) == x for x in LR_STEPS)


def test_percent():
    assert percent(0.9031) == "90.3 %" and percent(float("nan")) == "–"


def test_init_names():
    en, ko = Text("en"), Text("ko")
    assert (
        init_name(en, "he_normal") == "He normal" and init_name(ko, "he_normal") == "He 정규 분포"
    )
    assert init_name(en, "zeros") == "zeros" and init_name(ko, "zeros") == "0 초기화"
    assert init_name(en, "constant", value=0.25) == "constant 0.25"
    assert init_name(ko, "constant") == "상수 0.01"  # the default value
    assert init_name(ko, "glorot_uniform") == "글로럿 균등 분포"
    assert init_name(en, "random_normal", 1.0) == "N(0, 1)"
    assert init_name(ko, "random_normal", 0.01) == "N(0, 0.01²)"


def test_cache_evicts_least_recently_used():
    cache = BoundedCache(2)
    cache.get_or_compute("a", lambda: 1)
    cache.get_or_compute("b", lambda: 2)
    cache.get_or_compute("a", lambda: 99)  # a is now the most recent
    cache.get_or_compute("c", lambda: 3)
    assert "a" in cache and "c" in cache and "b" not in cache and len(cache) == 2


def test_cache_computes_once_under_concurrency():
    cache, calls = BoundedCache(4), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return 42

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute("k", slow)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and len(calls) == 1


def test_cache_does_not_store_failures():
    cache = BoundedCache(2)

    def boom():
        raise RuntimeError("nope")

    with pytest.raises(RuntimeError):
        cache.get_or_compute("k", boom)
    assert "k" not in cache
    assert cache.get_or_compute("k", lambda: 5) == 5


def test_memo_keys_are_the_function_and_its_arguments():
    from ui.caches import memo
    from ui.story import figures

    assert memo.key_of(figures.by_layer, ("view", "act_std", 0)) == (
        "ui.story.figures.by_layer",
        "view",
        "act_std",
        0,
    )
    with pytest.raises(ValueError, match="module-level"):
        memo.key_of(lambda: 1, ())

    def nested():
        return 1

    with pytest.raises(ValueError, match="module-level"):
        memo.key_of(nested, ())


def test_live_curves_draw_the_runs_finished_and_under_way():
    """The curves a page redraws while its comparison trains (AppTest runs leave them out,
    tests/apptest_helpers.py): the runs begun so far, each under its label, and only them."""
    import json
    from dataclasses import replace

    from core import Comparison, ModelConfig, TrainConfig, Variant, compare, datasets
    from ui.runs import runner

    model = ModelConfig(hidden=(8,) * 2)
    variants = tuple(Variant(name, model, TrainConfig(epochs=3)) for name in ("a", "b", "c"))
    labels = {"a": "Finished run", "b": "Run under way", "c": "Not begun"}
    moons = datasets.load("moons")
    b_so_far = replace(variants[1], train=replace(variants[1].train, epochs=1))  # 1 epoch of 3
    partial = Comparison(compare([variants[0], b_so_far], moons).runs)
    spec, _ = runner.live_charts(partial, (variants, "moons", (0,), None), labels, Text("en"))
    rows = [row for data in spec["datasets"].values() for row in data if "variant" in row]
    last = {}
    for row in rows:
        last[row["variant"]] = max(last.get(row["variant"], 0), row["epoch"])
    assert last == {"Finished run": 3, "Run under way": 1}
    assert "Not begun" not in json.dumps(spec)


def test_markdown_table_keeps_every_cell_in_its_column():
    import pandas as pd

    frame = pd.DataFrame(
        {"σ²": ["1 / fan_avg", "a|b"], "note": ["two\nlines", 0.5]},
        index=pd.Index(["Glorot", "He"], name="strategy"),
    )
    lines = markdown_table(frame).splitlines()
    assert lines[:2] == ["| strategy | σ² | note |", "|---|---|---|"]
    assert lines[2] == "| **Glorot** | 1 / fan_avg | two lines |"
    # an escaped bar stays inside its cell: every row has the header's four separators
    assert lines[3] == "| **He** | a\\|b | 0.5 |"
    assert all(line.replace("\\|", "").count("|") == 4 for line in lines)
