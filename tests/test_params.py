import pytest

from ui.page import params


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
        ("", 10, None),  # empty counts as absent: no note
        ("  ", 10, None),
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
        ("", "relu", None),
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
    got, note = params.read(params.INITS, "he_normal,bogus,he_normal,x")
    assert got == ("he_normal",) and note.action == "dropped" and note.raw == "bogus,x"
    assert params.read(params.INITS, "he_normal,he_normal") == (("he_normal",), None)
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
    assert note.action == "ignored" and len(note.raw) == params.NOTE_RAW_LENGTH


def test_a_long_hide_list_is_read_name_by_name():
    """No overall length cap: every control named once, plus bad names, keeps the good ones."""
    names = [p.name for p in params.NAMED]
    raw = ",".join(names + ["__proto__", "x" * 300])
    assert len(raw) > 10 * params.MAX_RAW_LENGTH
    got, note = params.read(params.HIDE, raw)
    assert got == tuple(names)
    assert note.action == "dropped" and note.raw.startswith("__proto__,xxx")
    assert params.read(params.HIDE, ",".join(names)) == (tuple(names), None)


def test_a_list_is_read_up_to_its_item_cap():
    raw = ",".join(["depth"] * (3 * params.MAX_LIST_ITEMS) + ["lr"])
    got, note = params.read(params.HIDE, raw)
    assert got == ("depth",) and note.action == "clamped"  # "lr" lies past the cap


@pytest.mark.parametrize("param", [params.HIDE, params.DEPTH, params.LESSON, params.BN_GRID])
def test_an_empty_value_is_no_note(param):
    assert params.read(param, "") == (param.default, None)


@pytest.mark.parametrize(
    "param,raw,current,value,action",
    [
        (params.DEPTH, "20", 7, 20, None),
        (params.DEPTH, 20, 7, 20, None),  # a JSON number
        (params.DEPTH, 20.0, 7, 20, None),
        (params.DEPTH, "500", 7, 100, "clamped"),
        (params.DEPTH, "abc", 7, 7, "kept"),  # invalid: the current value stays, not the default
        (params.DEPTH, [1, 2], 7, 7, "wrong_type"),
        (params.DEPTH, {"a": 1}, 7, 7, "wrong_type"),
        (params.DEPTH, None, 7, 7, "wrong_type"),
        (params.DEPTH, True, 7, 7, "wrong_type"),
        (params.DEPTH, "", 7, 7, None),
        (params.LR, 0.3, 0.01, 0.3, None),
        (params.BN_GRID, True, False, True, None),
        (params.BN_GRID, 1, False, True, None),
        (params.ACTIVATION, 3, "tanh", "tanh", "wrong_type"),
        (params.ACTIVATION, "softmax", "tanh", "tanh", "kept"),
        (
            params.INITS,
            ["he_normal", "lecun_normal"],
            ("he_normal",),
            ("he_normal", "lecun_normal"),
            None,
        ),
        (params.INITS, ["he_normal", 3], ("he_normal",), ("he_normal",), "wrong_type"),
        (params.HIDE, "", ("depth",), (), None),  # "hide": "" hides nothing
        (params.HIDE, "depth,nope", (), ("depth",), "dropped"),
    ],
)
def test_a_loaded_value_keeps_the_current_one_when_unusable(param, raw, current, value, action):
    got, note = params.read_loaded(param, raw, current)
    assert got == value and type(got) is type(value)
    assert (note.action if note else None) == action
    if action in ("kept", "wrong_type"):
        assert note.used == current


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


def _every_param():
    return [*params.NAMED, params.HIDE]


def test_a_slider_opens_on_one_of_its_steps():
    for p in [p for p in _every_param() if p.step is not None]:
        assert p.kind == "float" and 0 < p.step < p.hi - p.lo
        ticks = (p.default - p.lo) / p.step
        assert abs(ticks - round(ticks)) < 1e-9, p.name


def test_the_steps_offered_lie_in_range_in_order_and_hold_the_default():
    stepped = [p for p in _every_param() if p.steps]
    assert {p.name for p in stepped} >= {"lr", "batch_size", "v1_lr", "v4_lr"}
    for p in stepped:
        assert list(p.steps) == sorted(set(p.steps)), p.name
        assert p.lo == p.steps[0] and p.steps[-1] == p.hi, p.name
        assert p.default in p.steps, p.name
        assert all(params.read(p, repr(s)) == (s, None) for s in p.steps), p.name
