"""A small bounded cache shared by all sessions, computing each key once.

``st.cache_data`` replays the elements a cached function draws, which rules out a progress
bar inside it; this cache lets the caller draw progress while it computes. When 30 students
open the same link at once, the first computes and the others wait for its result instead of
training the same networks 30 times. Values are shared: callers must not mutate them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class BoundedCache:
    """Least-recently-used cache of at most ``max_entries`` values."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def get_or_compute(self, key: Hashable, compute: Callable[[], object]):
        """The cached value of ``key``, computing it (once, even under concurrency) if absent.
        An exception in ``compute`` is raised to its caller and nothing is stored."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:  # computed by another session while we waited
                    self._values.move_to_end(key)
                    return self._values[key]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._key_locks.pop(key, None)
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
            return value
