"""The one cached entry point that runs comparisons, with progress and a work budget."""

from __future__ import annotations

import streamlit as st

from core import Comparison, Variant, compare, datasets

from . import budget
from .cache import BoundedCache
from .format import power_of_ten
from .i18n import Text

#: Comparisons kept, one per (variants, data set, seeds): bounded so that memory stays flat.
CACHE_ENTRIES = 16
#: The data split is the same for every run: the seed changes weights, batches and probe.
DATA_SEED = 0


@st.cache_resource(max_entries=4, show_spinner=False)
def load_data(name: str) -> datasets.Dataset:
    """The standardised, split data set (read once per server, shared read-only)."""
    return datasets.load(name, seed=DATA_SEED)


@st.cache_resource(show_spinner=False)
def _results() -> BoundedCache:
    """Finished comparisons, shared by every session of this server."""
    return BoundedCache(CACHE_ENTRIES)


@st.cache_resource(show_spinner=False)
def _derived() -> BoundedCache:
    """Small results derived from finished runs (e.g. timing a folded network)."""
    return BoundedCache(4 * CACHE_ENTRIES)


def memo(key, compute):
    """``compute()`` once per ``key`` for the whole server (key: anything hashable)."""
    return _derived().get_or_compute(key, compute)


def chart(where, key: tuple, build, **kwargs) -> None:
    """Draw the Altair chart ``build()`` in ``where``; its Vega-Lite spec is built once per
    ``key`` (converting a chart with its data costs 50-150 ms, a rerun should not pay it)."""
    spec = memo(("chart", *key), lambda: build().to_dict(validate=False))  # tests validate
    where.vega_lite_chart(spec, **kwargs)


def _compare(
    variants: tuple[Variant, ...], dataset: str, seeds: tuple[int, ...], progress
) -> Comparison:
    """Train every variant with every seed, calling ``progress(fraction, state)`` as it goes."""
    total = len(variants) * len(seeds)
    state = {"run": 0}

    def on_run(i, n, variant, seed):
        state.update(run=i, variant=variant.name, seed=seed)
        progress(i / total, state)

    def on_epoch(history):
        done = history.epochs_done / max(history.epochs, 1)
        progress((state["run"] + done) / total, state)

    return compare(list(variants), load_data(dataset), seeds, on_run=on_run, on_epoch=on_epoch)


def within_budget(variants: list[Variant], dataset: str, n_seeds: int, tr: Text) -> bool:
    """True when the request fits :data:`budget.MAX_WORK`; otherwise explain, offer the
    largest allowed number of epochs (a button that sets it), and return False."""
    data = load_data(dataset)
    hiddens = [v.model.hidden for v in variants]
    epochs = max(v.train.epochs for v in variants)
    batch_size = min(v.train.batch_size for v in variants)
    args = (data.n_features, data.n_classes, hiddens, len(data.X_train))
    need = budget.work(*args, epochs, n_seeds, batch_size)
    if need <= budget.MAX_WORK:
        return True
    st.warning(
        tr("budget_over", work=power_of_ten(need), limit=power_of_ten(budget.MAX_WORK)), icon="⏱️"
    )
    allowed = budget.max_epochs(*args, n_seeds, batch_size)
    if allowed >= 1:
        st.button(
            tr("budget_offer", epochs=allowed),
            on_click=lambda: st.session_state.update(epochs=allowed),
            key="_budget_offer",
        )
    else:
        st.info(tr("budget_none"))
    return False


def run(
    variants: list[Variant], dataset: str, seeds: tuple[int, ...], tr: Text
) -> Comparison | None:
    """Run (or fetch from the cache) a paired comparison, showing progress while it trains.

    Returns None when the request is over the work budget (the page has said why).
    """
    if not within_budget(variants, dataset, len(seeds), tr):
        return None
    box = st.empty()

    def progress(fraction, state):
        text = tr(
            "progress",
            variant=state.get("variant", ""),
            seed=state.get("seed", ""),
            i=state["run"] + 1,
            n=len(variants) * len(seeds),
        )
        box.progress(min(max(fraction, 0.0), 1.0), text=text)

    key = (tuple(variants), dataset, tuple(seeds))
    try:
        result = _results().get_or_compute(key, lambda: _compare(*key, progress))
    finally:
        box.empty()
    result.key = key  # identifies the run for charts and results derived from it
    return result
