"""Run the app under Streamlit's AppTest, on a page, with a query string."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from conftest import ROOT
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ui.page import shell
from ui.page.quiz import CHECK, QUESTION, STATED
from ui.runs import runner

# While a comparison trains, the page redraws its live charts every LIVE_EVERY seconds (or
# longer): each redraw builds two specs and sends them, which under AppTest nobody sees. Here
# the charts are drawn once the runs are done; tests/test_ui_pure.py and tests/test_live.py
# check the live charts themselves, tests/test_browser_runs.py that a browser sees them fill in.
runner.LIVE_EVERY = float("inf")

PAGES = {
    "overview": "app_pages/overview.py",
    "initialization": "app_pages/initialization.py",
    "activations": "app_pages/activations.py",
    "batch-normalization": "app_pages/batch_normalization.py",
    "gradient-clipping": "app_pages/gradient_clipping.py",
    "lab": "app_pages/lab.py",
}
HANGUL = re.compile("[\uac00-\ud7a3]")


def open_page(page: str = "overview", settings_open: bool = True, **query) -> AppTest:
    """The app after its first run on ``page`` with ``query`` in the URL (as a fresh visitor
    who has opened the shared settings, so that tests can reach their controls; with
    ``settings_open=False``, as they first appear: folded into their summary)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state[shell.SECTION] = settings_open
    for key, value in query.items():
        at.query_params[key] = value
    if page != "overview":
        # A visitor following a link to /initialization has the first run on that page.
        # AppTest.switch_page() can name a page only after a first run (it reads the pages
        # st.navigation registered), so the page is asked for by the hash st.Page gives it,
        # that of its url_path; the check below makes sure it was the page that ran.
        at._page_hash = calc_hash(page)
    at.run()
    assert at._finished_page_script_hash == calc_hash(page), f"AppTest did not open {page}"
    return at


_SHARED: dict[tuple, AppTest] = {}


def _read_only(*args, **kwargs):
    raise RuntimeError("a shared page run is read-only: open your own with open_page()")


def shared_page(page: str = "overview", **query) -> AppTest:
    """:func:`open_page`, run once per test session for each page and query and shared by the
    tests that only read what it shows (test_app, test_claims and test_korean open the same
    pages). A test that clicks, types or switches pages opens its own: rerunning a shared
    page raises."""
    key = (page, tuple(sorted(query.items())))
    if key not in _SHARED:
        at = open_page(page, **query)
        at._run = _read_only  # every rerun (at.run(), a widget's .run()) goes through _run
        _SHARED[key] = at
    return _SHARED[key]


@dataclass(frozen=True)
class Answered:
    """A lesson link's page as it asked its questions, and as it showed its results once
    every question was answered with its first option."""

    asked: int  # questions on the page before the answers
    stated_before: tuple  # claims stated before the answers
    text_before: str  # the page's text before the answers (:func:`texts`)
    at: AppTest  # the page after the answers, read-only


_ANSWERED: dict[tuple, Answered] = {}


def shared_answers(page: str, **query) -> Answered:
    """:func:`open_page` on a lesson link, then :func:`answer_questions` with the first option
    of each question: run once per test session for each page and query and shared, read-only,
    by the tests that read it (test_claims checks every lesson on every seed; test_lesson_seeds
    compares the same runs with a process of two BLAS threads)."""
    key = (page, tuple(sorted(query.items())))
    if key not in _ANSWERED:
        at = open_page(page, **query)
        asked, text = len(lesson_questions(at)), texts(at)
        stated = tuple(at.session_state[STATED]) if STATED in at.session_state else ()
        at = answer_questions(at) if not at.exception else at
        at._run = _read_only
        _ANSWERED[key] = Answered(asked, stated, text, at)
    return _ANSWERED[key]


def texts(at: AppTest) -> str:
    """Every markdown, caption, title, header and alert text on the page, joined."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "error", "info"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)


#: Proto fields that Streamlit renders as Markdown: element bodies, widget labels and help.
MARKDOWN_FIELDS = ("body", "label", "help", "caption", "placeholder")


def _strings(message, out: list[str]) -> None:
    for field, value in message.ListFields():
        if field.message_type is not None:
            for item in value if isinstance(value, Sequence) else [value]:
                _strings(item, out)
        elif field.name in MARKDOWN_FIELDS and isinstance(value, str):
            out.append(value)


def markdown_sources(at: AppTest) -> list[str]:
    """The Markdown source of everything on the page (main area and sidebar): bodies of text
    and alert elements, labels and help of widgets and containers (the page's own formulas,
    ``st.latex``, left out)."""
    out = []
    for root in (at.main, at.sidebar):
        for node in root:
            if getattr(node, "proto", None) is not None and node.type != "latex":
                _strings(node.proto, out)
    return out


def split_code_spans(markdown: str) -> tuple[str, list[str]]:
    """(the text outside code spans, the contents of the code spans), as CommonMark reads
    them: a run of n backticks opens a span that the next run of exactly n closes (no such run:
    the backticks are literal); outside a span a backslash makes the next character literal."""
    outside, spans, i = [], [], 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\":
            outside.append(markdown[i : i + 2])
            i += 2
        elif ch == "`":
            j = i
            while j < len(markdown) and markdown[j] == "`":
                j += 1
            fence = markdown[i:j]
            close = re.search(f"(?<!`){fence}(?!`)", markdown[j:])
            if close is None:
                outside.append(fence)
                i = j
            else:
                spans.append(markdown[j : j + close.start()])
                i = j + close.end()
        else:
            outside.append(ch)
            i += 1
    return "".join(outside), spans


def lesson_questions(at: AppTest) -> list:
    """The radios of the lesson's questions on the page (empty when none is asked)."""
    return [r for r in at.radio if r.key and r.key.startswith(QUESTION)]


def option_ids(radio) -> list[str]:
    """A question's option ids, in order (AppTest lists the labels; the radio's format_func is
    the bound ``get`` of its id -> label dict)."""
    return list(radio.format_func.__self__)


def answer_questions(at: AppTest, pick=lambda ids: ids[0]) -> AppTest:
    """Answer the lesson's questions with ``pick(option ids)`` (None leaves one unanswered)
    and press the button that checks them and shows the results."""
    for radio in lesson_questions(at):
        radio.set_value(pick(option_ids(radio)))
    return at.button(key=CHECK).click().run()
