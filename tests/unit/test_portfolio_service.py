"""The portfolio dashboard, search and visibility on the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factories import NOW, draft, ready
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.workflow_files import load_registry
from pppflow.errors import PartnershipNotFound
from pppflow.services import portfolio

LIFECYCLES = load_registry()
TODAY = NOW.date()


def _world() -> FakeUnitOfWork:
    running = ready("investment", ref="running")
    running.obligations[0].due = TODAY - timedelta(days=3)  # still pending: overdue
    running.obligations[0].status = "pending"
    later = draft(ref="later")
    done = ready("concluded", ref="done")
    uow = FakeUnitOfWork([running, later, done])
    uow.checkins.schedule("running", [TODAY - timedelta(days=45), TODAY - timedelta(days=2),
                                      TODAY + timedelta(days=3), TODAY + timedelta(days=40)],
                          TODAY + timedelta(days=100), now=NOW)
    uow.checkins.schedule("done", [TODAY + timedelta(days=1)], TODAY + timedelta(days=10), now=NOW)
    return uow


def test_dashboard_counts_per_stage_and_what_is_due() -> None:
    d = portfolio.dashboard(uow=_world(), lifecycles=LIFECYCLES, as_of=TODAY)
    assert d.total == 3
    stages = {s.stage: s.count for s in d.lifecycles[0].stages}
    assert stages["investment"] == stages["draft"] == stages["concluded"] == 1 and stages["maintenance"] == 0
    # overdue check-ins stay on the dashboard at any age, like overdue obligations
    assert [i.day for i in d.checkins_overdue.items] == [TODAY - timedelta(days=2), TODAY - timedelta(days=45)]
    assert [(i.ref, i.day) for i in d.checkins_this_week.items] == [("running", TODAY + timedelta(days=3))]
    assert [(i.ref, i.key) for i in d.obligations_overdue.items] == [("running", "modules-delivered")]
    assert [(i.ref, i.day) for i in d.renewals.items] == [("running", TODAY + timedelta(days=99))]  # the last day


def test_a_partner_sees_only_its_organisations_partnerships() -> None:
    uow = _world()
    assert portfolio.dashboard(uow=uow, lifecycles=LIFECYCLES, as_of=TODAY, party="acme").total == 0
    assert portfolio.search_partnerships(uow=uow, party="hanze")[1] == 3
    assert portfolio.search_partnerships(uow=uow, party="acme") == ([], 0)
    portfolio.ensure_visible("running", uow=uow, party="hanze")
    portfolio.ensure_visible("running", uow=uow, party=None)
    for ref, party in (("running", "acme"), ("nope", "hanze")):
        with pytest.raises(PartnershipNotFound):
            portfolio.ensure_visible(ref, uow=uow, party=party)


def test_search_filters_and_overview() -> None:
    uow = _world()
    items, total = portfolio.search_partnerships(uow=uow, stage="investment")
    assert total == 1 and items[0].ref == "running" and items[0].partners == 4
    assert portfolio.search_partnerships(uow=uow, text="SMART", limit=1)[1] == 3
    o = portfolio.partnership_overview("running", uow=uow, lifecycles=LIFECYCLES)
    assert len(o.checkins) == 4 and o.contributions is not None
    assert [t["unit"] for t in o.contributions["totals"]] == ["EUR", "hours", "hours per year"]
