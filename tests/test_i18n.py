import re
import string

import pytest

from ui.text.i18n import Text
from ui.text.locales import en, ko

HANGUL = re.compile("[\uac00-\ud7a3]")


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys():
    assert set(en.TEXT) == set(ko.TEXT)


def test_same_placeholders_in_both_languages():
    differ = [k for k in en.TEXT if placeholders(en.TEXT[k]) != placeholders(ko.TEXT[k])]
    assert not differ, differ


def test_korean_text_is_korean():
    korean = [k for k, v in ko.TEXT.items() if HANGUL.search(v)]
    assert len(korean) > 0.8 * len(ko.TEXT)
    for key in ("page_overview", "ov_tagline", "page_lessons", "notice"):
        assert HANGUL.search(ko.TEXT[key])


#: Korean entries that are rightly without Hangul: names, formulas, symbols.
LATIN_ALLOWED = {
    "ax_relative",
    "q_turn_value",
    "opt_sgd",
    "dss_xor",
    "opt_adam",
    "ax_grad_norm",
    "ax_log_grad",
    "ax_backprop_norm",
    "ax_update_ratio",
    "ov_function",
    "ov_derivative",
    "ov_v_relu_he",
    "ov_v_relu_normal",
    "in_s_he",
    "in_acts_lecun",
    "cl_gx",
    "cl_gy",
    "label_verdict",
    "act_tanh",
    "act_relu",
    "act_leaky_relu",
    "act_elu",
    "act_selu",
    "act_gelu",
    "act_swish",
}


def test_korean_entries_are_korean_except_names_and_formulas():
    latin_only = {k for k, v in ko.TEXT.items() if not HANGUL.search(v)}
    assert latin_only <= LATIN_ALLOWED, latin_only - LATIN_ALLOWED


def unclosed_bold(text: str) -> list[str]:
    """The places where ``text`` closes **bold** where CommonMark cannot: after punctuation (a
    parenthesis, a placeholder's brace) the closing ** must be followed by a space or
    punctuation, not a letter such as a Korean particle, or the asterisks show as they are."""
    closing = [m.start() for m in re.finditer(r"\*\*", text)][1::2]
    return [
        text[i - 20 : i + 6]
        for i in closing
        if not text[i - 1].isalnum()
        and (text[i + 2 : i + 3].isalnum() or text[i + 2 : i + 3] == "(")
    ]


def test_bold_closes_where_markdown_can_close_it():
    wrong = {
        (lang, key): unclosed_bold(text)
        for lang, catalogue in (("en", en), ("ko", ko))
        for key, text in catalogue.TEXT.items()
        if unclosed_bold(text)
    }
    assert not wrong, wrong


def test_glossary_terms_are_used():
    text = " ".join(ko.TEXT.values())
    for term in (
        "그래디언트 소실",
        "그래디언트 폭주",
        "배치 정규화",
        "그래디언트 클리핑",
        "역전파",
        "임곗값",
        "글로럿",
    ):
        assert term in text


def test_fan_avg_is_written_with_the_halving():
    assert "(fan_in + fan_out) / 2" in en.TEXT["in_fan_avg"]
    assert "(fan_in + fan_out) / 2" in ko.TEXT["in_fan_avg"]


def test_lookup_formats_and_falls_back():
    assert Text("ko")("ro_diverged", epoch=3) == "에포크 3에서 발산"
    assert Text("xx").lang == "en"
    with pytest.raises(KeyError):
        Text("en")("no_such_key")
