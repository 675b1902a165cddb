"""Two writers on the same partnership at once: one wins, the other gets ConflictError; nothing is lost."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from factories import NOW, example_raw
from pppflow.errors import ConflictError
from pppflow.services import changes, partnerships
from pppflow.services.audit import verify_audit
from servers import READY_WITHIN, join_all


def _prepared(uow_factory, lifecycles) -> str:  # type: ignore[no-untyped-def]
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    for goal in ("modules", "lifelong"):
        for k in ("noorderpoort", "hanze", "techbedrijf", "provincie"):
            changes.agree_goal(ref, goal, k, uow=uow_factory(), actor="m", now=NOW)
    return ref


def test_interleaved_writers_the_second_gets_a_conflict(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = _prepared(uow_factory, lifecycles)
    first, second = uow_factory(), uow_factory()
    with first, second:
        a = first.partnerships.get(ref)
        b = second.partnerships.get(ref)
        lifecycles.get(a.workflow).fire(a, "define_goals", actor="alice", now=NOW)
        lifecycles.get(b.workflow).fire(b, "terminate", actor="bob", now=NOW, reason="no budget")
        first.commit()
        with pytest.raises(ConflictError):
            second.commit()
    with uow_factory() as uow:
        assert uow.partnerships.get(ref).stage == "goals_defined"
    trail = partnerships.history(ref, uow=uow_factory())
    assert [e.actor for e in trail if e.action == "transition"] == ["alice"]
    assert verify_audit(uow=uow_factory()).ok


def _advance_at_the_same_moment(url: str, ref: str, trigger: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """In a child process: load, wait for the other process, then fire and commit."""
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
    from pppflow.adapters.workflow_files import load_registry

    lifecycle = load_registry().get("ppp-lifecycle")
    uow = SqlUnitOfWork(session_factory(url))
    with uow:
        p = uow.partnerships.get(ref)
        barrier.wait(timeout=READY_WITHIN)
        lifecycle.fire(p, trigger, actor=trigger, now=NOW, reason="because")
        try:
            uow.commit()
            results.put(("won", trigger))
        except ConflictError as exc:
            results.put(("conflict", exc.exit_code))


def test_two_processes_advancing_at_once(uow_factory, lifecycles, database_url: str) -> None:  # type: ignore[no-untyped-def]
    ref = _prepared(uow_factory, lifecycles)
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_advance_at_the_same_moment, args=(database_url, ref, t, barrier, results))
             for t in ("define_goals", "terminate")]
    for proc in procs:
        proc.start()
    assert join_all(procs) == [0, 0]
    outcome = sorted(results.get(timeout=5) for _ in procs)
    assert [o[0] for o in outcome] == ["conflict", "won"]
    assert outcome[0][1] == 4
    winner = outcome[1][1]
    with uow_factory() as uow:
        assert uow.partnerships.get(ref).stage == {"define_goals": "goals_defined", "terminate": "terminated"}[winner]
    assert verify_audit(uow=uow_factory()).ok
