"""The frame every technique page shares: run the paired comparison, flag divergence, read out
what the numbers say, and draw the common charts for every variant side by side."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core import Variant

from ..caches.memo import chart, memo
from ..drawing import playback
from ..runs import runner
from ..story import claims, figures, lessons, readouts
from ..story.view import ComparisonView
from . import controls, lasting, params, quiz, url_state
from .shell import Settings


def begin_run() -> None:
    """Forget the claims stated in the previous run (call once per run, before the page)."""
    st.session_state[quiz.STATED] = []


def say(where, *statements: claims.Statement, lead: str = "") -> None:
    """Write claims' sentences (or what was measured instead), one paragraph each, after
    ``lead`` (Markdown, e.g. a read-out list), and record them for the tests. All go into one
    Markdown element: the browser draws each element with a renderer of its own, so a page of
    few elements opens faster."""
    quiz.record(statements)
    paragraphs = [lead] if lead else []
    paragraphs += [statement.text for statement in statements]
    if paragraphs:
        where.markdown("\n\n".join(paragraphs))


def notice(view: ComparisonView, lines: list[str], note: str = "") -> None:
    """The boxed "What to notice" list (its title and list in one Markdown element), and
    ``note`` under it as a caption (e.g. the bounds its verdicts read)."""
    with st.container(border=True):
        st.markdown(f"**{view.tr('notice')}**\n\n" + "\n".join(f"- {line}" for line in lines))
        if note:
            st.caption(note)


def show_divergence(view: ComparisonView) -> None:
    for _, row in view.comp.diverged.dropna(subset=["diverged_at"]).iterrows():
        name = view.tr("diverged_seed", variant=view.label(row["variant"]), seed=row["seed"])
        st.error(
            view.tr("diverged", variant=name, epoch=int(row["diverged_at"])),
            icon=":material/warning:",
        )


def _picked(key: str) -> int | None:
    """The epoch last clicked on the timeline of the played chart ``key``, if any."""
    state = st.session_state.get(key) or {}
    points = state.get("selection", {}).get(playback.PICK) or []
    return int(points[0]["epoch"]) if points else None


def played(fn, view: ComparisonView, key: str, **kwargs) -> None:
    """Draw the played chart ``fn(view)`` (a finished spec, see :mod:`ui.drawing.playback`) opening at
    the link's epoch. A click on its timeline reruns the page once and puts that epoch into the
    link (a new click only: the chart's selection outlives a change of settings); playing and
    the slider stay in the browser. ``kwargs`` go to ``st.vega_lite_chart``."""
    picked, seen = _picked(key), f"_{key}_picked"
    if picked is not None and picked != st.session_state.get(seen):
        st.session_state[params.EPOCH.name] = picked
    st.session_state[seen] = picked
    spec = playback.at_epoch(memo(fn, view), url_state.value(params.EPOCH))
    st.vega_lite_chart(spec, on_select="rerun", selection_mode=[playback.PICK], key=key, **kwargs)


def on_request(param: params.Param, tr, label_key: str, title: str = "", text: str = "") -> bool:
    """A study run on request: its ``title`` and ``text`` (if given) and its toggle, and whether
    to run it now. While a lesson's questions wait for their answers nothing is drawn below
    them: none of it is drawn and the toggle's value stays in the link for when they are
    answered."""
    if quiz.waiting():
        url_state.bind(param)
        return False
    if title:
        st.subheader(title)
    if text:
        st.markdown(text)
    controls.toggle(param, st, tr, label_key)
    return url_state.value(param)


def notes(tr, *keys: str) -> str:
    """The catalogue texts ``keys``, one paragraph each, for one caption under a chart."""
    return "\n\n".join(tr(key) for key in keys)


def layer_charts(view: ComparisonView, key: str) -> None:
    """The back-propagated gradient, the weight gradient, the relative update and the outputs'
    spread per layer, played through the epochs, and why the first two differ."""
    played(figures.layer_playback, view, key)
    epoch = url_state.value(params.EPOCH)  # the epoch the chart opens at
    hidden = []
    for panels, group in memo(figures.coinciding, view, epoch):
        names = ", ".join(group)
        if not panels:  # in every panel
            hidden.append(view.tr("coinciding", epoch=epoch, names=names))
        else:
            charts = ", ".join(view.tr(figures.LAYER_QUANTITIES[q][0]) for q in panels)
            hidden.append(view.tr("coinciding_in", epoch=epoch, names=names, charts=charts))
    st.caption("\n\n".join([*hidden, notes(view.tr, "play_help", "why_two_gradients",
                                             "update_ratio_note")]))  # fmt: skip


def _training_curves(view: ComparisonView, key: str) -> None:
    chart(st, figures.training_curves, view)


def _histograms(view: ComparisonView, key: str) -> None:
    played(figures.grad_hist_playback, view, f"{key}_hist")
    st.caption(notes(view.tr, "play_help", "hist_zero_note"))


def _per_layer(view: ComparisonView, key: str) -> None:
    layer_charts(view, f"{key}_layers")


#: A tab of charts: ``(catalogue key of its label, draw(view, section key))``.
Tab = tuple[str, Callable[[ComparisonView, str], None]]


def common_charts(view: ComparisonView, key: str, more: tuple[Tab, ...] = ()) -> None:
    """The per-layer charts, a page's own charts (``more``), the training curves and the
    per-layer gradient histograms, in tabs of which only the open one is computed and drawn:
    every chart more on a page's first screen is time every visitor waits. The page opens on
    the per-layer charts at the link's epoch (0 by default: the network the read-out
    describes), or on the tab its lesson points to (:attr:`ui.story.lessons.Lesson.opens`)."""
    url_state.clamp(params.EPOCH, view.last_epoch)
    drawn = (("tab_layers", _per_layer), *more, ("tab_curves", _training_curves),
             ("tab_histograms", _histograms))  # fmt: skip
    names = [name for name, _ in drawn]
    lesson = lessons.BY_NAME.get(url_state.value(params.LESSON))
    opens = lesson.opens if lesson is not None and lesson.opens in names else None
    tabs = lasting.tabs(view.tr, names, key=f"{key}_tab", default=opens)
    for tab, (_, draw) in zip(tabs, drawn):
        if tab.open:
            with tab:
                draw(view, key)


def section(
    variants: list[Variant],
    labels: dict[str, str],
    s: Settings,
    key: str,
    summarise=None,
    extra=None,
    more: tuple[Tab, ...] = (),
) -> ComparisonView | None:
    """Run ``variants`` (paired, every seed) and show the shared frame, once a lesson's
    questions are answered (:mod:`ui.story.questions`). Returns the view, or None when it could not
    run (over budget) or waits for the answers. ``summarise`` and ``extra``: see
    :func:`ui.runs.runner.run`; ``more``: the page's own chart tabs
    (:func:`common_charts`). The link's ``epoch`` is read first, so that it stays in the link
    while the page waits for answers or refuses an oversized run."""
    url_state.bind(params.EPOCH)
    if not quiz.ask(variants, labels, s.tr):
        return None
    view = runner.run(variants, labels, s.dataset, s.seed_list, s.tr, summarise, extra)
    if view is None:
        return None
    quiz.check(view)
    show_divergence(view)
    notice(view, memo(readouts.training_readout, view), memo(readouts.verdict_band, view))
    common_charts(view, key, more)
    return view
