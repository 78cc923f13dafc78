"""Story: what a run shows and what it teaches.

The view of a comparison the pages hold (``view.ComparisonView``), measurements kept instead of
networks (``measure``), every measured sentence with the predicate that backs it (``claims``),
one function per figure from a view to a chart (``figures``), the workshop lessons
(``lessons``) and their questions, options and answers (``questions``; the Streamlit form that
asks them is ``ui.page.quiz``). Pure: no Streamlit.

May import: core, ui.drawing, ui.caches, ui.text (and third-party packages).
It imports ``ui.drawing`` because a view names its variants' colours and a figure hands its
frames to a chart builder, and ``ui.caches`` for the data sets a figure draws over.
"""
