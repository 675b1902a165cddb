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


def generate_many(refs: Iterable[str], *, wiring: Callable[[], AgreementAdapters], actor: str, now: datetime,
                  workers: int | None = None, on_done: Callable[[BatchResult], None] | None = None,
                  size: Callable[[str], int] | None = None) -> list[BatchResult]:
    """Generate an agreement for every ref on `workers` processes (this one and workers - 1 spawned); failures are
    reported per partnership, not raised.

    This process starts at once while the others start up; each takes the next partnership when it finishes one,
    so none idles while work is left. `size` (optional) says how big a partnership's agreement is: the biggest go
    first, so the last to finish is a small one."""
    queue = deque(sorted(refs, key=size, reverse=True) if size else refs)
    total, workers = len(queue), max(1, min(workers or os.cpu_count() or 1, len(queue) or 1))
    results: list[BatchResult] = []
    crashed: list[BaseException] = []
    lock, finished = threading.Lock(), threading.Event()

    def done(result: BatchResult) -> None:
        with lock:
            results.append(result)
            if on_done:
                on_done(result)
            if len(results) == total:
                finished.set()

    def take() -> str | None:
        with lock:
            return queue.popleft() if queue else None

    adapters = wiring()
    warm_up = getattr(adapters.renderer, "warm_up", None)
    if warm_up is not None and workers > 1:
        warm_up()
    # not multiprocessing.Pool: its workers are daemons, and a daemon may not start the PDF renderer's process
    pool = ProcessPoolExecutor(workers - 1, mp_context=get_context("spawn"), initializer=_start_worker,
                               initargs=(wiring,)) if workers > 1 else None

    def hand_out() -> None:
        """Give a spawned worker the next partnership (again each time it returns one)."""
        ref = take()
        if ref is not None and pool is not None:
            pool.submit(_generate_in_worker, ref, actor, now).add_done_callback(returned)

    def returned(future: Future[BatchResult]) -> None:
        if future.exception() is not None:  # the worker crashed (not a partnership's error: those are results)
            crashed.append(future.exception())  # type: ignore[arg-type]
            finished.set()
            return
        done(future.result())
        hand_out()

    try:
        for _ in range(workers - 1):
            hand_out()
        while (ref := take()) is not None:
            done(_generate_one(ref, adapters, actor, now))
        if total:
            finished.wait()
        if crashed:
            raise crashed[0]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return sorted(results, key=lambda r: r.ref) if workers > 1 else results
