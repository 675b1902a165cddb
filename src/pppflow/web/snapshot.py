"""The portfolio dashboard's snapshot: recomputed at most every few seconds, and after every change made here.

The dashboard aggregates the whole portfolio (about 20 ms of SQL at 10,000 partnerships); twenty people
looking at it need not each pay for it. A change made through this process (any POST, PUT, PATCH or DELETE)
expires the snapshot at once; a change made elsewhere (the CLI, another worker, the reminder jobs) shows
within `ttl` seconds. The partnership page is never cached.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Snapshot(Generic[T]):
    """Values by key, each kept for `ttl` seconds unless `expire()` is called."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._values: dict[Hashable, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = self.clock()
        with self._lock:
            found = self._values.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = compute()
        with self._lock:
            self._values[key] = (now + self.ttl, value)
        return value

    def expire(self) -> None:
        with self._lock:
            self._values.clear()
