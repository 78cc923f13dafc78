"""Gradient Lab: the router. Page config, the shared sidebar, navigation, the URL."""

import os

# One BLAS thread, set before NumPy first loads (a variable already set wins): the networks are
# small, and OpenBLAS's second thread spins on a core that the other visitors, the training
# worker and the browser need (the training benchmark ran 1.4x slower with two on a busy
# 2-core machine).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from ui import params, questions, runner, shell, technique, url_state  # noqa: E402

st.set_page_config(page_title="Gradient Lab", page_icon="📉", layout="wide")
url_state.begin_run()
technique.begin_run()
runner.begin_run()
share_box = url_state.share_box()  # first in the sidebar, filled in last
tr, training_box = shell.sidebar()
notes_box = st.container()
url_state.bind(params.LESSON)  # no widget: a lesson comes from its link
url_state.bind(params.ASK)
lesson = url_state.value(params.LESSON)

pages = {
    tr("nav_start"): [
        st.Page(
            "app_pages/overview.py",
            title=tr("page_overview"),
            icon=":material/trending_down:",
            url_path="overview",
            default=True,
        ),
    ],
    tr("nav_techniques"): [
        st.Page(
            "app_pages/initialization.py",
            title=tr("page_init"),
            icon=":material/casino:",
            url_path="initialization",
        ),
        st.Page(
            "app_pages/activations.py",
            title=tr("page_activations"),
            icon=":material/show_chart:",
            url_path="activations",
        ),
        st.Page(
            "app_pages/batch_normalization.py",
            title=tr("page_batchnorm"),
            icon=":material/equalizer:",
            url_path="batch-normalization",
        ),
        st.Page(
            "app_pages/gradient_clipping.py",
            title=tr("page_clipping"),
            icon=":material/content_cut:",
            url_path="gradient-clipping",
        ),
    ],
    tr("nav_experiment"): [
        st.Page(
            "app_pages/lab.py", title=tr("page_lab"), icon=":material/biotech:", url_path="lab"
        ),
    ],
}
page = st.navigation(pages)
questions.begin_run(lesson, url_state.value(params.ASK), page.url_path)
if lesson != "none":
    questions.banner(tr, lesson)
shell.training_controls(training_box, tr, shown=page.url_path != "lab")
page.run()
url_state.end_run(notes_box, share_box, page.url_path, tr)
