"""Runs: training runs shared by every session, within a budget.

Running a comparison (``runner``: charge, train in a shared background run or fetch from the
shared cache, live charts, a ``ComparisonView``), the background workers and their fair queue
(``jobs``), the budget in CPU seconds and bytes (``budget``) of the work the engine does,
counted term by term (``counts``), and the warm-up that fills the caches when the server
starts (``warmup``).

May import: core, ui.story, ui.drawing, ui.caches, ui.text (and third-party packages).
Streamlit may be imported here.
"""
