import pytest

from ui import params


@pytest.mark.parametrize(
    "raw,value,action",
    [
        (None, 10, None),
        ("20", 20, None),
        (" 20 ", 20, None),
        ("500", 100, "clamped"),
        ("0", 1, "clamped"),
        ("-5", 1, "clamped"),
        ("1e9", 100, "clamped"),
        ("20.0", 20, None),
        ("10.5", 10, "ignored"),
        ("abc", 10, "ignored"),
        ("", 10, "ignored"),
        ("nan", 10, "ignored"),
        ("inf", 10, "ignored"),
        ("-inf", 10, "ignored"),
        ("1e309", 10, "ignored"),
        ("0x10", 10, "ignored"),
        ("<script>alert(1)</script>", 10, "ignored"),
        ("'; DROP TABLE runs; --", 10, "ignored"),
        ("20&depth=30", 10, "ignored"),
        ("9" * 200, 10, "ignored"),
    ],
)
def test_depth(raw, value, action):
    got, note = params.read(params.DEPTH, raw)
    assert got == value and isinstance(got, int)
    assert (note.action if note else None) == action


@pytest.mark.parametrize(
    "raw,value,action",
    [
        ("0.1", 0.1, None),
        ("1e-3", 1e-3, None),
        ("100", 10.0, "clamped"),
        ("0", 1e-5, "clamped"),
        ("-0.1", 1e-5, "clamped"),
        ("NaN", 0.01, "ignored"),
        ("one", 0.01, "ignored"),
    ],
)
def test_learning_rate(raw, value, action):
    got, note = params.read(params.LR, raw)
    assert got == pytest.approx(value)
    assert (note.action if note else None) == action


@pytest.mark.parametrize(
    "raw,value,action",
    [
        ("relu", "relu", None),
        ("RELU", "relu", "ignored"),
        ("softmax", "relu", "ignored"),
        ("relu;rm -rf /", "relu", "ignored"),
        ("", "relu", "ignored"),
        ("tanh ", "tanh", None),
    ],
)
def test_choice(raw, value, action):
    got, note = params.read(params.ACTIVATION, raw)
    assert got == value
    assert (note.action if note else None) == action


def test_choices_list():
    assert params.read(params.INITS, "he_normal,glorot_uniform") == (
        ("he_normal", "glorot_uniform"),
        None,
    )
    got, note = params.read(params.INITS, "he_normal,bogus,he_normal")
    assert got == ("he_normal",) and note.action == "clamped"
    got, note = params.read(params.INITS, "bogus")
    assert got == params.INITS.default and note.action == "ignored"
    many = ",".join(["he_normal", "glorot_uniform", "lecun_normal", "he_uniform", "glorot_normal"])
    got, note = params.read(params.INITS, many)
    assert len(got) == params.INITS.max_items and note.action == "clamped"


@pytest.mark.parametrize(
    "raw,value,action",
    [
        ("1", True, None),
        ("true", True, None),
        ("ON", True, None),
        ("0", False, None),
        ("no", False, None),
        ("2", False, "ignored"),
        ("maybe", False, "ignored"),
    ],
)
def test_bool(raw, value, action):
    got, note = params.read(params.BN_GRID, raw)
    assert got is value
    assert (note.action if note else None) == action


def test_long_values_are_cut_in_the_note():
    _, note = params.read(params.DATASET, "x" * 1000)
    assert note.action == "ignored" and len(note.raw) <= params.MAX_RAW_LENGTH + 1


def test_read_all_collects_notes_and_ignores_unknown_names():
    values, notes = params.read_all(params.SHARED, {"depth": "500", "lang": "fr", "bogus": "1"})
    assert values["depth"] == 100 and values["lang"] == "en"
    assert {n.name for n in notes} == {"depth", "lang"}


def test_every_default_is_valid():
    for p in [v for v in vars(params).values() if isinstance(v, params.Param)]:
        value, note = params.read(p, None)
        assert note is None
        if p.kind == "bool":
            assert isinstance(p.default, bool)
        elif p.kind in ("int", "float"):
            assert p.lo <= p.default <= p.hi
        elif p.kind == "choice":
            assert p.default in p.choices
        else:
            assert set(p.default) <= set(p.choices)
