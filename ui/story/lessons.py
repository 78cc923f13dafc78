"""Workshop lessons: links that set a page to a scenario and say what to notice.

A lesson is an ordinary experiment link plus ``lesson=<name>``, which shows the lesson's title
and what to notice above the page. :data:`LESSONS` is also the lesson plan: in the order a class
takes them, each with the minutes it needs and whether it belongs to the core of a one-hour
class (the lesson plan page, ``app_pages/lessons.py``). A teacher may add ``hide=...`` to show a
class only the controls the lesson needs, e.g. ``&hide=depth,width,optimizer,lr,batch_size``. On
its page a lesson first asks its questions (:class:`Lesson` carries them, from the catalogue
:mod:`ui.story.questions`), unless the link says ``ask=0``.

What the banner says about the run is not canned text: a lesson carries the claims of
:mod:`ui.story.claims` that back it (with the variants they are about), and the banner states each
over the lesson's own run once it is shown, or what was measured instead. Its fixed text only
says what the run compares and where to look.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from .claims import CLAIMS, Claim, Statement
from .keys import TextKey
from .questions import QUESTIONS, Question
from .view import ComparisonView

#: Which variant of the page plays each role of a claim: ``((role, variant name), ...)``.
Roles = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Lesson:
    """One lesson: a link to a page set to a scenario, its questions and its claims.

    Attributes:
        name: the lesson's id, the link's ``lesson=<name>``; its texts are :attr:`title_key`,
            :attr:`notice_key` (what to notice) and :attr:`plan_key` (its lesson-plan entry).
        page: the ``url_path`` of its page; query: the settings its link sets.
        questions: asked before the results, in this order.
        minutes: its time in class (questions, discussion and a look at the charts); core: part
            of a one-hour class (the others fill ninety minutes).
        claims: the claims its banner states over the lesson's run, each with its roles.
        opens: the catalogue key of the chart tab its page opens on, when not the first (the
            chart its notice points to).
    """

    name: str
    page: str
    query: tuple[tuple[str, str], ...]
    questions: tuple[Question, ...]
    minutes: int = 10
    core: bool = True
    claims: tuple[tuple[Claim, Roles], ...] = ()
    opens: str | None = None
    title_key = TextKey("ls_{}")
    notice_key = TextKey("ls_{}_notice")
    plan_key = TextKey("lp_{}")

    @property
    def text_keys(self) -> tuple[str, ...]:
        """Every catalogue key the lesson reads, its questions' and claims' included."""
        own = (self.title_key, self.notice_key, self.plan_key)
        asked = tuple(key for q in self.questions for key in q.text_keys)
        said = tuple(key for c, _ in self.claims for key in (c.said_key, c.measured_key))
        return own + asked + said

    def asked(self, view: ComparisonView) -> list[Question]:
        """The lesson's questions that apply to the variants of ``view``."""
        return [q for q in self.questions if q.asks(view)]

    def statements(self, view: ComparisonView) -> list[Statement]:
        """The lesson's claims, each stated over ``view`` (the lesson's run), leaving out a
        claim about a variant the page does not show (a student may remove one)."""
        names = {v.name for v in view.variants}
        return [
            claim.state(view, **dict(roles))
            for claim, roles in self.claims
            if {variant for _, variant in roles} <= names
        ]

    def link(self, **extra: str) -> str:
        """The lesson's link, relative to the app's root (``activations?acts=...``), so that
        it works wherever the app is served, under a prefix too (``--server.baseUrlPath``);
        every page sits one level below the root. ``extra`` adds query values, e.g. ``lang``."""
        query = dict(self.query) | {"lesson": self.name} | extra
        return f"{self.page}?" + urllib.parse.urlencode(query, safe=",")


def _asks(*keys: str) -> tuple[Question, ...]:
    return tuple(QUESTIONS[key] for key in keys)


def _says(claim: str, **roles: str) -> tuple[Claim, Roles]:
    return CLAIMS[claim], tuple(roles.items())


LESSONS = (
    Lesson(
        "vanishing",
        "activations",
        (("acts", "sigmoid,tanh,relu"), ("act_init", "glorot_uniform")),
        _asks("vanish_most", "best_accuracy"),
        minutes=10,
        claims=(_says("relu_shrinks", relu="relu"),),
    ),
    Lesson(
        "exploding",
        "initialization",
        (("inits", "random_normal,he_normal"),),
        _asks("grows_most", "best_accuracy"),
        minutes=8,
        claims=(
            _says("spread_theory", name="random_normal"),
            _says("training_gap", bad="random_normal", good="he_normal"),
        ),
    ),
    Lesson(
        "he2015",
        "initialization",
        (("depth", "30"), ("inits", "glorot_normal,he_normal")),
        _asks("shrinks_most", "best_accuracy"),
        claims=(
            _says("spread_theory", name="glorot_normal"),
            _says("training_gap", bad="glorot_normal", good="he_normal"),
        ),
    ),
    Lesson(
        "symmetry",
        "initialization",
        (("inits", "zeros,constant,he_normal"),),
        _asks("distinct_after", "zeros_learn"),
        minutes=8,
        core=False,
    ),
    Lesson(
        "selu100",
        "activations",
        (("acts", "selu,relu,tanh"), ("selu", "1")),
        _asks("closest_to_one", "best_accuracy"),
        minutes=8,
        core=False,
        # no banner claim: the banner reads the 10-layer comparison, and the self-normalization
        # claim is stated where it is measured, under the 100-layer check (selu=1)
    ),
    Lesson(
        "bn_rescue",
        "batch-normalization",
        (("bns", "none,before"),),
        _asks("state_without_bn", "best_accuracy"),
    ),
    Lesson(
        "bn_placement",
        "batch-normalization",
        (
            ("bns", "before,after"),
            ("bn_activation", "relu"),
            ("bn_init", "he_normal"),
            ("fold", "1"),
        ),
        _asks("placement_best"),
        core=False,
        opens="tab_curves",
    ),
    Lesson(
        "clipping",
        "gradient-clipping",
        (("clip_sweep", "1"),),
        _asks("outcome_unclipped", "turns_most"),
    ),
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
        _asks("outcome_unclipped", "share_clipped"),
        minutes=8,
        core=False,
        opens="cl_tab_steps",
    ),
)
BY_NAME = {lesson.name: lesson for lesson in LESSONS}
NAMES = tuple(BY_NAME)
