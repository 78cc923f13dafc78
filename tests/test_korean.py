"""Korean particles agree with the word before them, numbers and units included."""

import re

import pytest
from apptest_helpers import answer_questions, open_page, shared_page, texts
from test_claims import links

from ui.i18n import Text
from ui.korean import attach, final_sound


@pytest.mark.parametrize(
    "number,ro,ga",
    [
        ("0.1", "로", "이"),  # 일
        ("0.2", "로", "가"),  # 이
        ("0.3", "으로", "이"),  # 삼
        ("4", "로", "가"),  # 사
        ("5", "로", "가"),  # 오
        ("0.06", "으로", "이"),  # 육
        ("7", "로", "이"),  # 칠
        ("8", "로", "이"),  # 팔
        ("9", "로", "가"),  # 구
        ("1.0", "으로", "이"),  # 영 after a decimal point
        ("10", "으로", "이"),  # 십
        ("100", "으로", "이"),  # 백
        ("1,000", "으로", "이"),  # 천
        ("92.5 %", "로", "가"),  # 퍼센트
        ("3.7×10⁷", "으로", "이"),  # ...승
        ("30층", "으로", "이"),
        ("16배", "로", "가"),
    ],
)
def test_particles_after_numbers_follow_their_reading(number, ro, ga):
    assert attach(f"{number}(으)로") == f"{number}{ro}"
    assert attach(f"{number}(이)가") == f"{number}{ga}"


def test_particles_after_words():
    assert attach("글로럿(과)와 He(은)는") == "글로럿과 He는"
    assert attach("시그모이드(을)를") == "시그모이드를"
    assert attach("N(0, 1)(으)로") == "N(0, 1)으로"  # the word before the parenthesis
    assert final_sound("ReLU") == "vowel" and final_sound("tanh") == "vowel"
    assert attach("**N(0, 1) (시드 0)**(은)는") == "**N(0, 1) (시드 0)**은"  # N: 엔
    assert attach("`kernel_initializer`(은)는") == "`kernel_initializer`는"


def test_korean_text_fills_particles_and_english_is_untouched():
    assert Text("ko")("budget_offer", epochs=16) and "(으)로" not in Text("ko")(
        "budget_offer", epochs=16
    )
    assert attach("no markers (here)") == "no markers (here)"


#: A digit, %, or superscript followed by a space and a lone particle: "57.1 % 가", "0.43 로".
LOOSE_PARTICLE = re.compile(
    r"[0-9%⁰¹²³⁴⁵⁶⁷⁸⁹] (이|가|을|를|은|는|으로|로|과|와|에 비해)(?=[\s.,)])"
)
#: Internal ids and English words that must not reach a Korean page.
INTERNAL = re.compile(r"\b(v[1-4]|seed|after|before|keras momentum|torch momentum|Training)\b")


@pytest.mark.parametrize(
    "page,query", links(), ids=[f"{p}-{q.get('lesson', 'default')}" for p, q in links()]
)
def test_korean_pages_have_no_loose_particles_or_internal_names(page, query):
    # a page's defaults: the run test_app.test_korean_mode reads
    at = open_page(page, lang="ko", **query) if query else shared_page(page, lang="ko")
    assert not at.exception
    if "lesson" in query:  # the questions, then the answers and the results
        questions = texts(at)
        assert not LOOSE_PARTICLE.findall(questions) and "(은)는" not in questions
        at = answer_questions(at, pick=lambda ids: ids[-1])
        assert not at.exception
    body = texts(at)
    assert not LOOSE_PARTICLE.findall(body), LOOSE_PARTICLE.findall(body)
    assert "(으)로" not in body and "(이)가" not in body
    # code spans (Keras argument names) and link targets (URLs) may be English
    prose = re.sub(r"`[^`]*`|\]\([^)]*\)", "", body)
    assert not INTERNAL.findall(prose), INTERNAL.findall(prose)


def test_a_change_of_language_sends_the_chosen_options_again_in_the_new_labels():
    """The browser holds a select box's or a multiselect's choice as its label: after a switch
    to Korean, the page sends the choices again, labelled in Korean (else the browser would
    show, and send back, the English labels); the next run sends nothing again."""
    ko = Text("ko")
    at = open_page("batch-normalization", depth="2", width="8", epochs="1").run()
    assert not at.multiselect(key="bns").proto.set_value  # a rerun sends no value again
    at.radio(key="lang").set_value("ko").run()
    variants, data_set = at.multiselect(key="bns"), at.selectbox(key="dataset")
    assert variants.proto.set_value and data_set.proto.set_value
    assert list(variants.proto.raw_values) == [ko(f"bn_v_{p}") for p in variants.value]
    assert data_set.proto.raw_value == ko("ds_digits")
    at.run()
    assert not at.multiselect(key="bns").proto.set_value
    assert not at.selectbox(key="dataset").proto.set_value


def test_a_page_that_stops_early_still_relabels_its_choices_on_the_next_change():
    """A run that stops before the page's end (every variant removed) has drawn the sidebar in
    the new language: switching back resends the choices in the old one again."""
    en, ko = Text("en"), Text("ko")
    at = open_page("initialization", depth="2", width="8", epochs="1")
    at.multiselect(key="inits").set_value([]).run()
    assert at.info and not at.exception  # "every variant removed": the page stopped
    for lang, text in (("ko", ko), ("en", en)):
        at.radio(key="lang").set_value(lang).run()
        data_set = at.selectbox(key="dataset")
        assert data_set.proto.set_value and data_set.proto.raw_value == text("ds_digits")
