"""A lesson whose story turns on a divergence tells the same story whatever the BLAS threads.

A run at the edge of stability can tip over or not on the last bits of a sum, and how a BLAS
library splits a product among threads changes those bits. The tests run with one thread
(tests/conftest.py, as the app's server does); here the lessons whose outcome is a divergence
run again in a process of their own with two, on every seed of test_claims.LESSON_SEEDS, and
must state the same claims, all held, and mark the same answers. The one-thread side is the
run test_claims reads (shared, see apptest_helpers.shared_answers). Marked ``slow``: the
child trains every one of these runs again; the quick loop leaves it out, CI runs it.
"""

import json
import os
import subprocess
import sys

import pytest
from apptest_helpers import shared_answers
from conftest import BLAS_THREADS, ROOT
from test_claims import LESSON_SEEDS, links

from ui.page import quiz
from ui.page.quiz import STATED

#: The lessons whose unclipped or naive run diverges.
DIVERGING = ("exploding", "clipping", "clipping_spikes")


def lesson_link(name: str, seed: int) -> tuple[str, dict]:
    """The page and query of lesson ``name``'s link on ``seed``, as test_claims opens it."""
    return next(
        (page, query)
        for page, query in links()
        if query.get("lesson") == name and int(query.get("seed", LESSON_SEEDS[0])) == seed
    )


def lesson_outcome(name: str, seed: int) -> dict:
    """What lesson ``name`` states and answers on ``seed``: its claims (name, held) and, per
    question, the correct options, from a run of its page with every question answered."""
    page, query = lesson_link(name, seed)
    at = shared_answers(page, **query).at
    assert not at.exception
    return {
        "stated": sorted(map(list, at.session_state[STATED])),
        "answers": {key: list(correct) for _, key, correct, *_ in at.session_state[quiz.REVEALED]},
    }


def outcomes() -> dict:
    return {
        f"{name} {seed}": lesson_outcome(name, seed) for name in DIVERGING for seed in LESSON_SEEDS
    }


#: Run in the child process: every diverging lesson on every seed, as JSON on the last line.
CHILD = (
    "import json, sys; sys.path[:0] = ['tests', '.']; import conftest, test_lesson_seeds as t; "
    "print(json.dumps(t.outcomes()))"
)


@pytest.fixture(scope="module")
def with_two_threads():
    env = os.environ | {name: "2" for name in BLAS_THREADS}
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("seed", LESSON_SEEDS)
@pytest.mark.parametrize("name", DIVERGING)
def test_a_diverging_lesson_tells_the_same_story_with_two_blas_threads(
    name, seed, with_two_threads
):
    one = lesson_outcome(name, seed)
    two = with_two_threads[f"{name} {seed}"]
    assert one["stated"] and all(held for _, held in one["stated"])
    assert two == one
