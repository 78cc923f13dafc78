"""Story: what a run shows and what it teaches.

One module per job, none of them importing Streamlit:

- ``view``: the view of a comparison the pages hold (``ComparisonView``), the one thing the
  others take;
- ``measure`` and ``measure_training``: measurements read from a view, at initialization and
  over training, each verdict word read from the numbers; and what a run keeps of its networks;
- ``readouts``: the lines under a comparison, one per variant;
- ``claims``: every measured sentence (``Claim``: its predicate, the values it quotes, its text
  keys), said only when its predicate holds, with its predicates by topic in ``claims_init``,
  ``claims_bn`` and ``claims_clip``;
- ``figures``: one function per figure from a view to a chart; ``ideas``: the figures that
  explain an idea from the engine's functions alone, without a run;
- ``lessons``: the workshop lessons, each a ``Lesson`` carrying its link, its questions and its
  claims; ``questions``: the question catalogue, options and answers (the Streamlit form that
  asks them is ``ui.page.quiz``); ``keys``: the catalogue keys named after them.

Imports run one way inside: view ← measure ← measure_training ← readouts ← claims_* ← claims
← lessons, and questions (measure, readouts) ← lessons.

May import: core, ui.drawing, ui.caches, ui.text (and third-party packages).
It imports ``ui.drawing`` because a view names its variants' colours and a figure hands its
frames to a chart builder, and ``ui.caches`` for the data sets a figure draws over.
"""
