"""Reads that build tens of thousands of small objects at once (a portfolio's health) with Python's cyclic
garbage collector paused.

Those objects hold no reference cycles, but every few hundred allocations the collector runs, and its full
passes walk the whole heap: measured on 10,000 partnerships, they cost more than the scoring itself. Reference
counting still frees everything; the collector runs as usual once the last such read in the process ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0      # blocks running now, in any thread
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; nested or concurrent blocks (web threads) resume it once, at the end
    of the last. A collector that was already off stays off."""
    global _active, _resume
    with _lock:
        if _active == 0:
            _resume = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _resume:
                gc.enable()
