"""A small cache shared by all sessions, bounded by entries and by bytes.

Values are shared: callers must not mutate them. When a value is larger than the whole cache
it is returned but not kept. Sizes are measured once, when a value is stored (:func:`nbytes`),
bound or not, so that :attr:`BoundedCache.total_bytes` says what the cache holds.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np
import pandas as pd


def nbytes(value, _seen: set[int] | None = None) -> int:
    """Approximate bytes held by ``value``: arrays and frames by their buffers, containers by
    their items, other objects by their attributes; each object counted once."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, pd.DataFrame | pd.Series):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, dict):
        items = (x for kv in value.items() for x in kv)
        return sys.getsizeof(value) + sum(nbytes(x, seen) for x in items)
    if isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + sum(nbytes(x, seen) for x in value)
    if hasattr(value, "__dict__"):
        return sys.getsizeof(value) + nbytes(vars(value), seen)
    return sys.getsizeof(value)


class BoundedCache:
    """Least-recently-used cache of at most ``max_entries`` values and ``max_bytes`` bytes."""

    def __init__(self, max_entries: int, max_bytes: int | None = None):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._values: OrderedDict = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    @property
    def total_bytes(self) -> int:
        with self._lock:
            return sum(self._sizes.values())

    def get(self, key: Hashable, default=None):
        with self._lock:
            if key not in self._values:
                return default
            self._values.move_to_end(key)
            return self._values[key]

    def items(self) -> list[tuple[Hashable, object]]:
        """Every key and value held, least recently used first (reading them does not count as
        a use)."""
        with self._lock:
            return list(self._values.items())

    def clear(self) -> None:
        """Forget every value (a benchmark's fresh start; no visitor can call it)."""
        with self._lock:
            self._values.clear()
            self._sizes.clear()

    def put(self, key: Hashable, value) -> None:
        """Store ``value`` (evicting the least recently used), unless it alone is too large."""
        size = nbytes(value)
        if self.max_bytes is not None and size > self.max_bytes:
            return
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            self._sizes[key] = size
            while len(self._values) > self.max_entries or (
                self.max_bytes is not None and sum(self._sizes.values()) > self.max_bytes
            ):
                old, _ = self._values.popitem(last=False)
                del self._sizes[old]

    def get_or_compute(self, key: Hashable, compute: Callable[[], object]):
        """The cached value of ``key``, computing it (once, even under concurrency) if absent.
        An exception in ``compute`` is raised to its caller and nothing is stored."""
        missing = object()
        value = self.get(key, missing)
        if value is not missing:
            return value
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            value = self.get(key, missing)  # computed by another session while we waited
            if value is not missing:
                return value
            try:
                value = compute()
            finally:
                with self._lock:
                    self._key_locks.pop(key, None)
            self.put(key, value)
            return value
