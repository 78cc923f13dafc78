"""Run the app under Streamlit's AppTest, on a page, with a query string."""

import re

from conftest import ROOT
from streamlit.testing.v1 import AppTest

PAGES = {
    "overview": "app_pages/overview.py",
    "initialization": "app_pages/initialization.py",
    "activations": "app_pages/activations.py",
    "batch-normalization": "app_pages/batch_normalization.py",
    "gradient-clipping": "app_pages/gradient_clipping.py",
    "lab": "app_pages/lab.py",
}
HANGUL = re.compile("[\uac00-\ud7a3]")


def open_page(page: str = "overview", **query) -> AppTest:
    """The app after its first run on ``page`` with ``query`` in the URL (as a fresh visitor)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":  # AppTest starts on the default page; the link names another one
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(PAGES[page]).run()
    return at


def texts(at: AppTest) -> str:
    """Every markdown, caption, title, header and alert text on the page, joined."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "error", "info"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)


def lesson_questions(at: AppTest) -> list:
    """The radios of the lesson's questions on the page (empty when none is asked)."""
    from ui.questions import QUESTION

    return [r for r in at.radio if r.key and r.key.startswith(QUESTION)]


def option_ids(radio) -> list[str]:
    """A question's option ids, in order (AppTest lists the labels; the radio's format_func is
    the bound ``get`` of its id -> label dict)."""
    return list(radio.format_func.__self__)


def answer_questions(at: AppTest, pick=lambda ids: ids[0]) -> AppTest:
    """Answer the lesson's questions with ``pick(option ids)`` (None leaves one unanswered)
    and press the button that checks them and shows the results."""
    from ui.questions import CHECK

    for radio in lesson_questions(at):
        radio.set_value(pick(option_ids(radio)))
    return at.button(key=CHECK).click().run()
