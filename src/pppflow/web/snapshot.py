"""What the pages keep between requests: the dashboard's snapshot, and the partnership pages' content.

The dashboard's snapshot is recomputed at most every few seconds, and after every change made here.

The dashboard aggregates the whole portfolio (about 20 ms of SQL at 10,000 partnerships); twenty people
looking at it need not each pay for it. A change made through this process (any POST, PUT, PATCH or DELETE)
expires the snapshot at once; a change made elsewhere (the CLI, another worker, the reminder jobs) shows
within `ttl` seconds. A partnership page's content is kept under a key that holds the partnership's stamp (see
`Recent`), so a change made anywhere shows at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
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


class Recent(Generic[T]):
    """The `size` most recently used values by key (least recently used dropped first); thread-safe.

    For values whose key says when they are stale (the partnership page's content is keyed by the partnership's
    stamp, the day and the role), so nothing needs expiring: a stale key is simply never asked for again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
