"""Gradient Lab as a hosted server: ``streamlit run streamlit_app.py``.

It serves app.py (the router, which ``streamlit run app.py`` serves as well) through
``st.App``, whose lifespan starts the warm-up (ui/runs/warmup.py) as soon as the server has
started, before anyone connects: under ``streamlit run app.py`` Streamlit runs no app code until
the first session connects, so the warm-up starts with that first visit instead. Its middleware
tells the browser where the server's root is (ui/page/server_root.py), so that a page other
than the overview connects without a failed first try.
"""

import os

# One BLAS thread, as app.py sets it, but here before anything loads NumPy: this module is
# imported when the server starts, before app.py first runs.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from ui.page.server_root import ServerRootHint  # noqa: E402
from ui.runs import warmup  # noqa: E402

app = st.App("app.py", lifespan=warmup.lifespan, middleware=[Middleware(ServerRootHint)])
