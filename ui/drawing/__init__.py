"""Drawing: chart building, from tidy frames to Altair charts and Vega-Lite specs.

DataFrame -> chart builders with the colours, shapes and dashes of each variant (``charts``),
Vega-Lite pieces written as dicts (``vegalite``), and the per-epoch charts played in the
browser (``playback``). Pure: no Streamlit; these builders know frames, not runs or views.

May import: core, ui.text (and third-party packages).
"""
