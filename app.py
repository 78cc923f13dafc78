"""Gradient Lab: the router. Page config, the shared sidebar, navigation, the URL."""

import os

# One BLAS thread, set before NumPy first loads (a variable already set wins): the networks are
# small, and a second OpenBLAS thread spins on a core that other visitors, the training workers
# and the browser need (docs/benchmarks.md has the training benchmark's figures).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

import ui.runs.warmup  # noqa: E402
from ui.page import params, quiz, shell, site, technique, url_state  # noqa: E402
from ui.runs import runner  # noqa: E402
from ui.text.i18n import Text  # noqa: E402

st.set_page_config(page_title="Gradient Lab", page_icon=str(site.ICON), layout="wide")
url_state.begin_run()
technique.begin_run()
runner.begin_run()
ui.runs.warmup.begin()  # the server's warm-up, once: see ui/runs/warmup.py
share_box = url_state.share_box(Text(st.session_state[url_state.bind(params.LANG)]))
tr = shell.language()
settings_box = st.sidebar.container()  # the shared settings, once the page is known
notes_box = st.container()
url_state.bind(params.LESSON)  # no widget: a lesson comes from its link
url_state.bind(params.ASK)
lesson = url_state.value(params.LESSON)

page = site.navigation(tr)
quiz.begin_run(lesson, url_state.value(params.ASK), page.url_path)
if lesson != "none":
    quiz.banner(tr, lesson)
shell.settings(settings_box, page.url_path, tr)
page.run()
url_state.end_run(notes_box, share_box, page.url_path, tr)
