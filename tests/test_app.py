"""The app under AppTest: every page loads, speaks Korean, survives bad links, keeps a budget."""

import pytest
from apptest_helpers import (
    HANGUL,
    PAGES,
    answer_questions,
    lesson_questions,
    open_page,
    shared_page,
    texts,
)

from ui.runs import budget
from ui.text.i18n import Text


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_loads_and_makes_its_point(page):
    at = shared_page(page)  # test_claims checks the claims on the same run
    assert not at.exception, [e.value for e in at.exception]
    body = texts(at)
    assert "What to notice" in body
    assert "‖∂L/∂z₁‖ / ‖∂L/∂z" in body  # the computed read-out, not canned text


@pytest.mark.parametrize("page", list(PAGES))
def test_korean_mode(page):
    at = shared_page(page, lang="ko")  # test_korean reads its particles
    assert not at.exception
    # the overview's title is the app's name; its first sentence is Korean
    heading = at.markdown[0].value if page == "overview" else at.title[0].value
    assert heading and HANGUL.search(heading)
    assert "눈여겨볼 점" in texts(at)
    assert at.sidebar.radio[0].value == "ko"


def test_shared_settings_come_from_the_url_and_survive_page_switches():
    at = open_page("overview", depth="6", width="32", dataset="moons", epochs="1")
    assert at.sidebar.slider(key="depth").value == 6
    at.switch_page(PAGES["initialization"]).run()
    assert not at.exception
    assert at.sidebar.slider(key="depth").value == 6
    assert at.sidebar.slider(key="epochs").value == 1  # the page trains one epoch
    assert at.sidebar.selectbox(key="dataset").value == "moons"
    assert "‖∂L/∂z₁‖ / ‖∂L/∂z₆‖ = " in texts(at)
    assert "6-layer" in texts(at) or at.sidebar.slider(key="width").value == 32


def test_hostile_link_is_clamped_and_reported():
    # narrow layers: the overview measures five networks of the clamped depth (100 layers)
    at = open_page("overview", depth="500", width="8", lr="banana", lang="<b>x</b>", bogus="1")
    assert not at.exception
    assert at.sidebar.slider(key="depth").value == 100
    assert at.session_state["lr"] == 0.01  # kept in the link; the overview trains nothing
    warning = " ".join(w.value for w in at.warning)
    assert "depth=500" in warning and "lr=banana" in warning and "**100**" in warning
    assert "bogus" not in at.query_params


def test_link_value_between_slider_steps_is_kept_exactly():
    at = open_page("initialization", lr="0.05", batch_size="48", depth="2", width="8", epochs="1")
    assert at.sidebar.select_slider(key="lr").value == 0.05
    assert at.sidebar.select_slider(key="batch_size").value == 48
    assert not at.warning


def test_the_work_budget_refuses_an_oversized_request(monkeypatch):
    monkeypatch.setattr(budget, "MAX_SECONDS", 0.5)  # the offered run stays short
    at = open_page("initialization", depth="4", width="64", epochs="200")
    assert not at.exception
    assert any("of computing" in w.value for w in at.warning)
    offer = [b for b in at.button if "most allowed" in b.label]
    assert offer
    offer[0].click().run()
    assert 1 <= at.sidebar.slider(key="epochs").value < 200
    assert not any("of computing" in w.value for w in at.warning)


def test_the_work_budget_says_when_not_even_one_epoch_fits():
    at = open_page("initialization", depth="100", width="512")
    assert not at.exception
    assert any("of computing" in w.value for w in at.warning)
    assert any("Even one epoch" in i.value for i in at.info)


def test_initialization_page_variants_and_preset():
    at = open_page(
        "initialization",
        inits="he_normal,lecun_uniform",
        activation="tanh",
        depth="4",
        width="16",
        epochs="1",  # the preset's 30 layers train one epoch (it leaves the epochs alone)
    )
    assert not at.exception
    assert at.multiselect(key="inits").value == ["he_normal", "lecun_uniform"]
    body = texts(at)
    assert "He normal" in body and "LeCun uniform" in body
    assert "no closed-form prediction" in body  # tanh has no exact theory line
    # the table, for 16-unit hidden layers: He's variance 2 / 16 and uniform limit √(6 / 16);
    # Glorot's for the first layer (64 digit pixels → 16 units), 2 / (64 + 16) and √(6 / 80)
    assert (
        "| **He** | ReLU and its variants | 2 / fan_in | √(6 / fan_in) | 0.125 / 0.6124 |" in body
    )
    assert "| 0.025 / 0.2739 |" in body
    next(b for b in at.button if "He et al." in b.label).click().run()
    assert at.sidebar.slider(key="depth").value == 30
    assert at.multiselect(key="inits").value == ["glorot_normal", "he_normal"]


def test_activations_page_dying_relu_preset():
    at = open_page("activations", depth="4", width="32", epochs="2")
    next(b for b in at.button if "kill ReLUs" in b.label).click().run()
    assert not at.exception
    assert at.multiselect(key="acts").value == ["relu", "leaky_relu", "elu"]
    assert "never active on the probe batch after epoch 2" in texts(at)


def test_activations_page_selu_check():
    at = open_page("activations", width="16", epochs="1", acts="relu", selu="1")
    assert not at.exception
    titles = " ".join(str(e.value) for e in at.subheader)
    assert "self-normalization" in titles
    assert at.toggle(key="selu").value is True


def test_batchnorm_page_toggles_and_folding():
    at = open_page(
        "batch-normalization", depth="3", width="8", epochs="1", grid="1", sweep="1", fold="1"
    )
    assert not at.exception
    body = texts(at)
    assert "final validation accuracy" in body and "learning rate" in body
    assert "with batch statistics the validation accuracy" in body
    # the folding table: one row per variant, named in bold in its first column
    assert "| **BN before the activation** |" in body
    assert "Every variant compared here uses BN" not in body  # no BN is compared
    at.multiselect(key="bns").set_value(["before", "after"]).run()
    assert "Every variant compared here uses BN: add “no BN”" in texts(at)


def test_diverging_setting_is_flagged_and_drawn():
    at = shared_page("gradient-clipping")
    assert not at.exception
    assert any("diverged in epoch" in e.value for e in at.error)
    assert "clipped in" in texts(at)


def test_url_holds_non_default_values_only():
    at = open_page("initialization", depth="7", inits="he_normal")
    assert at.query_params["depth"] == ["7"] or at.query_params["depth"] == "7"
    assert "width" not in at.query_params


def test_lab_runs_its_variants_and_draws_boundaries_on_2d_data():
    at = open_page(
        "lab",
        dataset="moons",
        variants="3",
        v3_batchnorm="after",
        v3_optimizer="adam",
        v3_lr="0.001",
        depth="3",
        width="8",
        epochs="2",
    )
    assert not at.exception
    body = texts(at)
    assert "Decision boundaries" in body and body.count("validation accuracy") == 3
    assert at.selectbox(key="v3_batchnorm").value == "after"


def test_lab_configuration_round_trips_through_json():
    at = open_page(
        "lab",
        variants="4",
        v4_clip="value",
        v4_clip_threshold="0.5",
        depth="3",
        width="8",
        epochs="1",
    )
    assert not at.exception
    from ui.page import params

    config = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    fields = params.SHARED + [p for f in params.LAB for p in f.values()] + [params.VARIANTS]
    values, notes = params.read_all(fields, config)
    assert not notes
    assert (
        values["variants"] == 4
        and values["v4_clip"] == "value"
        and values["v4_clip_threshold"] == 0.5
    )


def lesson_link(name: str, **extra: str) -> tuple[str, dict]:
    """A lesson's page and query, made small and quick with ``extra``."""
    from urllib.parse import parse_qsl, urlsplit

    from ui.story.lessons import BY_NAME

    link = urlsplit(BY_NAME[name].link())
    return link.path.strip("/"), dict(parse_qsl(link.query)) | extra


QUICK = {"epochs": "1", "width": "16"}


# Every lesson link, as published, loads, asks, and states what to notice once answered:
# test_claims.test_every_claim_stated_holds (with the claims and answers it checks there).


def test_a_lesson_holds_its_results_back_until_answered_and_can_ask_again():
    page, query = lesson_link("symmetry", **QUICK)
    at = open_page(page, **query)
    assert not at.exception
    assert len(lesson_questions(at)) == 2
    body = texts(at)
    assert "What to notice" not in body and "Every unit stays a copy" not in body
    assert not at.get("vega_lite_chart")  # no chart of the run yet
    banner = " ".join(i.value for i in at.info)
    assert "questions" in banner and "Count the distinct units" not in banner  # no spoiler
    at = answer_questions(at, pick=lambda ids: None)  # "show the results" without answering
    body = texts(at)
    assert "What to notice" in body and "Every unit stays a copy" in body
    assert body.count("Not answered; this run shows") == 2
    assert "Count the distinct units" in " ".join(i.value for i in at.info)
    assert at.get("vega_lite_chart")
    at.button(key="_q_again").click().run()
    assert len(lesson_questions(at)) == 2 and "What to notice" not in texts(at)


@pytest.mark.parametrize(
    "lesson,title,toggle",
    [
        ("selu100", "ac_selu_title", "selu"),
        ("clipping", "cl_sweep_title", "clip_sweep"),
        ("bn_placement", "bn_cost_title", "fold"),
    ],
)
def test_sections_run_on_request_wait_below_the_questions_too(lesson, title, toggle):
    """While a lesson's questions wait, the page draws nothing below them: not the title, text
    and toggle of a section that runs on request (SELU's 100 layers, the clipping sweep, BN's
    folding), whose
    setting the link keeps for when the questions are answered."""
    page, query = lesson_link(lesson, **QUICK)
    at = open_page(page, **query)
    heading = Text("en")(title)
    assert not at.exception and lesson_questions(at)
    assert heading not in [h.value for h in at.subheader]
    assert not [t for t in at.toggle if t.key == toggle]
    at = answer_questions(at, pick=lambda ids: None)
    assert not at.exception
    assert heading in [h.value for h in at.subheader]
    assert [t.value for t in at.toggle if t.key == toggle] == [True]  # the link's 1 kept


def test_a_wrong_answer_is_told_and_the_right_one_shown():
    page, query = lesson_link("symmetry", **QUICK)
    at = answer_questions(open_page(page, **query), pick=lambda ids: ids[-1])
    body = texts(at)
    assert "You chose **all 16: every unit is different**" in body
    assert "this run shows **1: all units are still identical**" in body


def test_ask_off_shows_the_lesson_page_as_before():
    page, query = lesson_link("symmetry", ask="0", **QUICK)
    at = open_page(page, **query)
    assert not at.exception
    assert not lesson_questions(at)
    assert "What to notice" in texts(at) and "checked against this run" not in texts(at)
    banner = " ".join(i.value for i in at.info)
    assert banner.startswith("**Lesson: Why not start from zero? Symmetry** — All-zero weights")
    assert "ask" not in at.query_params or at.query_params["ask"] in ("0", ["0"])


def test_questions_are_asked_on_the_lessons_page_only():
    at = open_page("activations", lesson="symmetry", depth="3", **QUICK)
    assert not at.exception
    assert not lesson_questions(at) and "What to notice" in texts(at)


def test_hide_removes_controls_but_keeps_their_values():
    at = open_page("overview", depth="4", hide="depth,lr")
    assert not at.exception
    assert not [w for w in at.sidebar.slider if w.key == "depth"]
    assert not [w for w in at.sidebar.select_slider if w.key == "lr"]
    assert "4-layer" in texts(at)


def test_a_data_set_not_downloaded_here_is_noted_and_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path))  # an empty cache
    at = open_page("overview", dataset="fashion_mnist")
    assert not at.exception
    assert at.sidebar.selectbox(key="dataset").value == "digits"
    assert not any("fashion" in o for o in at.sidebar.selectbox(key="dataset").options)
    warning = " ".join(w.value for w in at.warning)
    assert "dataset=fashion_mnist" in warning and "python -m core.fashion_mnist" in warning


def test_a_downloaded_fashion_mnist_is_offered_and_trains(monkeypatch, tmp_path):
    from test_fashion_mnist import write_look_alikes

    from core import fashion_mnist

    cache = tmp_path / "fashion-mnist"
    cache.mkdir()
    files, _ = write_look_alikes(cache, 60, 20)
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path))
    monkeypatch.setattr(fashion_mnist, "FILES", files)
    at = open_page("overview", dataset="fashion_mnist", depth="3", width="16")
    assert not at.exception
    assert any("fashion" in o for o in at.sidebar.selectbox(key="dataset").options)
    assert at.sidebar.selectbox(key="dataset").value == "fashion_mnist"
    assert not at.warning
    assert "‖∂L/∂z₁‖ / ‖∂L/∂z" in texts(at)


def test_a_lab_variant_shows_its_clipping_threshold_only_when_it_clips():
    """The threshold changes nothing without clipping: not drawn then, yet kept in the link for
    when the variant clips."""
    at = open_page("lab", v1_clip_threshold="5", **QUICK)
    assert not at.exception
    assert not [n for n in at.number_input if n.key.endswith("clip_threshold")]
    assert float(at.query_params["v1_clip_threshold"]) == 5.0
    at = open_page("lab", v1_clip="global_norm", v1_clip_threshold="5", **QUICK)
    assert [(n.key, n.value) for n in at.number_input if n.key.endswith("clip_threshold")] == [
        ("v1_clip_threshold", 5.0)
    ]
