"""A comparison as a page shows it: the runs, the variants' settings, their display labels and
the language. Pure (no Streamlit): read-outs and chart functions take a view and nothing else
from the comparison, so a view is the one thing their memo keys need (see :mod:`ui.caches.memo`).

A view is made by :func:`ui.runs.runner.run` and read by the figures of
:mod:`ui.story.figures`: the route of one setting from the sidebar to a chart is written out
in docs/architecture.md ("How ``depth`` reaches a chart").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from core import Comparison, Variant

from ..drawing import style
from ..text.i18n import Text


@dataclass(frozen=True, eq=False)
class ComparisonView:
    """One paired comparison and how the page names it.

    Attributes:
        comp: the finished runs (shared through the run cache: never mutated).
        variants: the variants in page order; dataset and seeds: what they ran on;
            n_classes: the data set's number of classes (chance accuracy is about 1 / n_classes).
        labels: ``(variant name, display label)`` pairs, in the variants' order.
        tr: the interface language.
        summaries: ``{variant name: what the page's summarise function kept of its trained
            network}`` (first seed; see :func:`ui.runs.runner.run`), for the variants that finished.
        among: the labels of every variant the page could show, in the page's order (empty:
            only those shown); a variant's colour is its place in it, so that a lesson showing
            two of a page's variants draws each in the colour the page gives it.

    Two views are equal when they show the same runs with the same labels in the same
    language; that identity is what memoized read-outs and charts are keyed by.
    """

    comp: Comparison
    variants: tuple[Variant, ...]
    dataset: str
    seeds: tuple[int, ...]
    labels: tuple[tuple[str, str], ...]
    tr: Text
    n_classes: int
    summaries: dict = field(default_factory=dict)
    among: tuple[str, ...] = ()
    #: What :meth:`derived` has computed from this view.
    _derived: dict = field(default_factory=dict, init=False, repr=False)

    @property
    def identity(self) -> tuple:
        return (self.variants, self.dataset, self.seeds, self.labels, self.tr.lang, self.among)

    def __eq__(self, other) -> bool:
        return isinstance(other, ComparisonView) and other.identity == self.identity

    def __hash__(self) -> int:
        return hash(self.identity)

    def label(self, name: str) -> str:
        """The display label of variant ``name``."""
        return dict(self.labels).get(name, name)

    def variant(self, name: str) -> Variant:
        return next(v for v in self.variants if v.name == name)

    def labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its variant names replaced by display labels (runs are cached by
        name, so switching the language relabels instead of retraining)."""
        names = dict(self.labels)
        return frame.assign(variant=frame["variant"].map(lambda v: names.get(v, v)))

    @cached_property
    def scale(self) -> style.VariantScale:
        """One colour per variant, the same in every chart of the page (shapes and dash
        patterns follow its domain, see :mod:`ui.drawing.style`)."""
        return style.variant_colors([label for _, label in self.labels], list(self.among))

    @property
    def last_epoch(self) -> int:
        layers = self.comp.layers
        return int(layers["epoch"].max()) if len(layers) else 0

    def layers(self, epoch: int | None = None, output: bool = True) -> pd.DataFrame:
        """Per-layer statistics (all epochs, or one); ``output=False`` drops the output layer,
        which the engine marks in column ``is_output``. Selected anew on each call: a view
        outlives its page run as the key of memoized results (:mod:`ui.caches.memo`), so what it keeps
        should be small; the read-outs keep their per-variant results (:meth:`derived`)."""
        frame = self.comp.layers
        if epoch is not None:
            frame = frame[frame["epoch"] == epoch]
        if not output:
            frame = frame[~frame["is_output"]]
        return frame

    def derived(self, fn, *args):
        """``fn(self, *args)``, computed once per view: the read-outs ask for the same
        measurements many times (a page's claims, read-outs and questions). ``fn`` must be a
        pure function of the view and ``args``; the result is shared: do not change it. It is
        kept as long as the view, so it should be small (a value per variant, not a frame)."""
        key = (fn, *args)
        if key not in self._derived:
            self._derived[key] = fn(self, *args)
        return self._derived[key]

    @property
    def top_hidden(self) -> int:
        """The number of the last hidden Dense layer (the output layer is one above it)."""
        return len(self.variants[0].model.hidden)

    def epochs_done(self, name: str) -> int:
        """The last epoch recorded by variant ``name`` (its first seed)."""
        return next(h.epochs_done for (v, _), h in self.comp.runs.items() if v == name)
