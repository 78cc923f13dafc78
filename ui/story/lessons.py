"""Workshop lessons: links that set a page to a scenario and say what to notice.

A lesson is an ordinary experiment link plus ``lesson=<name>``, which shows the lesson's title
and what to notice above the page. :data:`LESSONS` is also the lesson plan: in the order a class
takes them, each with the minutes it needs and whether it belongs to the core of a one-hour
class (the lesson plan page, ``app_pages/lessons.py``). A teacher may add ``hide=...`` to show a class only the
controls the lesson needs, e.g. ``&hide=depth,width,optimizer,lr,batch_size``. On its page a
lesson first asks its questions (:mod:`ui.story.questions`), unless the link says ``ask=0``.

What the banner says about the run is not canned text: a lesson names the claims of
:mod:`ui.story.claims` that back it (with the variants they are about), and the banner states each
over the lesson's own run once it is shown, or what was measured instead. Its fixed text only
says what the run compares and where to look.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    name: str
    page: str  # url_path of the page
    query: tuple[tuple[str, str], ...]
    minutes: int = 10  # in class: questions, discussion and a look at the charts
    core: bool = True  # part of a one-hour class; the others fill ninety minutes
    #: ``(claim name, ((role, variant name), ...))`` the banner states over the lesson's run
    claims: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def link(self, **extra: str) -> str:
        """The lesson's link, relative to the app's root (``activations?acts=...``), so that
        it works wherever the app is served, under a prefix too (``--server.baseUrlPath``);
        every page sits one level below the root. ``extra`` adds query values, e.g. ``lang``."""
        query = dict(self.query) | {"lesson": self.name} | extra
        return f"{self.page}?" + urllib.parse.urlencode(query, safe=",")


LESSONS = (
    Lesson(
        "vanishing",
        "activations",
        (("acts", "sigmoid,tanh,relu"), ("act_init", "glorot_uniform")),
        minutes=10,
        claims=(("relu_shrinks", (("relu", "relu"),)),),
    ),
    Lesson(
        "exploding",
        "initialization",
        (("inits", "random_normal,he_normal"),),
        minutes=8,
        claims=(
            ("spread_theory", (("name", "random_normal"),)),
            ("training_gap", (("bad", "random_normal"), ("good", "he_normal"))),
        ),
    ),
    Lesson(
        "he2015",
        "initialization",
        (("depth", "30"), ("inits", "glorot_normal,he_normal")),
        claims=(
            ("spread_theory", (("name", "glorot_normal"),)),
            ("training_gap", (("bad", "glorot_normal"), ("good", "he_normal"))),
        ),
    ),
    Lesson(
        "symmetry",
        "initialization",
        (("inits", "zeros,constant,he_normal"),),
        minutes=8,
        core=False,
    ),
    Lesson(
        "selu100",
        "activations",
        (("acts", "selu,relu,tanh"), ("selu", "1")),
        minutes=8,
        core=False,
        # no banner claim: the banner reads the 10-layer comparison, and the self-normalization
        # claim is stated where it is measured, under the 100-layer check (selu=1)
    ),
    Lesson("bn_rescue", "batch-normalization", (("bns", "none,before"),)),
    Lesson(
        "bn_placement",
        "batch-normalization",
        (
            ("bns", "before,after"),
            ("bn_activation", "relu"),
            ("bn_init", "he_normal"),
            ("fold", "1"),
        ),
        core=False,
    ),
    Lesson("clipping", "gradient-clipping", (("clip_sweep", "1"),)),
    Lesson(
        "clipping_spikes",
        "gradient-clipping",
        (
            ("lr", "0.2"),
            ("batch_size", "16"),
            ("epochs", "20"),
            ("clip_init", "he_normal"),
            ("clip_threshold", "10"),
            ("clips", "none,global_norm"),
        ),
        minutes=8,
        core=False,
    ),
)
BY_NAME = {lesson.name: lesson for lesson in LESSONS}
NAMES = tuple(BY_NAME)
