"""``BoundedCache``: the one least-recently-used map every per-process cache here is made of.

Used for what a batch meets again and again (the template's parts, fonts, style resolutions,
the user's official logo): bounded by a number of entries, safe to share between threads.
``get_or_compute`` computes a missing value outside the lock, so two threads may both compute
it and the last one stored wins: harmless for the immutable or equivalent values kept here.

>>> cache = BoundedCache[str, int](2)
>>> cache.put("a", 1); cache.put("b", 2); cache.get("a"); cache.put("c", 3)
1
>>> cache.get("b") is None, cache.get("a"), cache.get("c")
(True, 1, 3)
>>> cache.get_or_compute("d", lambda: 4), cache.get_or_compute("d", lambda: 5)
(4, 4)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

__all__ = ["BoundedCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A dictionary keeping its ``size`` most recently used entries (safe across threads)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        """Return the value of ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, forgetting the least recently used entry if full."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """Return the value kept for ``key``, computing and keeping it when there is none."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def values(self) -> list[V]:
        """Return the values kept, least recently used first."""
        with self._lock:
            return list(self._entries.values())

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
