"""Run a page's paired comparison: charge it to the request's budget, train it in a shared
background run (or fetch it from the shared cache) while showing its progress, its curves and
its gradient profile as they fill in, and return the :class:`~ui.story.view.ComparisonView` the
page shows.

The comparisons themselves, running and finished, are shared by every session on the board
of :mod:`ui.runs.shared`, which trains them; this module is their Streamlit side.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import Comparison, Variant

from ..caches import data
from ..story import figures
from ..story.view import ComparisonView
from ..text.format import amount
from ..text.i18n import Text
from . import budget, counts, jobs, shared

#: Session key of what this script run has charged to the budget so far.
CHARGED = "_work_charged"
#: Session key counting this script run's offers of fewer epochs (each button needs its key).
OFFERS = "_budget_offers"
#: Seconds a page waits for a run before it first draws the live charts: a shorter run shows its
#: progress bar, then its finished charts (live charts replaced within a second would show
#: nothing, and building them takes the interpreter from the run that trains).
LIVE_AFTER = 2.0
#: Least seconds between two redraws of the live charts while a run trains (each redraw shows
#: a new epoch); a redraw that took longer waits as long as it took, so that building charts
#: holds the interpreter at most half the time while the run needs it to train.
LIVE_EVERY = 0.7


def begin_run() -> None:
    """Start a new request: nothing charged yet (call once per script run, before the page)."""
    st.session_state[CHARGED] = budget.Cost()
    st.session_state[OFFERS] = 0


def shape_of(dataset: str) -> counts.Shape:
    d = data.load(dataset)
    return counts.Shape(d.n_features, d.n_classes, len(d.X_train), len(d.X_val))


def afford(cost: budget.Cost, tr: Text, offer: Callable[[], int] | None = None) -> bool:
    """Charge ``cost`` to this request if the total stays within the budget; otherwise say
    so (offering the largest number of epochs that fits, from ``offer()``) and return False."""
    total = st.session_state.get(CHARGED, budget.Cost()) + cost
    if total.seconds <= budget.MAX_SECONDS and total.bytes <= budget.MAX_BYTES:
        st.session_state[CHARGED] = total
        return True
    st.warning(
        tr(
            "budget_over",
            seconds=amount(total.seconds),
            mb=amount(total.bytes / 2**20),
            limit=amount(budget.MAX_SECONDS),
            limit_mb=amount(budget.MAX_BYTES / 2**20),
        ),
        icon=":material/timer:",
    )
    allowed = offer() if offer is not None else 0
    if allowed >= 1:
        offers = st.session_state[OFFERS] = st.session_state.get(OFFERS, 0) + 1
        st.button(
            tr("budget_offer", epochs=allowed),
            on_click=lambda: st.session_state.update(epochs=allowed),
            key=f"_budget_offer_{offers}",  # a page may be over budget in several places
        )
    else:
        st.info(tr("budget_none"))
    return False


def uncached_cost(
    shape: counts.Shape, variants: tuple[Variant, ...], seeds: tuple[int, ...], cached
) -> budget.Cost:
    """The cost of training the runs of ``variants`` x ``seeds`` that ``cached`` (runs by
    ``(variant name, seed)``, see :func:`ui.runs.shared.trained_runs`) does not hold."""
    runs = [(v.model, v.train) for v in variants for s in seeds if (v.name, s) not in cached]
    return budget.comparison_cost(shape, runs, 1)


def run(
    variants: list[Variant],
    labels: dict[str, str],
    dataset: str,
    seeds: tuple[int, ...],
    tr: Text,
    summarise: Callable | None = None,
    extra: budget.Cost | None = None,
) -> ComparisonView | None:
    """Run (or fetch from the cache) the paired comparison of ``variants`` on ``dataset`` with
    every seed; ``labels`` names each variant on screen, and may name every variant the page
    could show, in the page's order, which sets their colours
    (:attr:`ui.story.view.ComparisonView.among`); ``summarise(variant, net, data)`` (a
    module-level function) keeps what the page needs of each variant's trained network (first
    seed), and ``extra`` is what it costs on top of the training.

    Returns None when the request is over the work budget, or its run was stopped for using
    far more CPU time than it was charged (:class:`jobs.OverBudget`); the page has said why.
    """
    key = (tuple(variants), dataset, tuple(seeds), summarise)
    board = shared.BOARD
    finished = board.store.get(key)
    if finished is None:
        shape = shape_of(dataset)
        runs = [(v.model, v.train) for v in variants]
        extra = extra or budget.Cost()
        # what is already cached costs nothing: the runs this comparison takes from others
        # are not charged, and not trained
        cached = shared.reusable_runs(board.store, key)
        cost = uncached_cost(shape, key[0], key[2], cached) + extra
        if not afford(cost, tr, lambda: budget.max_epochs(shape, runs, len(seeds), extra=extra)):
            return None
        finished = _wait(board, key, labels, tr, cached, cost)
        if finished is None:
            return None  # stopped over its CPU limit (the page has said why)
    comp, summaries = finished
    return _view(comp, variants, dataset, seeds, labels, tr, summaries)


def _view(comp, variants, dataset: str, seeds, labels: dict[str, str], tr: Text, summaries):
    """The view of ``variants`` (finished, or under way: ``comp`` partial) named by ``labels``,
    each in the colour of its place among every variant ``labels`` names."""
    named = tuple((v.name, labels.get(v.name, v.name)) for v in variants)
    n_classes = data.load(dataset).n_classes
    return ComparisonView(
        comp, tuple(variants), dataset, tuple(seeds), named, tr, n_classes, summaries,
        among=tuple(labels.values()),
    )  # fmt: skip


def _wait(
    board: jobs.Board,
    key: tuple,
    labels: dict[str, str],
    tr: Text,
    trained: dict,
    cost: budget.Cost,
):
    """Join (or start, charged ``cost``) the shared run of ``key``, which takes the runs
    ``trained`` (see :func:`ui.runs.shared.reusable_runs`), and wait for it, showing its
    progress and its live charts as they fill in. Leaves the run when this script stops
    waiting: the run ends, a rerun supersedes this one, or the tab closes. A newer request of
    the same session supersedes this one as soon as it joins a run (:meth:`jobs.Board.join`):
    this script then stops, as Streamlit would stop it a moment later."""
    ctx = get_script_run_ctx()
    session = ctx.session_id if ctx is not None else None
    variants, dataset, seeds, summarise = key
    while True:
        job, ticket = board.join(
            key,
            lambda job: shared.train_all(job, variants, dataset, seeds, summarise, trained),
            session,
            seconds=cost.seconds,
            memory=cost.bytes,
        )
        try:
            _watch(job, ticket, session, key, labels, tr)
            superseded = not job.waits(ticket)
        finally:
            board.leave(job, ticket)
        if superseded:
            st.stop()
        if not isinstance(job.error, jobs.Cancelled):
            break  # a run cancelled just as this session joined it starts again
    if isinstance(job.error, jobs.OverBudget):
        st.warning(
            tr(
                "budget_overrun",
                used=amount(job.error.used),
                charged=amount(job.error.charged),
                factor=f"{jobs.CPU_FACTOR:g}",
            ),
            icon=":material/timer:",
        )
        return None
    if job.error is not None:
        raise job.error
    return job.value


def _watch(job: jobs.Job, ticket: int, session, key, labels: dict[str, str], tr: Text) -> None:
    """Show ``job``'s progress until it is done and, once it has run :data:`LIVE_AFTER`
    seconds, its training curves and back-propagated gradient per layer as they fill in
    (neither for a background session: nobody would see them, and building live charts
    takes time from the runs). Stops the script when its tab closes or a newer request of its
    session has taken its place (``ticket`` withdrawn)."""
    variants, dataset, seeds, _ = key
    unseen = jobs.is_background(session)
    box, curves_slot, layers_slot = st.empty(), st.empty(), st.empty()
    n = len(variants) * len(seeds)
    trains = any(v.train.epochs > 0 for v in variants)
    shown, drawn, next_draw = -1, None, time.monotonic() + LIVE_AFTER
    try:
        while not job.done.wait(0.1):
            # Reading session state lets Streamlit stop this script here when a rerun
            # supersedes it; a closed tab is asked about explicitly.
            st.session_state.get(CHARGED)
            if not jobs.session_alive(session) or not job.waits(ticket):
                st.stop()
            if unseen:
                continue
            if not job.started.is_set():
                box.progress(0.0, text=tr("progress_queued"))
                continue
            fraction, state = job.progress
            if state and job.updates != shown:
                shown = job.updates
                text = tr(
                    "progress",
                    variant=labels.get(state["variant"], state["variant"]),
                    seed=state["seed"],
                    i=state["run"] + 1,
                    n=n,
                )
                box.progress(min(max(fraction, 0.0), 1.0), text=text)
            partial = job.partial  # a new Comparison after every epoch
            if (
                trains
                and partial is not None
                and partial is not drawn
                and time.monotonic() >= next_draw
            ):
                began = time.monotonic()
                # each chart redrawn in its own slot: a container redrawn would draw both anew
                curves, layers = live_charts(partial, key, labels, tr)
                curves_slot.vega_lite_chart(curves, width="stretch")
                if layers is not None:
                    layers_slot.vega_lite_chart(layers, width="stretch")
                drawn, cost = partial, time.monotonic() - began
                next_draw = time.monotonic() + max(LIVE_EVERY, cost)
    finally:
        box.empty()
        curves_slot.empty()
        layers_slot.empty()


def live_charts(
    partial: Comparison, key, labels: dict[str, str], tr: Text
) -> tuple[dict, dict | None]:
    """The live charts of the runs finished or under way (the page draws the full charts once
    every run is done): the training curves, and the back-propagated gradient per layer at the
    latest epoch the run under way has finished, which its title names. Every run started
    shows its profile at that same epoch, so the variants compare like with like as it moves.

    Returns the two Vega-Lite specs (dicts; the layer spec None for runs that measure no
    layers, such as a sweep's)."""
    variants, dataset, seeds, _ = key
    started = {name for name, _ in partial.runs}
    present = tuple(v for v in variants if v.name in started)
    # in the colours the finished charts will give them
    view = _view(partial, present, dataset, seeds, labels, tr, {})
    layers = None
    if any(v.train.diagnostics for v in present):
        # The run under way records on while this reads its frames, which hold what it has
        # recorded by then: the latest epoch with every layer recorded, as the curves show.
        rows = next(reversed(partial.runs.values())).layers.groupby("epoch").size()
        epoch = int(rows[rows == rows.max()].index.max())
        layers = figures.by_layer(view, "backprop_norm", epoch)
        text, note = tr("live_layers", epoch=epoch), tr("live_layers_note")
        layers["title"] = {**layers["title"], "text": text, "subtitle": note}
    return figures.training_curves(view), layers
