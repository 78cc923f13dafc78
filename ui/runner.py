"""Run a page's paired comparison: check the work budget, train (or fetch from the shared
cache) with a progress bar, and return the :class:`~ui.view.ComparisonView` the page shows."""

from __future__ import annotations

import streamlit as st

from core import Comparison, Variant, compare

from . import budget, data
from .cache import BoundedCache
from .format import power_of_ten
from .i18n import Text
from .view import ComparisonView

#: Comparisons kept, one per (variants, data set, seeds): bounded so that memory stays flat.
CACHE_ENTRIES = 16


@st.cache_resource(show_spinner=False)
def _results() -> BoundedCache:
    """Finished comparisons, shared by every session of this server (never mutated)."""
    return BoundedCache(CACHE_ENTRIES)


def within_budget(variants: list[Variant], dataset: str, n_seeds: int, tr: Text) -> bool:
    """True when the request fits :data:`budget.MAX_WORK`; otherwise explain, offer the
    largest allowed number of epochs (a button that sets it), and return False."""
    d = data.load(dataset)
    hiddens = [v.model.hidden for v in variants]
    epochs = max(v.train.epochs for v in variants)
    batch_size = min(v.train.batch_size for v in variants)
    args = (d.n_features, d.n_classes, hiddens, len(d.X_train))
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


def _train_all(variants, dataset, seeds, progress) -> Comparison:
    """Train every variant with every seed, calling ``progress(fraction, variant, seed, i)``."""
    total = len(variants) * len(seeds)
    state = {"run": 0, "variant": variants[0].name, "seed": seeds[0]}

    def on_run(i, n, variant, seed):
        state.update(run=i, variant=variant.name, seed=seed)
        progress(i / total, state)

    def on_epoch(history):
        done = history.epochs_done / max(history.epochs, 1)
        progress((state["run"] + done) / total, state)

    return compare(list(variants), data.load(dataset), seeds, on_run=on_run, on_epoch=on_epoch)


def run(
    variants: list[Variant], labels: dict[str, str], dataset: str, seeds: tuple[int, ...], tr: Text
) -> ComparisonView | None:
    """Run (or fetch from the cache) the paired comparison of ``variants`` on ``dataset`` with
    every seed, showing progress while it trains; ``labels`` names each variant on screen.

    Returns None when the request is over the work budget (the page has said why).
    """
    if not within_budget(variants, dataset, len(seeds), tr):
        return None
    box = st.empty()
    n = len(variants) * len(seeds)

    def progress(fraction, state):
        text = tr(
            "progress",
            variant=labels.get(state["variant"], state["variant"]),
            seed=state["seed"],
            i=state["run"] + 1,
            n=n,
        )
        box.progress(min(max(fraction, 0.0), 1.0), text=text)

    key = (tuple(variants), dataset, tuple(seeds))
    try:
        comp = _results().get_or_compute(key, lambda: _train_all(*key, progress))
    finally:
        box.empty()
    named = tuple((v.name, labels.get(v.name, v.name)) for v in variants)
    n_classes = data.load(dataset).n_classes
    return ComparisonView(comp, tuple(variants), dataset, tuple(seeds), named, tr, n_classes)
