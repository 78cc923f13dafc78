"""Runs: training runs shared by every session, within a budget.

Running a comparison (``runner``: charge, join its shared background run or fetch it from the
shared cache, live charts, a ``ComparisonView``), the comparisons every session shares and
what their workers do (``shared``: the board and its cache of results, training, runs
reused), the background workers and their fair queue (``jobs``), the budget in CPU seconds and bytes (``budget``) of the work the engine does,
counted term by term (``counts``), and the warm-up that fills the caches when the server
starts (``warmup``).

May import: core, ui.story, ui.drawing, ui.caches, ui.text (and third-party packages).
Streamlit may be imported here.
"""
