"""The Lab's configuration upload: what it refuses, what it takes, and that a failure changes
nothing (the reader in ui/page/config_file.py, then the page under AppTest)."""

import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from apptest_helpers import PAGES, markdown_sources, open_page
from test_hostile_links import PAYLOADS, assert_no_markup

from ui.page import config_file

SMALL = {"depth": "3", "width": "8", "epochs": "1", "lr": "0.1", "batch_size": "64"}


def test_a_configuration_is_parsed():
    data = json.dumps({"depth": "3", "hide": "", "v1_lr": 0.1}).encode()
    assert config_file.parse(data) == {"depth": "3", "hide": "", "v1_lr": 0.1}
    assert config_file.parse(b"\xef\xbb\xbf" + data)["depth"] == "3"  # a byte-order mark


@pytest.mark.parametrize(
    "data,reason",
    REFUSED := [
        (b"[" * 100_000, "upload_too_large"),  # the review's case: caught by its size alone
        (b"{" + b" " * config_file.MAX_BYTES + b"}", "upload_too_large"),
        (b"[" * 5000 + b"]" * 5000, "upload_too_deep"),  # RecursionError in json.loads
        (b'{"a": ' + b"[" * 9 + b"]" * 9 + b"}", "upload_too_deep"),
        (b"\xff\xfe{}", "upload_not_text"),
        (b'{"depth": 3', "upload_not_json"),
        (b'{"depth": ' + b"9" * 5000 + b"}", "upload_not_json"),  # over Python's int digit limit
        (b"", "upload_not_json"),
        (b'["depth", 3]', "upload_not_object"),
        (b'"depth"', "upload_not_object"),
    ],
    ids=[f"{reason}-{len(data)}" for data, reason in REFUSED],
)
def test_a_file_that_is_no_configuration_is_refused_with_its_reason(data, reason):
    with pytest.raises(config_file.Unreadable) as error:
        config_file.parse(data)
    assert error.value.reason == reason


def test_nesting_is_counted_outside_strings_only():
    assert config_file.nesting_depth('{"a": [1, "]][[{{", {"b": []}]}') == 4
    assert config_file.nesting_depth('{"a": "\\"[[[["}') == 1  # an escaped quote stays inside
    assert config_file.nesting_depth("[[]] [[[]]] {}") == 3  # siblings do not add up
    assert config_file.nesting_depth("no brackets") == 0
    inner = "[" * (config_file.MAX_DEPTH - 1) + "]" * (config_file.MAX_DEPTH - 1)
    assert config_file.parse(f'{{"a": {inner}}}'.encode()) == {
        "a": json.loads(inner)
    }  # at the limit


def settings(at) -> dict:
    """The experiment: the URL (every setting not at its default) and the Lab's controls."""
    return dict(at.query_params) | {w.key: w.value for w in [*at.selectbox, *at.select_slider]}


def upload(at, content: bytes, name: str = "config.json"):
    if not at.session_state["lab_files"]:  # the uploader is drawn once its expander is open
        at.session_state["lab_files"] = True
        at.run()
    at.file_uploader(key="_lab_upload").set_value((name, content, "application/json"))
    return at.run()


BAD_FILES = {
    "too_large": b"[" * 100_000,
    "too_deep": b"[" * 5000 + b"]" * 5000,
    "binary": bytes(range(256)),
    "not_json": b"depth=3&width=8",
    "not_object": b"[1, 2, 3]",
}


def test_a_failed_upload_says_why_and_changes_nothing():
    at = open_page("lab", **SMALL, v1_activation="tanh")
    before = settings(at)
    for name, content in BAD_FILES.items():
        upload(at, content)
        assert not at.exception, (name, [e.value for e in at.exception])
        error = " ".join(e.value for e in at.error)
        assert "not loaded" in error and "64 kB" in error and "nothing was changed" in error
        assert settings(at) == before, name
    at.switch_page(PAGES["overview"]).run()  # the review saw depth 1, width 2, lr 1e-5 here
    assert not at.exception
    # the overview shows depth and width; the training settings it does not use stay in the link
    assert {k: at.session_state[k] for k in ("depth", "width")} == {"depth": 3, "width": 8}
    assert dict(at.query_params) == SMALL


def test_a_saved_configuration_loads_back_without_notes():
    """The settings of the link to share (defaults and empty values left out), saved as a
    configuration file, restore a fresh session exactly."""
    at = open_page("lab", **SMALL, variants="3", v3_activation="elu", v2_clip="value")
    link = at.sidebar.code[0].value
    saved = dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))
    assert "hide" not in saved and saved["v3_activation"] == "elu"
    fresh = open_page("lab", depth="2", width="8", epochs="1")
    upload(fresh, json.dumps(saved).encode())
    assert not fresh.exception and not fresh.warning and not fresh.error
    assert [s.value for s in fresh.success] == ["Configuration loaded."]
    assert fresh.sidebar.code[0].value.split("?")[1] == link.split("?")[1]


def test_four_variants_load_into_a_two_variant_session():
    at = open_page("lab", **SMALL)
    assert at.session_state["variants"] == 2
    config = {
        "variants": 4,
        "v3_activation": "elu",
        "v3_lr": 0.3,
        "v4_init": "lecun_normal",
        "v4_clip": "global_norm",
        "v4_clip_threshold": "2.5",
    }
    upload(at, json.dumps(config).encode())
    assert not at.exception and not at.warning
    assert at.slider(key="variants").value == 4
    assert at.selectbox(key="v3_activation").value == "elu"
    assert at.select_slider(key="v3_lr").value == 0.3
    assert at.selectbox(key="v4_init").value == "lecun_normal"
    assert at.selectbox(key="v4_clip").value == "global_norm"
    assert at.number_input(key="v4_clip_threshold").value == 2.5


def test_a_field_of_the_wrong_type_keeps_its_value_and_the_rest_is_loaded():
    at = open_page("lab", **SMALL, v1_activation="tanh")
    config = {
        "depth": [5],  # wrong type
        "width": "16",
        "v1_activation": "softmax",  # not a valid value
        "v1_lr": "1e9",  # out of range
        "v2_init": "glorot_normal",
        "bogus": 1,  # not a setting
    }
    upload(at, json.dumps(config).encode())
    assert not at.exception
    assert at.session_state["depth"] == 3 and at.session_state["v1_activation"] == "tanh"
    assert at.session_state["width"] == 16 and at.session_state["v2_init"] == "glorot_normal"
    assert at.session_state["v1_lr"] == 10.0
    note = " ".join(w.value for w in at.warning if "Configuration loaded" in w.value)
    assert re.search(r"`depth=\[5\]` has the wrong type.*current \*\*3\*\*", note), note
    assert "`v1_activation=softmax` is not a valid value, so the current **tanh**" in note
    assert "`v1_lr=1e9` is out of range, so **10.0**" in note
    assert "`bogus` is not a setting" in note
    assert "width" not in note and "v2_init" not in note


def test_an_upload_shows_its_names_and_values_as_literal_text():
    at = open_page("lab", **SMALL)
    config = {payload: payload for payload in PAYLOADS.values()}
    config |= {"depth": PAYLOADS["phishing"], "v1_activation": PAYLOADS["pixel"]}
    config["v2_lr"] = PAYLOADS["escape"]
    upload(at, json.dumps(config).encode())
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    assert "Configuration loaded, except" in note and "`v2_lr=" in note
    for source in markdown_sources(at):
        assert_no_markup(source)
    assert at.session_state["depth"] == 3
