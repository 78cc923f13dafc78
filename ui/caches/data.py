"""The data sets, read once per server process and shared read-only by every session.

Kept by this module rather than ``st.cache_resource``, which any client can empty with a
"clear cache" message."""

from __future__ import annotations

import functools

from core import datasets

#: The data split is the same for every run: the seed changes weights, batches and probe.
DATA_SEED = 0


@functools.lru_cache(maxsize=4)
def load(name: str) -> datasets.Dataset:
    """The standardised, split data set ``name``."""
    return datasets.load(name, seed=DATA_SEED)
