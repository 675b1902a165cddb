"""Generate the agreements of many partnerships in parallel processes, one per core.

Each worker process wires its own database engine, renderer and document store from the settings (a process
pool cannot share them), so this module imports `pppflow.bootstrap` inside the worker.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context


@dataclass(frozen=True)
class BatchResult:
    ref: str
    version: int | None
    created: bool
    error: str | None = None


def _generate_one(ref: str, actor: str, now: datetime) -> BatchResult:
    from pppflow import bootstrap
    from pppflow.errors import PppflowError
    from pppflow.services.agreements import generate_agreement

    try:
        g = generate_agreement(ref, uow_factory=bootstrap.unit_of_work, renderer=bootstrap.agreement_renderer(),
                               store=bootstrap.document_store(), lifecycles=bootstrap.lifecycles(),
                               actor=actor, now=now)
    except PppflowError as exc:
        return BatchResult(ref, None, False, exc.message)
    return BatchResult(ref, g.version.number, g.created)


def generate_many(refs: Iterable[str], *, actor: str, now: datetime, workers: int | None = None,
                  on_done: Callable[[BatchResult], None] | None = None) -> list[BatchResult]:
    """Generate an agreement for every ref; failures are reported per partnership, not raised."""
    refs = list(refs)
    workers = max(1, min(workers or os.cpu_count() or 1, len(refs) or 1))
    results: list[BatchResult] = []
    if workers == 1:
        for ref in refs:
            results.append(_generate_one(ref, actor, now))
            if on_done:
                on_done(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(_generate_one, ref, actor, now) for ref in refs]
        for future in as_completed(futures):
            results.append(future.result())
            if on_done:
                on_done(results[-1])
    return sorted(results, key=lambda r: r.ref)
