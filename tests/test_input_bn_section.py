"""The batch-normalization page's study of a BN layer on raw inputs (``bn_inputs=1``): absent
until asked for, then drawn in English and Korean with its chart, read-out and claims, every
claim holding over the runs shown (the claims on seeds 0, 1 and 2 are checked without a page
in tests/test_lesson_claims.py)."""

import pytest
from apptest_helpers import HANGUL, open_page, shared_page, texts

from ui.page.quiz import STATED
from ui.text.i18n import Text

CLAIMS = {"raw_inputs_fail", "standardizing_fixes", "input_bn_fixes"}


def charts(at) -> list[dict]:
    """The Vega-Lite specs drawn on the page."""
    import json

    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def titled(at, title: str) -> list[dict]:
    """The charts on the page whose title is ``title``."""

    def title_of(spec):
        t = spec.get("title")
        return t.get("text") if isinstance(t, dict) else t

    return [spec for spec in charts(at) if title_of(spec) == title]


def test_the_study_is_absent_by_default():
    at = shared_page("batch-normalization")
    assert not at.exception
    assert at.toggle(key="bn_inputs").value is False
    assert Text("en")("ibn_title") not in texts(at)
    assert not CLAIMS & {name for name, _ in at.session_state[STATED]}
    assert not titled(at, Text("en")("ibn_chart_title"))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_study_is_drawn_on_request_and_its_claims_hold(lang):
    tr = Text(lang)
    at = open_page("batch-normalization", bn_inputs="1", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.toggle(key="bn_inputs").value is True
    assert tr("ibn_title") in [str(e.value) for e in at.subheader]
    stated = dict(at.session_state[STATED])
    assert {name: stated.get(name) for name in CLAIMS} == dict.fromkeys(CLAIMS, True)
    body = texts(at)
    for name in CLAIMS:
        said = tr(f"claim_{name}").split("**")[1]  # the claim's bold opening
        assert said in body, name
    # the read-out: one line per arm, each labelled as the page labels it
    for arm in ("raw", "standardized", "input_bn"):
        assert f"**{tr(f'ibn_v_{arm}')}**" in body
    assert "Ioffe & Szegedy" in body and ("Géron" if lang == "en" else "제롱") in body
    assert tr("ibn_convention", momentum="0.99", eps="1×10⁻³", far="9", epochs=30, steps=450,
              left="1.1 %") in body  # fmt: skip
    (spec,) = titled(at, tr("ibn_chart_title"))
    arms = [tr(f"ibn_v_{a}") for a in ("raw", "standardized", "input_bn")]
    assert spec["layer"][2]["encoding"]["color"]["scale"]["domain"] == arms
    rule = spec["layer"][1]["data"]["values"][0]
    assert rule["label"] == tr("ibn_baseline", share="62.8 %")
    if lang == "ko":
        assert HANGUL.search(tr("ibn_chart_title")) and "원본 입력" in body
        assert spec["layer"][2]["encoding"]["y"]["title"] == "검증 정확도"
