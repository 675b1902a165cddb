"""Generate the agreements of many partnerships in parallel processes, one per core.

A process pool cannot share a database engine, a renderer or a document store, so each worker builds its own
from `wiring`, a function the caller passes (it must be importable by name: the workers are spawned). A worker is
made ready before it takes work (the pool initializer: adapters built, templates compiled, the PDF renderer's
process started with WeasyPrint imported), and takes one partnership at a time, so no worker idles while another
still has a queue.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from typing import Any, Protocol

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.agreements import AgreementRenderer
from pppflow.adapters.documents.store import DocumentStore
from pppflow.adapters.workflow_files import LifecycleRegistry


class AgreementAdapters(Protocol):
    """What generating an agreement acts through (a `Wiring` has these)."""

    @property
    def uow_factory(self) -> Callable[[], UnitOfWork]: ...
    @property
    def renderer(self) -> AgreementRenderer: ...
    @property
    def store(self) -> DocumentStore: ...
    @property
    def lifecycles(self) -> LifecycleRegistry: ...


@dataclass(frozen=True)
class BatchResult:
    ref: str
    version: int | None
    created: bool
    error: str | None = None


_adapters: AgreementAdapters | None = None  # the worker process's own, built by `_start_worker`


def _start_worker(wiring: Callable[[], AgreementAdapters]) -> None:
    """Pool initializer: build the adapters and warm what every agreement needs before the first one."""
    global _adapters
    _adapters = wiring()
    _ = _adapters.lifecycles  # the workflow definitions, loaded now
    warm_up = getattr(_adapters.renderer, "warm_up", None)
    if warm_up is not None:
        warm_up()


def _generate_in_worker(ref: str, actor: str, now: datetime) -> BatchResult:
    assert _adapters is not None, "the pool initializer builds the adapters"
    return _generate_one(ref, _adapters, actor, now)


def _generate_one(ref: str, adapters: AgreementAdapters, actor: str, now: datetime) -> BatchResult:
    from pppflow.errors import PppflowError
    from pppflow.services.agreements import generate_agreement

    try:
        g = generate_agreement(ref, uow_factory=adapters.uow_factory, renderer=adapters.renderer,
                               store=adapters.store, lifecycles=adapters.lifecycles, actor=actor, now=now)
    except PppflowError as exc:
        return BatchResult(ref, None, False, exc.message)
    return BatchResult(ref, g.version.number, g.created)


def generate_many(refs: Iterable[str], *, wiring: Callable[[], AgreementAdapters], actor: str, now: datetime,
                  workers: int | None = None, on_done: Callable[[BatchResult], None] | None = None,
                  size: Callable[[str], int] | None = None) -> list[BatchResult]:
    """Generate an agreement for every ref; failures are reported per partnership, not raised.

    `size` (optional) says how big a partnership's agreement is: the biggest are handed out first, so the last
    one to finish is a small one."""
    refs = sorted(refs, key=size, reverse=True) if size else list(refs)
    workers = max(1, min(workers or os.cpu_count() or 1, len(refs) or 1))
    results: list[BatchResult] = []
    if workers == 1:
        adapters = wiring()
        for ref in refs:
            results.append(_generate_one(ref, adapters, actor, now))
            if on_done:
                on_done(results[-1])
        return results
    args: list[Any] = [(ref, actor, now) for ref in refs]
    with get_context("spawn").Pool(workers, initializer=_start_worker, initargs=(wiring,)) as pool:
        for result in pool.imap_unordered(_star_generate, args, chunksize=1):
            results.append(result)
            if on_done:
                on_done(result)
    return sorted(results, key=lambda r: r.ref)


def _star_generate(args: tuple[str, str, datetime]) -> BatchResult:
    return _generate_in_worker(*args)
