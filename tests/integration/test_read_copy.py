"""The display copy of a partnership (`read`) equals what the ORM loads, is never saved, and the newest history."""

from __future__ import annotations

import dataclasses

import pytest

from factories import NOW, example_raw, generate_and_sign
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.errors import PartnershipNotFound
from pppflow.services import changes, partnerships

PARTNERS = ["noorderpoort", "hanze", "techbedrijf", "provincie"]
NEW_PARTNER = {"key": "zorgcollege", "name": "Zorgcollege", "kind": "education",
               "contact": {"name": "Els de Wit", "email": "els@example.org"},
               "signatory": {"name": "Piet de Wit", "title": "Director"}}


def _busy_partnership(uow_factory, lifecycles) -> str:  # type: ignore[no-untyped-def]
    """Goals agreed, signed agreement, an obligation moved, an admission pending: every collection filled."""
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    for goal in ("modules", "lifelong"):
        for k in PARTNERS:
            changes.agree_goal(ref, goal, k, uow=uow_factory(), actor="m", now=NOW)
    for trigger in ("define_goals", "agree_framework"):
        partnerships.advance(ref, trigger, uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    generate_and_sign(ref, uow_factory)
    partnerships.advance(ref, "start_investment", uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    changes.set_obligation_status(ref, "modules-delivered", "fulfilled", uow=uow_factory(), actor="m", now=NOW,
                                  evidence="modules delivered")
    changes.request_admission(ref, NEW_PARTNER, uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    changes.approve_admission(ref, "zorgcollege", "hanze", uow=uow_factory(), actor="m", now=NOW)
    return ref


def test_the_display_copy_equals_the_loaded_aggregate(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = _busy_partnership(uow_factory, lifecycles)
    with uow_factory() as uow:
        loaded, copy = uow.partnerships.get(ref), uow.partnerships.read(ref)
        assert copy is not loaded
        assert dataclasses.asdict(copy) == dataclasses.asdict(loaded)
        assert copy.agreements[0].status == "signed" and copy.admissions[0].approvals == ["hanze"]
        checks = lifecycles.get(copy.workflow).checks(copy)
        assert [c.allowed for c in checks] == [c.allowed for c in lifecycles.get(loaded.workflow).checks(loaded)]


def test_changes_to_the_display_copy_are_never_saved(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = _busy_partnership(uow_factory, lifecycles)
    with uow_factory() as uow:
        copy = uow.partnerships.read(ref)
        copy.stage = "terminated"
        copy.obligations[0].status = "breached"
        uow.commit()
    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        assert (p.stage, p.obligations[0].status) == ("investment", "fulfilled")


def test_an_unknown_reference_is_not_found(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow, pytest.raises(PartnershipNotFound):
        uow.partnerships.read("no-such-partnership")


@pytest.mark.parametrize("limit", [1, 5, 100])
def test_latest_history_is_newest_first_with_the_total(uow_factory, lifecycles, limit: int) -> None:  # type: ignore[no-untyped-def]
    ref = _busy_partnership(uow_factory, lifecycles)
    with uow_factory() as uow:
        everything = list(uow.audit.entries(ref))
        latest, total = uow.audit.latest(ref, limit)
    assert total == len(everything) > 5
    assert latest == everything[::-1][:limit]


def test_the_fake_answers_the_same(lifecycles) -> None:  # type: ignore[no-untyped-def]
    fake = FakeUnitOfWork()
    ref = _busy_partnership(lambda: fake, lifecycles)
    with fake as uow:
        copy = uow.partnerships.read(ref)
        assert dataclasses.asdict(copy) == dataclasses.asdict(uow.partnerships.get(ref))
        copy.stage = "terminated"
        assert uow.partnerships.get(ref).stage == "investment"
        latest, total = uow.audit.latest(ref, 3)
        assert latest == list(uow.audit.entries(ref))[::-1][:3] and total == len(list(uow.audit.entries(ref)))
