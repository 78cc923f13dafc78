"""The data sets, read once per server and shared read-only by every session."""

from __future__ import annotations

import streamlit as st

from core import datasets

#: The data split is the same for every run: the seed changes weights, batches and probe.
DATA_SEED = 0


@st.cache_resource(max_entries=4, show_spinner=False)
def load(name: str) -> datasets.Dataset:
    """The standardised, split data set ``name``."""
    return datasets.load(name, seed=DATA_SEED)
