"""Claims about gradient clipping: the predicates and the numbers their sentences quote, for
the claims of :data:`ui.story.claims.CLAIMS` that the gradient-clipping page states (clipping
keeps a run finite, the norm methods at a low threshold rescale every step, a spike blows up an
unclipped run, clipping by global norm as a guard against spikes).

Pure Python; each predicate takes the view and reads the steps' measurements of
:mod:`ui.story.measure_training`.
"""

from __future__ import annotations

import math

from core.clipping import SPIKE_FACTOR, SPIKE_WINDOW

from ..text.format import percent, power_of_ten
from .measure_training import (
    ALWAYS_CLIPPED,
    clip_band,
    clip_statistics,
    clipped_by,
    clipped_spikes,
    last_spike,
    progress,
    step_spikes,
)
from .readouts import outcome, run_outcome


def keeps_finite(view) -> bool:
    """The unclipped run diverged and every clipped one finished."""
    stats = clip_statistics(view)
    clipped = stats[stats["method"] != "none"]
    unclipped = stats[stats["method"] == "none"]
    return bool(unclipped["diverged"].all()) and len(clipped) > 0 and not clipped["diverged"].any()


def norm_always(view) -> bool:
    """Every norm method shown (per tensor, global) clipped at least :data:`ALWAYS_CLIPPED` of
    the steps: at this threshold it rescales every update."""
    stats = clip_statistics(view)
    norms = stats[stats["method"].isin(["norm", "global_norm"])]
    return len(norms) > 0 and bool((norms["share_clipped"] >= ALWAYS_CLIPPED).all())


def spikes_fail(view) -> bool:
    """The unclipped run diverged or collapsed, and it spiked (a step over SPIKE_FACTOR times
    the median of the steps before it) before its last finite step."""
    name = clipped_by(view, "none")
    if name is None or progress(view, name) not in ("diverged", "collapsed"):
        return False
    steps = step_spikes(view, name)
    finite = steps[steps["grad_norm"].map(math.isfinite)]
    return bool(finite["spike"].iloc[:-1].any()) if len(finite) > 1 else False


def spikes_fail_values(view) -> dict:
    name = clipped_by(view, "none")
    out = {"k": f"{SPIKE_FACTOR:g}", "window": SPIKE_WINDOW, "outcome": "–", "before": 0,
           "norm": "–", "times": "–", "step": 0, "epoch": 0, "run": 0, "largest": "–"}  # fmt: skip
    if name is None:
        return out
    steps = step_spikes(view, name)
    finite = steps[steps["grad_norm"].map(math.isfinite)].reset_index(drop=True)
    start, length = last_spike(finite)
    out["outcome"] = run_outcome(view, name)
    if start < 0:
        return out
    trigger = finite.iloc[start]
    return out | {
        "before": int(finite["spike"].iloc[:start].sum()),
        "norm": power_of_ten(float(trigger["grad_norm"])),
        "times": power_of_ten(float(trigger["ratio"])),
        "step": int(trigger["step"]),
        "epoch": int(trigger["epoch"]),
        "run": length,
        "largest": power_of_ten(float(finite["grad_norm"].iloc[start : start + length].max())),
    }


def guards_spikes(view) -> bool:
    """Global-norm clipping touches under :data:`SPIKES_ONLY` of the steps, at least half of
    the steps it clips are spikes, and it learns while the unclipped run diverged, collapsed
    or ended at least 5 points lower."""
    stats = clip_statistics(view).set_index("method")
    if not {"none", "global_norm"} <= set(stats.index):
        return False
    g, n = stats.loc["global_norm"], stats.loc["none"]
    name = clipped_by(view, "global_norm")
    clipped, spiky = clipped_spikes(view, name)
    failed = progress(view, clipped_by(view, "none")) in ("diverged", "collapsed")
    better = failed or g["accuracy"] > n["accuracy"] + 0.05
    learned = progress(view, name) in ("learning", "plateau")
    return bool(
        clip_band(g["share_clipped"]) == "spikes"
        and clipped > 0
        and spiky >= clipped / 2
        and learned
        and better
    )


def clip_values(view) -> dict:
    """``<method>_acc`` and ``<method>_share`` for each method shown, ``results``: the
    clipped methods' outcomes as one list, the global norm's clipped steps and spikes among
    them, and the unclipped run's outcome."""
    out = {}
    for name, row in clip_statistics(view).iterrows():
        out[f"{row['method']}_acc"] = outcome(view, name)
        out[f"{row['method']}_share"] = percent(row["share_clipped"])
    clipped = [v for v in view.variants if v.train.clip != "none"]
    out["results"] = ", ".join(
        f"{view.tr(f'cl_v_{v.train.clip}')} {outcome(view, v.name)}" for v in clipped
    )
    out["norms"] = ", ".join(
        f"{view.tr(f'cl_v_{v.train.clip}')} {out[f'{v.train.clip}_share']}"
        for v in clipped
        if v.train.clip in ("norm", "global_norm")
    )
    global_norm = clipped_by(view, "global_norm")
    count, spiky = clipped_spikes(view, global_norm) if global_norm else (0, 0)
    none = clipped_by(view, "none")
    out |= {
        "clipped_steps": count,
        "spiky": spiky,
        "k": f"{SPIKE_FACTOR:g}",
        "window": SPIKE_WINDOW,
        "threshold": f"{view.variants[0].train.clip_threshold:g}",
        "none_outcome": run_outcome(view, none) if none else "–",
        "global_outcome": run_outcome(view, global_norm) if global_norm else "–",
    }
    return out
