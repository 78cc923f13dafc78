"""The data sets, read once per server process and shared read-only by every session.

Kept by this module rather than ``st.cache_resource``, which any client can empty with a
"clear cache" message. :data:`STORE` measures what it holds, which the server's memory bound
counts (:func:`ui.runs.shared.held_bytes`)."""

from __future__ import annotations

from core import datasets

from .cache import BoundedCache

#: The data split is the same for every run: the seed changes weights, batches and probe.
DATA_SEED = 0
#: The data sets loaded, the least recently used dropped beyond four.
STORE = BoundedCache(4)


def load(name: str) -> datasets.Dataset:
    """The standardised, split data set ``name`` (read once, even under concurrency)."""
    return STORE.get_or_compute(name, lambda: datasets.load(name, seed=DATA_SEED))
