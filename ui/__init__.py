"""Streamlit and Altair glue between the pages and the engine, in rooms with one job each.

From top to bottom; a room imports only rooms below it (the one list of allowed edges is
``tests/test_rooms.py``, and each room's docstring repeats its own):

- ``ui.page``: what pages draw with (sidebar, URL state, parameters, the technique frame,
  the questions form, navigation, export).
- ``ui.runs``: training runs shared by sessions (runner, background jobs, budget, warm-up).
- ``ui.story``: what a run shows and teaches (view, measurements, claims, figures, lessons,
  questions).
- ``ui.drawing``: chart building (frames to Vega-Lite specs written as dicts).
- ``ui.caches``: what the server keeps once per process (bounded cache, memo, data sets).
- ``ui.text``: interface text (catalogues, lookup, Korean particles, labels, formats).

``ui.caches`` and ``ui.text`` import no other room; only ``ui.runs`` and ``ui.page`` import
Streamlit.
"""
