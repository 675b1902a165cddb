"""Check-in use cases against the in-memory fakes: planning, recording, missed, the agenda."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from factories import ready
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.audit import verify_chain
from pppflow.errors import BadInput, NotAllowed, NotFound
from pppflow.services import checkins, partnerships
from scheduling import AGREED_AT, REF, afternoon, agreed

LIFECYCLES = load_registry()
D = date


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    agreed(lambda: fake, LIFECYCLES)
    return fake


def actions(uow: FakeUnitOfWork) -> list[str]:
    return [e.action for e in uow.audit.stored]


def test_agreeing_the_framework_plans_every_checkin_of_the_term(uow: FakeUnitOfWork) -> None:
    planned = uow.checkins.list(REF)
    assert len(planned) == 36 and planned[0].due == D(2027, 1, 15) and planned[-1].due == D(2029, 12, 15)
    assert {c.status for c in planned} == {"scheduled"}
    assert uow.checkins.term_ends[REF] == D(2030, 1, 1)
    [event] = [e for e in uow.audit.stored if e.action == "checkins.schedule"]
    assert json.loads(event.after) == {"added": 36, "cadence": "monthly", "first": "2027-01-15",
                                       "last": "2029-12-15", "term_end": "2030-01-01"}
    assert actions(uow)[-2:] == ["transition", "checkins.schedule"]


def test_reentering_the_stage_plans_nothing_twice_and_skips_past_dates() -> None:
    uow = FakeUnitOfWork([ready("goals_defined")])
    later = datetime(2027, 6, 1, tzinfo=UTC)
    partnerships.advance("pact", "agree_framework", uow=uow, lifecycles=LIFECYCLES, actor="m", now=later)
    first = [c.due for c in uow.checkins.list("pact")]
    assert first[0] == D(2027, 6, 15) and len(first) == 31  # nothing before the day it was agreed
    uow.checkins.items["pact"].pop(D(2027, 7, 15))  # as if that date had not been planned
    p = uow.partnerships.get("pact")
    p.stage = "goals_defined"
    partnerships.advance("pact", "agree_framework", uow=uow, lifecycles=LIFECYCLES, actor="m", now=later)
    assert [c.due for c in uow.checkins.list("pact")] == first
    schedules = [json.loads(e.after) for e in uow.audit.stored if e.action == "checkins.schedule"]
    assert [s["added"] for s in schedules] == [31, 1]


def test_a_lifecycle_stage_without_the_flag_plans_nothing() -> None:
    uow = FakeUnitOfWork([ready("framework_agreed")])
    partnerships.advance("pact", "suspend", uow=uow, lifecycles=LIFECYCLES, actor="m", now=AGREED_AT, reason="x")
    assert uow.checkins.list("pact") == []


def test_show_gives_the_next_checkin(uow: FakeUnitOfWork) -> None:
    status = partnerships.show_partnership(REF, uow=uow, lifecycles=LIFECYCLES, as_of=D(2027, 1, 17))
    assert status.next_checkin is not None and status.next_checkin.due == D(2027, 1, 15)  # still in its grace
    status = partnerships.show_partnership(REF, uow=uow, lifecycles=LIFECYCLES, as_of=D(2027, 1, 19))
    assert status.next_checkin.due == D(2027, 2, 15)  # type: ignore[union-attr]
    assert partnerships.show_partnership(REF, uow=uow, lifecycles=LIFECYCLES).next_checkin is None


def test_recording_a_checkin_with_progress_is_one_audited_change(uow: FakeUnitOfWork) -> None:
    progress = {"obligations": [
        {"key": "research", "activities": ["Literature review"], "hours": 12},
        {"key": "modules-delivered", "status": "fulfilled", "evidence": "Approved by the exam board"}]}
    record = checkins.record_checkin(REF, uow=uow, actor="marieke", now=afternoon(D(2027, 1, 16)),
                                     notes="Kick-off", feedback="Start earlier", progress=progress)
    assert (record.checkin.due, record.checkin.status, record.checkin.held_on) == (D(2027, 1, 15), "held",
                                                                                   D(2027, 1, 16))
    stored = uow.checkins.list(REF)[0]
    assert (stored.status, stored.notes, stored.feedback, stored.recorded_by) == ("held", "Kick-off",
                                                                                  "Start earlier", "marieke")
    assert [(due, e.obligation, e.hours) for due, e in uow.checkins.effort_log(REF)] == [
        (D(2027, 1, 15), "research", 12)]
    assert uow.partnerships.get(REF).obligation("modules-delivered").status == "fulfilled"
    assert actions(uow)[-2:] == ["obligation.status", "checkin.record"]
    after = json.loads(uow.audit.stored[-1].after)
    assert after["effort"] == [{"obligation": "research", "activities": ["Literature review"], "hours": "12"}]
    assert verify_chain(uow.audit.entries()).ok


def test_a_late_checkin_is_recorded_by_its_planned_date(uow: FakeUnitOfWork) -> None:
    record = checkins.record_checkin(REF, uow=uow, actor="m", now=afternoon(D(2027, 1, 25)),
                                     checkin=D(2027, 1, 15))
    assert record.checkin.due == D(2027, 1, 15)
    with pytest.raises(NotAllowed, match="already recorded as held on 2027-01-25"):
        checkins.record_checkin(REF, uow=uow, actor="m", now=afternoon(D(2027, 1, 25)), checkin=D(2027, 1, 15))
    with pytest.raises(NotFound) as err:
        checkins.record_checkin(REF, uow=uow, actor="m", now=afternoon(D(2027, 1, 25)), checkin=D(2027, 1, 16))
    assert err.value.details == ["nearest: 2027-01-15, 2027-02-15, 2027-03-15"]


def test_recording_refuses_the_future_and_partnerships_without_a_plan(uow: FakeUnitOfWork) -> None:
    with pytest.raises(BadInput, match="after today"):
        checkins.record_checkin(REF, uow=uow, actor="m", now=afternoon(D(2027, 1, 16)), held_on=D(2027, 1, 17))
    other = FakeUnitOfWork([ready("draft")])
    with pytest.raises(NotAllowed, match="no check-ins planned yet"):
        checkins.record_checkin("pact", uow=other, actor="m", now=AGREED_AT)
    with pytest.raises(NotAllowed, match="no open check-in on or after 2030-01-10"):
        checkins.record_checkin(REF, uow=uow, actor="m", now=afternoon(D(2030, 1, 10)))


def test_a_bad_progress_file_records_nothing(uow: FakeUnitOfWork) -> None:
    before = uow.committed
    with pytest.raises(BadInput):
        checkins.record_checkin(REF, uow=uow, actor="m", now=afternoon(D(2027, 1, 15)),
                                progress={"obligations": [{"key": "research"}]})
    assert uow.committed == before and uow.checkins.list(REF)[0].status == "scheduled"


def test_missed_checkins_are_stored_once_and_audited(uow: FakeUnitOfWork) -> None:
    factory = lambda: uow  # noqa: E731
    assert checkins.mark_missed_checkins(D(2027, 1, 18), uow_factory=factory, lifecycles=LIFECYCLES,
                                         now=afternoon(D(2027, 1, 18))) == 0
    assert checkins.mark_missed_checkins(D(2027, 1, 19), uow_factory=factory, lifecycles=LIFECYCLES,
                                         now=afternoon(D(2027, 1, 19))) == 1
    assert checkins.mark_missed_checkins(D(2027, 1, 20), uow_factory=factory, lifecycles=LIFECYCLES,
                                         now=afternoon(D(2027, 1, 20))) == 0
    assert uow.checkins.list(REF)[0].status == "missed"
    [event] = [e for e in uow.audit.stored if e.action == "checkin.missed"]
    assert json.loads(event.after) == {"checkins": ["2027-01-15"], "status": "missed"}
    assert event.reason == "not held within 3 days of its date"


def test_the_agenda_lists_what_is_coming_and_what_is_overdue(uow: FakeUnitOfWork) -> None:
    checkins.record_checkin(REF, uow=uow, actor="m", now=afternoon(D(2027, 7, 20)), checkin=D(2027, 1, 15),
                            held_on=D(2027, 1, 15))
    items = checkins.checkins_due(D(2027, 8, 25), 21, uow=uow, lifecycles=LIFECYCLES)
    assert [(i.kind, i.day, i.status, i.obligation) for i in items] == [
        *[("checkin", D(2027, m, 15), "missed", None) for m in range(2, 9)],  # overdue at any age; 1-15 was held
        ("obligation", D(2027, 9, 1), "upcoming", "modules-delivered"),
        ("checkin", D(2027, 9, 15), "upcoming", None)]
    with pytest.raises(BadInput):
        checkins.checkins_due(D(2027, 8, 25), -1, uow=uow, lifecycles=LIFECYCLES)


def test_suspended_and_finished_partnerships_are_off_the_agenda(uow: FakeUnitOfWork) -> None:
    partnerships.advance(REF, "suspend", uow=uow, lifecycles=LIFECYCLES, actor="m", now=AGREED_AT, reason="budget")
    assert checkins.checkins_due(D(2027, 1, 15), 14, uow=uow, lifecycles=LIFECYCLES) == []
    partnerships.advance(REF, "resume", uow=uow, lifecycles=LIFECYCLES, actor="m", now=AGREED_AT)
    assert len(checkins.checkins_due(D(2027, 1, 15), 14, uow=uow, lifecycles=LIFECYCLES)) == 1
    partnerships.advance(REF, "terminate", uow=uow, lifecycles=LIFECYCLES, actor="m", now=AGREED_AT, reason="end")
    assert checkins.checkins_due(D(2027, 1, 15), 14, uow=uow, lifecycles=LIFECYCLES) == []


def test_a_checkin_missed_24_days_ago_stays_listed_whatever_the_window(uow: FakeUnitOfWork) -> None:
    items = checkins.checkins_due(D(2027, 2, 8), 0, uow=uow, lifecycles=LIFECYCLES)
    assert [(i.kind, i.day, i.status) for i in items] == [("checkin", D(2027, 1, 15), "missed")]
    ahead = checkins.checkins_due(D(2027, 2, 8), 14, uow=uow, lifecycles=LIFECYCLES)
    assert [(i.day, i.status) for i in ahead] == [(D(2027, 1, 15), "missed"), (D(2027, 2, 15), "upcoming")]


@pytest.mark.parametrize("ending", ["terminate", "conclude"])
def test_ending_a_partnership_closes_its_checkins(uow: FakeUnitOfWork, ending: str) -> None:
    now = afternoon(D(2027, 2, 8))
    if ending == "conclude":
        p = uow.partnerships.get(REF)
        p.stage = "under_review"  # as after the investment and maintenance phases
    partnerships.advance(REF, ending, uow=uow, lifecycles=LIFECYCLES, actor="m", now=now, reason="ended")
    listed = uow.checkins.list(REF)
    assert listed and {c.status for c in listed} == {"closed"}
    assert {c.status_on(D(2027, 3, 1), 3) for c in listed} == {"closed"}
    assert uow.checkins.list(REF, open_only=True) == []
    assert actions(uow)[-2:] == ["transition", "checkins.close"]
    status = partnerships.show_partnership(REF, uow=uow, lifecycles=LIFECYCLES, as_of=D(2027, 2, 8))
    assert status.next_checkin is None
    with pytest.raises(NotAllowed):
        checkins.record_checkin(REF, uow=uow, actor="m", now=now, checkin=D(2027, 1, 15))
