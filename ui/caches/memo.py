"""Work done once per server: read-outs, frames and chart specs, keyed by what they read.

A result is named by a module-level function and its arguments, ``memo(fn, *args)``, and its
key is exactly ``(fn, *args)``. A chart is drawn the same way, ``chart(where, fn, *args)``,
where ``fn(*args)`` returns a Vega-Lite spec dict, built once per key (a chart carries its
data, and a rerun should not pay for it again).

The store lives in this module, once per server process: not in ``st.cache_resource``, which any
client can empty with a "clear cache" message, and every session would pay again.

Because the key is the function and its arguments, everything a result reads is in its key.
A lambda or a nested function could also read variables of its surroundings that the key
does not hold, and show a stale chart; such functions are refused. Arguments must be hashable:
pass a :class:`ui.story.view.ComparisonView` (hashed by the run, its labels and its language), not
its frames.
"""

from __future__ import annotations

from collections.abc import Callable

from .cache import BoundedCache

#: Results kept: enough for every chart of a few pages in both languages, within a size.
MEMO_ENTRIES = 256
MEMO_BYTES = 96 * 2**20
#: Memoized results, shared by every session of this server (read-only once stored).
STORE = BoundedCache(MEMO_ENTRIES, MEMO_BYTES)


def key_of(fn: Callable, args: tuple) -> tuple:
    """The memo key of ``fn(*args)``; ValueError for a function that could read more than its
    arguments (a lambda, a nested function, or one defined in a page script)."""
    where = f"{fn.__module__}.{fn.__qualname__}"
    if "<" in fn.__qualname__ or fn.__module__ == "__main__":
        raise ValueError(f"memoize module-level functions of ui/ or core/ only, not {where}")
    return (where, *args)


def memo(fn: Callable, *args):
    """``fn(*args)``, computed once per server for these arguments."""
    return STORE.get_or_compute(key_of(fn, args), lambda: fn(*args))


def spec(fn: Callable, *args) -> dict:
    """The Vega-Lite spec of the chart ``fn(*args)``: the dict a builder of :mod:`ui.drawing`
    returns; TypeError for anything else (a chart object would have to be converted on every
    draw)."""
    chart = fn(*args)
    if not isinstance(chart, dict):
        raise TypeError(f"{fn.__qualname__} should return a Vega-Lite dict, not {type(chart)}")
    return chart


def chart(where, fn: Callable, *args, **kwargs) -> None:
    """Draw the chart ``fn(*args)`` in ``where`` (``st`` or a column); ``kwargs`` go to
    ``st.vega_lite_chart`` (e.g. ``width="stretch"``)."""
    key_of(fn, args)  # refuse a closure before computing anything
    where.vega_lite_chart(memo(spec, fn, *args), **kwargs)
