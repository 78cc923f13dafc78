"""Korean particles agree with the word before them, numbers and units included."""

import json
import re

import pytest
import vega_lite
from apptest_helpers import answer_questions, open_page, shared_page, texts
from test_claims import link_id, links

from ui.text.i18n import Text
from ui.text.korean import attach, final_sound

#: A number, its particles for (으)로 and (이)가, as its last sound reads.
AFTER_NUMBERS = [
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
    ("92.5 %", "로", "가"),  # 퍼센트
    ("3.7×10⁷", "으로", "이"),  # ...승
    ("30층", "으로", "이"),
    ("16배", "로", "가"),
]


def test_particles_after_numbers_follow_their_reading():
    wrong = [
        (number, attach(f"{number}(으)로"), attach(f"{number}(이)가"))
        for number, ro, ga in AFTER_NUMBERS
        if (attach(f"{number}(으)로"), attach(f"{number}(이)가")) != (number + ro, number + ga)
    ]
    assert not wrong, wrong


def test_particles_after_words():
    assert attach("글로럿(과)와 He(은)는") == "글로럿과 He는"
    assert attach("시그모이드(을)를") == "시그모이드를"
    assert attach("N(0, 1)(으)로") == "N(0, 1)으로"  # the word before the parenthesis
    assert final_sound("ReLU") == "vowel" and final_sound("tanh") == "vowel"
    assert attach("**N(0, 1) (시드 0)**(은)는") == "**N(0, 1) (시드 0)**은"  # N: 엔
    assert attach("`kernel_initializer`(은)는") == "`kernel_initializer`는"


#: A particle written with both its forms, as the catalogue marks them: ``(과)와``, ``(와)과``...
PARTICLE_PAIR = re.compile(r"\((으|이|가|을|를|은|는|과|와)\)(로|이|가|을|를|은|는|과|와)")


def test_every_particle_pair_in_the_catalogue_is_one_attach_fills():
    from ui.text.korean import PARTICLES
    from ui.text.locales import ko

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | list | tuple):
            for item in value.values() if isinstance(value, dict) else value:
                yield from strings(item)

    unknown = {
        (key, m.group(0))
        for key, value in ko.TEXT.items()
        for text in strings(value)
        for m in PARTICLE_PAIR.finditer(text)
        if m.group(0) not in PARTICLES
    }
    assert not unknown, sorted(unknown)  # e.g. (와)과 would reach the page as written


def test_korean_citations_and_terms_are_written_one_way():
    """One citation style, "He 외(2015)" in a sentence and "(He 외, 2015)" in parentheses;
    names in running text as the glossary writes them (글로럿); BN placement as 전/후."""
    from ui.text.locales import ko

    text = "\n".join(v for v in ko.TEXT.values() if isinstance(v, str))
    cited = re.findall(r"(?:외|& [A-Z][a-z]+)[ ,(]*\d{4}", text)
    assert cited, "no citations found"
    odd = [c for c in cited if not re.fullmatch(r"(?:외|& [A-Z][a-z]+)(?:\(|, )\d{4}", c)]
    assert not odd, odd  # "He 외 2015", "He 외 (2015)", "Glorot & Bengio 2010"
    assert "Glorot과" not in text and "Bengio는" not in text
    placement = [k for k, v in ko.TEXT.items() if "배치 정규화" in str(v) and re.search(
        r"(?:함수|ReLU) (?:앞|뒤)", str(v))]  # fmt: skip
    assert not placement, placement


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


#: Every page at its defaults and every lesson link as published (the lessons' other seeds show
#: the same text with other numbers).
PUBLISHED = [(p, q) for p, q in links() if "seed" not in q]


def untitled_fields(spec) -> list[str]:
    """The fields of a Vega-Lite spec that a reader would see under their column name: on an
    axis, in a legend, a header or a tooltip, without a title of their own."""
    return [
        f"{channel}:{enc['field']}"
        for channel, enc in vega_lite.seen_fields(spec)
        if channel not in ("opacity", "text")
        and "title" not in enc
        and enc.get("legend", "") is not None  # a legend drawn, but named nowhere
    ]


@pytest.mark.parametrize("page,query", PUBLISHED, ids=[link_id(p, q) for p, q in PUBLISHED])
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
    # every chart field a reader sees is named in Korean, never by its column name
    charts = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    assert charts
    for spec in charts:
        assert not untitled_fields(spec), untitled_fields(spec)
        assert "'.0e'" not in json.dumps(spec) and '".0e"' not in json.dumps(spec)


def test_link_notes_name_the_values_they_used():
    """A note about a link's value names what the page shows (the data set, the initializers),
    not the internal id, and writes a number as the page does."""
    at = open_page(
        "initialization", lang="ko", depth="2", width="8", epochs="1",
        dataset="nope", inits="he_normal,nope", lr="0.000001",
    )  # fmt: skip
    notes = " ".join(w.value for w in at.warning)
    ko = Text("ko")
    assert f"**{ko('dss_digits')}**" in notes and f"**{ko('init_he_normal')}**" in notes
    assert "**1×10⁻⁵**" in notes and "1e-05" not in notes
    assert "**digits**" not in notes and "he_normal**" not in notes


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


def test_every_chart_names_its_fields_in_korean():
    """Every figure the pages draw, in Korean: no field a reader sees under its column name
    (the charts a page opens on are checked above; these include the ones in closed tabs)."""
    from test_claims import at_init, view_of

    from core import ModelConfig, TrainConfig, Variant
    from ui.story import figures, ideas

    init = view_of(
        [at_init("sigmoid", "random_normal", 3, 16), at_init("relu", "zeros", 3, 16)], "ko"
    )
    model = ModelConfig(hidden=(16,) * 3, activation="tanh", init="random_normal", init_std=2.0)
    trained = view_of(
        [
            Variant(m, model, TrainConfig(epochs=2, clip=m, clip_threshold=0.5))
            for m in ("none", "value", "global_norm")
        ],
        "ko",
    )
    bn = view_of(
        [Variant("bn", ModelConfig(hidden=(16,) * 3, batchnorm="before"), TrainConfig(epochs=1))],
        "ko",
    )
    tr = Text("ko")
    specs = [
        figures.layer_playback(trained),
        figures.grad_hist_playback(trained),
        figures.training_curves(trained),
        figures.step_norms(trained),
        figures.clip_per_epoch(trained, "share_clipped"),
        figures.clip_per_epoch(trained, "cosine_mean"),
        figures.threshold_sweep(trained, ()),
        figures.act_histograms(trained, 0),
        figures.share_heatmap(trained, "saturated", ("none",)),
        figures.signal_vs_theory(init),
        figures.distinct_units(init),
        figures.zeros_gradients(init, "relu_zeros"),
        figures.front_zoom(init),
        figures.bn_gap(bn),
        figures.accuracy_grid(bn),
        figures.lr_sweep(bn),
        ideas.moving_average_trace(50, 0, tr),
        ideas.activation_gallery((("elu", 1.0),), tr),
        ideas.sigmoid_and_slope(tr),
        ideas.drawn_weights((("he_normal", "He"),), 1.0, True, (8, 8), 0, tr),
        ideas.clipping_geometry((0.9, 100.0), 1.0, tr),
    ]
    for spec in specs:
        spec = spec if isinstance(spec, dict) else spec.to_dict()
        assert not untitled_fields(spec), untitled_fields(spec)
