"""The comparisons this server shares with every session: the board of runs in flight and its
cache of finished results (:data:`BOARD`), what a comparison's worker does (train every variant
with every seed, summarise each network as its run ends and drop it), and which runs a
comparison can take from finished ones instead of training them.

The cache keeps results only (frames and small summaries), never networks: what a page needs
from a trained network (the folding study, decision boundaries) is computed by a
``summarise(variant, net, data)`` function as soon as that network's run ends, and kept instead
of the network, which is dropped then: a comparison holds one network at a time, the one its
worker trains, so that what it holds is what the budget charges it.

The board lives in this module, once per server process, not in ``st.cache_resource``: any
client can send Streamlit's "clear cache" message, which empties every ``st.cache_resource``.
It would make every visitor pay again for what is cached, and start a second board, with
workers of its own, beside the runs still training on the first. Nothing here imports
Streamlit; :mod:`ui.runs.runner` charges a comparison, joins its run and shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from core import Comparison, History, Variant, compare
from core.datasets import Dataset

from ..caches import data, memo
from ..caches.cache import BoundedCache
from . import jobs

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


def held_bytes() -> int:
    """Bytes this server holds beside the runs in flight: finished results, memoized charts
    and read-outs, data sets."""
    return BOARD.store.total_bytes + memo.STORE.total_bytes + data.STORE.total_bytes


#: Running and finished comparisons, shared by every session of this server.
BOARD = jobs.Board(
    BoundedCache(CACHE_ENTRIES, CACHE_BYTES), memory_limit=SERVER_BYTES, held=held_bytes
)


def train_all(
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
