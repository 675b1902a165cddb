"""Generate the agreements of many partnerships in parallel processes, one per core.

A process pool cannot share a database engine, a renderer or a document store, so each worker builds its own
from `wiring`, a function the caller passes (it must be importable by name: the workers are spawned). A worker is
made ready before it takes work (the pool initializer: adapters built, templates compiled, the PDF renderer's
process started with WeasyPrint imported). This process works too, from the first moment, and every process takes
the next partnership when it finishes one, so none idles while another still has a queue.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from typing import Protocol

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


class _Handout:
    """The partnerships still to do, handed to whichever process asks next, and the results as they come in."""

    def __init__(self, refs: deque[str], on_done: Callable[[BatchResult], None] | None) -> None:
        self.queue, self.total, self.on_done = refs, len(refs), on_done
        self.results: list[BatchResult] = []
        self.crashed: list[BaseException] = []
        self.lock, self.finished = threading.Lock(), threading.Event()

    def take(self) -> str | None:
        with self.lock:
            return self.queue.popleft() if self.queue else None

    def done(self, result: BatchResult) -> None:
        with self.lock:
            self.results.append(result)
            if self.on_done:
                self.on_done(result)
            if len(self.results) == self.total:
                self.finished.set()

    def to_worker(self, pool: ProcessPoolExecutor, actor: str, now: datetime) -> None:
        """Give a spawned worker the next partnership (again each time it returns one)."""
        ref = self.take()
        if ref is None:
            return

        def returned(future: Future[BatchResult]) -> None:
            error = future.exception()
            if error is not None:  # the worker crashed (not a partnership's error: those are results)
                self.crashed.append(error)
                self.finished.set()
                return
            self.done(future.result())
            self.to_worker(pool, actor, now)

        pool.submit(_generate_in_worker, ref, actor, now).add_done_callback(returned)


def generate_many(refs: Iterable[str], *, wiring: Callable[[], AgreementAdapters], actor: str, now: datetime,
                  workers: int | None = None, on_done: Callable[[BatchResult], None] | None = None,
                  size: Callable[[str], int] | None = None) -> list[BatchResult]:
    """Generate an agreement for every ref on `workers` processes (this one and workers - 1 spawned); failures are
    reported per partnership, not raised.

    This process starts at once while the others start up; each takes the next partnership when it finishes one,
    so none idles while work is left. `size` (optional) says how big a partnership's agreement is: the biggest go
    first, so the last to finish is a small one."""
    work = _Handout(deque(sorted(refs, key=size, reverse=True) if size else refs), on_done)
    workers = max(1, min(workers or os.cpu_count() or 1, work.total or 1))
    adapters = wiring()
    warm_up = getattr(adapters.renderer, "warm_up", None)
    if warm_up is not None and workers > 1:
        warm_up()
    # not multiprocessing.Pool: its workers are daemons, and a daemon may not start the PDF renderer's process
    pool = ProcessPoolExecutor(workers - 1, mp_context=get_context("spawn"), initializer=_start_worker,
                               initargs=(wiring,)) if workers > 1 else None
    try:
        for _ in range(workers - 1):
            work.to_worker(pool, actor, now)  # type: ignore[arg-type]  # pool exists when workers > 1
        while (ref := work.take()) is not None:
            work.done(_generate_one(ref, adapters, actor, now))
        if work.total:
            work.finished.wait()
        if work.crashed:
            raise work.crashed[0]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return sorted(work.results, key=lambda r: r.ref) if workers > 1 else work.results
