"""Run a page's paired comparison: charge it to the request's budget, train it in a shared
background run (or fetch it from the shared cache) while showing its progress, its curves and its
gradient profile as they fill in, and return the :class:`~ui.story.view.ComparisonView` the page shows.

The cache keeps results only (frames and small summaries), never networks: what a page needs
from a trained network (the folding study, decision boundaries) is computed by a
``summarise(variant, net, data)`` function as soon as that network's run ends, and kept instead
of the network, which is dropped then: a comparison holds one network at a time, the one its
worker trains, so that what it holds is what the budget charges it.

The board of runs and its cache of results (:data:`BOARD`) live in this module, once per
server process, not in ``st.cache_resource``: any client can send Streamlit's "clear cache"
message, which empties every ``st.cache_resource``. It would make every visitor pay again for
what is cached, and start a second board, with workers of its own, beside the runs still
training on the first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import Comparison, History, Variant, compare
from core.datasets import Dataset

from ..caches import data, memo
from ..caches.cache import BoundedCache
from ..story import figures
from ..story.view import ComparisonView
from ..text.format import amount
from ..text.i18n import Text
from . import budget, counts, jobs

#: Finished comparisons kept for every session of this server: bounded by count and size (a
#: run that two comparisons share counts in the size of each, so the bound errs on the safe
#: side).
CACHE_ENTRIES = 32
CACHE_BYTES = 160 * 2**20
#: Bytes the server may hold at once, as charged: the finished results, the memoized charts and
#: read-outs, the data sets loaded and the charges of the runs in flight. A run that would go
#: over it waits for a worker until runs in flight end (see :class:`ui.runs.jobs.Scheduler`). The
#: caches alone may fill 256 MiB (their bounds) and two runs at the budget's limit take 240 MiB,
#: so the bound matters when the caches are full or a large data set is loaded; the server's
#: resident memory adds its code and libraries (about 200 MB) and what pages build while they
#: draw (docs/hosting.md).
SERVER_BYTES = 448 * 2**20
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


def held_bytes() -> int:
    """Bytes this server holds beside the runs in flight: finished results, memoized charts
    and read-outs, data sets."""
    return BOARD.store.total_bytes + memo.STORE.total_bytes + data.STORE.total_bytes


#: Running and finished comparisons, shared by every session of this server.
BOARD = jobs.Board(
    BoundedCache(CACHE_ENTRIES, CACHE_BYTES), memory_limit=SERVER_BYTES, held=held_bytes
)


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


def _train_all(
    job: jobs.Job,
    variants: tuple[Variant, ...],
    dataset: str,
    seeds: tuple[int, ...],
    summarise: Callable | None,
    trained: dict[tuple[str, int], History],
) -> tuple[Comparison, dict]:
    """Train every variant with every seed in a worker, reporting progress and the runs so
    far to ``job``, and summarise each variant's network of the first seed as its run ends
    (:func:`_finish_run`); stop (raising :class:`jobs.Cancelled`) when nobody waits any more,
    and give way to a visitor's run between epochs if this is a background run (see
    :meth:`jobs.Job.checkpoint`). The runs in ``trained`` (see :func:`reusable_runs`) are taken
    as they are. Returns the comparison and the summaries by variant name."""
    d = data.load(dataset)
    total = len(variants) * len(seeds)
    done: dict[tuple[str, int], History] = {}
    summaries: dict[str, object] = {}
    state = {"run": 0, "variant": variants[0].name, "seed": seeds[0]}

    def on_run(i, n, variant, seed):
        state.update(run=i, variant=variant.name, seed=seed)
        job.report(i / total, state)

    def on_epoch(history: History):
        job.checkpoint()
        done[(state["variant"], state["seed"])] = history
        fraction = (state["run"] + history.epochs_done / max(history.epochs, 1)) / total
        job.report(fraction, state, Comparison(dict(done)))

    def on_done(variant: Variant, seed: int, history: History):
        if (variant.name, seed) in trained:
            return  # a finished comparison's run, shared with it: frozen, without a network
        summary = _finish_run(job, variant, seed == seeds[0], history, d, summarise)
        if summary is not None:
            summaries[variant.name] = summary
        done[(variant.name, seed)] = history  # the live charts read its frames, not a copy

    comp = compare(
        list(variants),
        d,
        seeds,
        on_run=on_run,
        on_epoch=on_epoch,
        trained=trained,
        on_done=on_done,
    )
    return comp, summaries


def _finish_run(
    job: jobs.Job, variant: Variant, first_seed: bool, history: History, d: Dataset, summarise
):
    """What is kept of a run that has just ended: its summary (first seed only, when the
    page summarises its networks and the run did not diverge) made from its network, which is
    then dropped, and its frames built (:meth:`History.freeze`). Asks first whether anyone still
    waits (:meth:`jobs.Job.checkpoint`): a summary (the folding study, the decision
    boundaries) can take as long as training did. Returns the summary, or None."""
    summary = None
    try:
        if summarise is not None and first_seed and history.net is not None:
            job.checkpoint()
            summary = summarise(variant, history.net, d)
    finally:
        history.net = None  # dropped even when the summary is cancelled
    history.freeze()
    return summary


def trained_runs(
    finished: BoundedCache, variants: tuple[Variant, ...], dataset: str, seeds: tuple[int, ...]
) -> dict[tuple[str, int], History]:
    """The runs of ``variants`` x ``seeds`` on ``dataset`` that the finished comparisons
    (values ``(Comparison, summaries)`` under keys ``(variants, dataset, seeds, summarise)``)
    already hold, by ``(variant name, seed)``: a run is the same when its network, training
    settings, seed and data are, whatever the variant's name (a page and a lesson link, or two
    pages, often share runs)."""

    def settings(v: Variant, seed: int) -> tuple:
        return v.model, replace(v.train, seed=seed)

    held: dict[tuple, History] = {}  # by settings
    for (others, other_dataset, other_seeds, _), (comp, _) in finished.items():
        if other_dataset != dataset:
            continue
        for v in others:
            for s in other_seeds:
                if (v.name, s) in comp.runs:
                    held.setdefault(settings(v, s), comp.runs[(v.name, s)])
    return {
        (v.name, s): held[settings(v, s)] for v in variants for s in seeds if settings(v, s) in held
    }


def reusable_runs(finished: BoundedCache, key: tuple) -> dict[tuple[str, int], History]:
    """The runs the comparison ``key`` (``(variants, dataset, seeds, summarise)``) takes from
    ``finished`` instead of training them (:func:`trained_runs`); none when it summarises its
    networks, as a summary is made from a trained network and the cache keeps none."""
    variants, dataset, seeds, summarise = key
    return {} if summarise is not None else trained_runs(finished, variants, dataset, seeds)


def uncached_cost(
    shape: counts.Shape, variants: tuple[Variant, ...], seeds: tuple[int, ...], cached
) -> budget.Cost:
    """The cost of training the runs of ``variants`` x ``seeds`` that ``cached`` (runs by
    ``(variant name, seed)``, see :func:`trained_runs`) does not hold."""
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
    every seed; ``labels`` names each variant on screen; ``summarise(variant, net, data)`` (a
    module-level function) keeps what the page needs of each variant's trained network (first
    seed), and ``extra`` is what it costs on top of the training.

    Returns None when the request is over the work budget, or its run was stopped for using
    far more CPU time than it was charged (:class:`jobs.OverBudget`); the page has said why.
    """
    key = (tuple(variants), dataset, tuple(seeds), summarise)
    board = BOARD
    finished = board.store.get(key)
    if finished is None:
        shape = shape_of(dataset)
        runs = [(v.model, v.train) for v in variants]
        extra = extra or budget.Cost()
        # what is already cached costs nothing: the runs this comparison takes from others
        # are not charged, and not trained
        cached = reusable_runs(board.store, key)
        cost = uncached_cost(shape, key[0], key[2], cached) + extra
        if not afford(cost, tr, lambda: budget.max_epochs(shape, runs, len(seeds), extra=extra)):
            return None
        finished = _wait(board, key, labels, tr, cached, cost)
        if finished is None:
            return None  # stopped over its CPU limit (the page has said why)
    comp, summaries = finished
    named = tuple((v.name, labels.get(v.name, v.name)) for v in variants)
    n_classes = data.load(dataset).n_classes
    return ComparisonView(
        comp, tuple(variants), dataset, tuple(seeds), named, tr, n_classes, summaries
    )


def _wait(
    board: jobs.Board,
    key: tuple,
    labels: dict[str, str],
    tr: Text,
    trained: dict,
    cost: budget.Cost,
):
    """Join (or start, charged ``cost``) the shared run of ``key``, which takes the runs
    ``trained`` (see :func:`reusable_runs`), and wait for it, showing its progress and its live
    charts as they fill in. Leaves the run when this script stops waiting: the run ends, a
    rerun supersedes this one, or the tab closes. A newer request of the same session
    supersedes this one as soon as it joins a run (:meth:`jobs.Board.join`): this script then
    stops, as Streamlit would stop it a moment later."""
    ctx = get_script_run_ctx()
    session = ctx.session_id if ctx is not None else None
    variants, dataset, seeds, summarise = key
    while True:
        job, ticket = board.join(
            key,
            lambda job: _train_all(job, variants, dataset, seeds, summarise, trained),
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
    named = tuple((v.name, labels.get(v.name, v.name)) for v in present)
    n_classes = data.load(dataset).n_classes
    view = ComparisonView(partial, present, dataset, tuple(seeds), named, tr, n_classes, {})
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
