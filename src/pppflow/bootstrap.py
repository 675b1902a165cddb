"""The process's wiring for the CLI, the flows and the batch workers: built once per settings."""

from __future__ import annotations

from functools import lru_cache

from pppflow.config import Settings, get_settings
from pppflow.wiring import Wiring, build_wiring


def wiring() -> Wiring:
    """The wiring of the configured settings (`config.get_settings()`), the same object for the same settings."""
    return _wiring_of(get_settings())


@lru_cache(maxsize=4)
def _wiring_of(settings: Settings) -> Wiring:
    return build_wiring(settings)
