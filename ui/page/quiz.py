"""Ask, then show: a lesson's questions, answered before its results appear.

A lesson (``?lesson=<name>``) comes with one or two multiple-choice questions about the run its
page is about to show ("In which network does the gradient shrink the most?"). On the lesson's
own page, with ``ask`` on (the default; ``ask=0`` in the link turns it off), the questions
stand where the results would be, and the results, the lesson's "what to notice" included,
appear, and the run trains, only once the student has answered and pressed the button (or
pressed it without answering). Each question then shows the student's choice beside the answer.

The answer is read from the run by the measurements that back the page's sentences and
read-outs (:mod:`ui.story.measure`, :mod:`ui.story.measure_training`: ``verdict``,
``progress``, ``growth``, ``distinct_band``, ...), so it cannot disagree with the charts. Options are the variants in
page order or a fixed list, never ordered by a result. Answers stay in this browser session
(``st.session_state``); nothing is stored or sent anywhere.

Pages call :func:`ask` before running their comparison and :func:`check` after it
(:func:`ui.page.technique.section` does both), and hold back any other results while
:func:`waiting`: nothing trains before the answers, so the curves that fill in while a run
trains cannot give them away either. The app calls :func:`begin_run` and :func:`banner`.

The questions themselves, their options and their answers, are the catalogue
:mod:`ui.story.questions`, and each :class:`~ui.story.lessons.Lesson` carries its own; this
module asks them.
"""

from __future__ import annotations

import streamlit as st

from ..story.claims import Statement
from ..story.lessons import BY_NAME
from ..story.questions import Question, before_run
from ..story.view import ComparisonView
from ..text.i18n import Text

# --- Streamlit: the session's state, the banner, the form and the answers ----------------------

_CURRENT = "_questions_lesson"  # the lesson whose questions this run asks, or None
_HERE = "_questions_here"  # the lesson whose page this is (questions asked or not), or None
_BANNER = "_questions_banner"  # where this run's lesson banner is drawn
_REVEALED = "_questions_revealed"  # lessons whose answers this session has revealed
_ANSWERS = "_questions_answers"  # {lesson: {question key: chosen option id or None}}
#: What this run revealed, for the tests: (lesson, question key, correct ids, option ids, view).
REVEALED = "_questions_shown"
#: Marks before a checked answer (Material icons ship with Streamlit; emoji need a font).
RIGHT, WRONG, NOT_ANSWERED = (
    ":green[:material/check_circle:]",
    ":red[:material/cancel:]",
    ":gray[:material/help:]",
)
#: Keys of the widgets: each question's radio starts with ``QUESTION``; the buttons.
QUESTION, CHECK, AGAIN = "_q_", "_q_check", "_q_again"


#: Session key of the claims stated in this run (tests check that each one held).
STATED = "_claims_stated"


def record(statements) -> None:
    """Note each claim stated in this run and whether it held (the tests read them)."""
    st.session_state.setdefault(STATED, []).extend((s.claim, s.held) for s in statements)


def begin_run(lesson: str, ask: bool, page: str) -> None:
    """Note which lesson's questions this run asks: the lesson's own, on its page, unless the
    link says ``ask=0``."""
    here = lesson in BY_NAME and BY_NAME[lesson].page == page
    on = ask and here and bool(BY_NAME[lesson].questions)
    st.session_state[_CURRENT] = lesson if on else None
    st.session_state[_HERE] = lesson if here else None
    st.session_state[_BANNER] = None
    st.session_state.setdefault(_REVEALED, set())
    st.session_state.setdefault(_ANSWERS, {})
    st.session_state[REVEALED] = []


def waiting() -> bool:
    """True while this run's questions are unanswered: the page holds its results back."""
    lesson = st.session_state.get(_CURRENT)
    return lesson is not None and lesson not in st.session_state[_REVEALED]


def banner(tr: Text, lesson: str) -> None:
    """The lesson's title and what to look at; while its questions wait, a pointer to them
    instead (what to look at would give the answers away). On the lesson's own page,
    :func:`check` adds what the run shows, once it has run."""
    slot = st.empty()
    st.session_state[_BANNER] = slot
    _draw_banner(slot, tr, lesson, [])


def _draw_banner(slot, tr: Text, lesson: str, statements: list[Statement]) -> None:
    title = tr("lesson_banner", title=tr(BY_NAME[lesson].title_key))
    text = tr("q_banner") if waiting() else tr(BY_NAME[lesson].notice_key)
    shown = "".join(f"\n- {s.text}" for s in statements)
    slot.info(f"**{title}** — {text}{shown}", icon=":material/school:")


def ask(variants, labels: dict[str, str], tr: Text) -> bool:
    """Before the comparison runs: while this run's questions wait for their answers, show
    them where the results go and return False (the page then neither trains nor shows
    anything of the run); True otherwise."""
    lesson = st.session_state.get(_CURRENT)
    if lesson is None or not waiting():
        return True
    view = before_run(variants, labels, tr)
    questions = BY_NAME[lesson].asked(view)
    if not questions:
        return True
    _form(view, lesson, questions)
    return False


def check(view: ComparisonView) -> None:
    """Once answered: each question with the student's choice, marked against the answer
    read from the run in ``view``, above the results; and on the lesson's own page, the
    lesson's claims over this run in its banner."""
    here = st.session_state.get(_HERE)
    if here is None or waiting():
        return
    statements = BY_NAME[here].statements(view)
    slot = st.session_state.get(_BANNER)
    if statements and slot is not None:
        record(statements)
        _draw_banner(slot, view.tr, here, statements)
    lesson = st.session_state.get(_CURRENT)
    questions = BY_NAME[lesson].asked(view) if lesson else []
    if questions:
        _answers(view, lesson, questions)


def _key(lesson: str, question_key: str) -> str:
    return f"{QUESTION}{lesson}_{question_key}"


def _reveal(lesson: str, keys: tuple[str, ...]) -> None:
    st.session_state[_ANSWERS][lesson] = {k: st.session_state.get(_key(lesson, k)) for k in keys}
    st.session_state[_REVEALED].add(lesson)


def _again(lesson: str) -> None:
    st.session_state[_REVEALED].discard(lesson)
    st.session_state[_ANSWERS].pop(lesson, None)


def _form(view: ComparisonView, lesson: str, questions: list[Question]) -> None:
    tr = view.tr
    with st.form(f"_questions_{lesson}"):
        st.subheader(tr("q_title"), anchor="questions")
        st.caption(tr("q_intro"))
        for q in questions:
            options = dict(q.options(view))
            st.radio(
                q.prompt(view),
                list(options),
                format_func=options.get,
                index=None,
                key=_key(lesson, q.key),
            )
        keys = tuple(q.key for q in questions)
        st.form_submit_button(
            tr("q_check"), type="primary", on_click=_reveal, args=(lesson, keys), key=CHECK
        )


def _answers(view: ComparisonView, lesson: str, questions: list[Question]) -> None:
    tr = view.tr
    chosen = st.session_state[_ANSWERS].get(lesson, {})
    with st.container(border=True):
        st.subheader(tr("q_answers_title"), anchor="questions")
        for q in questions:
            options = dict(q.options(view))
            correct = q.answer(view)
            st.session_state[REVEALED].append((lesson, q.key, correct, tuple(options), view))
            answer = " / ".join(f"**{options[c]}**" for c in correct) or tr("q_unmeasured")
            choice = chosen.get(q.key)
            if choice is None:
                verdict = f"{NOT_ANSWERED} {tr('q_not_answered', answer=answer)}"
            elif choice in correct:
                verdict = f"{RIGHT} {tr('q_right', answer=answer)}"
            else:
                mine = f"**{options.get(choice, choice)}**"
                verdict = f"{WRONG} {tr('q_wrong', mine=mine, answer=answer)}"
            st.markdown(f"{q.prompt(view)}  \n{verdict}")
            st.caption(q.measured(view))
        st.button(tr("q_again"), on_click=_again, args=(lesson,), key=AGAIN)
