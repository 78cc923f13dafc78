"""Gradient Lab as a hosted server: ``streamlit run streamlit_app.py``.

It serves app.py (the router, which ``streamlit run app.py`` serves as well) through
``st.App``, whose lifespan starts the warm-up (ui/runs/warmup.py) as soon as the server has
started, before anyone connects: under ``streamlit run app.py`` Streamlit runs no app code until
the first session connects, so the warm-up starts with that first visit instead.
"""

import os

# One BLAS thread, as app.py sets it, but here before anything loads NumPy: this module is
# imported when the server starts, before app.py first runs.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from ui.runs import warmup  # noqa: E402

app = st.App("app.py", lifespan=warmup.lifespan)
