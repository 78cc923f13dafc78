"""The data sets, read once per server process and shared read-only by every session.

A data set is asked for by its id: its name (``"digits"``), standardised as every page trains
on it, or :func:`raw_id` of its name (``"breast_cancer:raw"``) for its raw feature values, on
which the batch-normalization page shows what an input BN layer does. Everything keyed by a
data set (the shared runs and their cache, :mod:`ui.runs.runner`) is keyed by its id, so that
a run on raw features is never taken for one on standardised features.

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


#: What :func:`raw_id` appends to a data set's name.
RAW = ":raw"


def raw_id(name: str) -> str:
    """The id of data set ``name`` with its raw feature values (see :func:`load`)."""
    return name + RAW


def load(name: str, standardize: bool = True) -> datasets.Dataset:
    """The split data set ``name`` (an id: a name, or :func:`raw_id` of one), standardised
    unless ``standardize`` is False or the id asks for raw values; read once per
    ``(name, standardize)``, even under concurrency. Every version has the same split."""
    if name.endswith(RAW):
        name, standardize = name[: -len(RAW)], False
    standardize = bool(standardize)
    return STORE.get_or_compute(
        (name, standardize),
        lambda: datasets.load(name, seed=DATA_SEED, standardize=standardize),
    )
