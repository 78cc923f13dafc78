"""Drawing: chart building, from tidy frames to Vega-Lite specs written as dicts.

One module per job: the pieces every spec is built from (``vegalite``); what every chart of a
page shares, written once: the variants' colours, shapes and dashes, the one variant
encoding, the one legend, which layers a chart draws (``style``); then the builders by
family: quantities against time or a setting (``curves``), against the layer, and the layers'
histograms (``layers``), cells of a grid (``grids``), the figures that explain an idea
(``diagrams``), and the per-epoch charts played in the browser (``playback``). Pure: no
Streamlit, no Altair; these builders know frames, not runs or views.

May import: core, ui.text (and third-party packages).
"""
