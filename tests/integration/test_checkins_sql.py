"""Check-ins in a real database (SQLite and PostgreSQL): planned with the framework, recorded, missed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pppflow.services import checkins, partnerships
from pppflow.services.audit import verify_audit
from scheduling import AGREED_AT, REF, afternoon, agreed, with_report

D = date


def test_the_plan_is_expanded_once_even_when_the_stage_is_entered_again(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles)
    for trigger in ("suspend", "resume"):  # resume re-enters framework_agreed
        partnerships.advance(REF, trigger, uow=uow_factory(), lifecycles=lifecycles, actor="m", now=AGREED_AT,
                             reason="budget")
    overview = checkins.list_checkins(REF, uow=uow_factory(), as_of=D(2027, 1, 1))
    assert [c.due for c in overview.checkins][:3] == [D(2027, 1, 15), D(2027, 2, 15), D(2027, 3, 15)]
    assert len(overview.checkins) == 36
    history = [e.action for e in partnerships.history(REF, uow=uow_factory())]
    assert history.count("checkins.schedule") == 1
    status = partnerships.show_partnership(REF, uow=uow_factory(), lifecycles=lifecycles, as_of=D(2027, 1, 1))
    assert status.next_checkin is not None and status.next_checkin.due == D(2027, 1, 15)


def test_recording_a_checkin_stores_it_with_its_effort_log_and_result(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles, with_report())
    progress = {"feedback": "More notice, please", "obligations": [
        {"key": "research", "activities": ["Literature review", "Company visit"], "hours": "7.5"},
        {"key": "report", "status": "fulfilled", "evidence": "Plan sent to the steering group"}]}
    record = checkins.record_checkin(REF, uow=uow_factory(), actor="marieke", now=afternoon(D(2027, 2, 17)),
                                     notes="Second check-in", progress=progress)
    assert record.checkin.due == D(2027, 2, 15)
    overview = checkins.list_checkins(REF, uow=uow_factory(), as_of=D(2027, 2, 17))
    held = next(c for c in overview.checkins if c.due == D(2027, 2, 15))
    assert (held.status, held.held_on, held.notes, held.feedback, held.recorded_by) == (
        "held", D(2027, 2, 17), "Second check-in", "More notice, please", "marieke")
    [(due, entry)] = overview.efforts
    assert (due, entry.obligation, entry.activities, str(entry.hours)) == (
        D(2027, 2, 15), "research", ("Literature review", "Company visit"), "7.5")
    assert overview.partnership.obligation("report").status == "fulfilled"
    assert overview.checkins[0].status_on(D(2027, 2, 17), 3) == "missed"
    assert verify_audit(uow=uow_factory()).ok


def test_missed_checkins_are_stored_by_the_job_once(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles)
    for day in (D(2027, 1, 18), D(2027, 1, 19), D(2027, 1, 19), D(2027, 1, 30)):
        checkins.mark_missed_checkins(day, uow_factory=uow_factory, lifecycles=lifecycles, now=afternoon(day))
    overview = checkins.list_checkins(REF, uow=uow_factory(), as_of=D(2027, 1, 30))
    assert [c.status for c in overview.checkins[:2]] == ["missed", "scheduled"]
    trail = [e for e in partnerships.history(REF, uow=uow_factory()) if e.action == "checkin.missed"]
    assert [json.loads(e.after)["checkins"] for e in trail] == [["2027-01-15"]]
    # a missed check-in held within its grace period may still be recorded
    checkins.record_checkin(REF, uow=uow_factory(), actor="m", now=afternoon(D(2027, 1, 30)),
                            checkin=D(2027, 1, 15), held_on=D(2027, 1, 17))
    assert checkins.list_checkins(REF, uow=uow_factory(), as_of=D(2027, 1, 30)).checkins[0].status == "held"
    assert verify_audit(uow=uow_factory()).ok


def test_the_agenda_spans_the_portfolio(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles, with_report())
    agreed(uow_factory, lifecycles, name="Second Pact")
    partnerships.advance("second-pact", "terminate", uow=uow_factory(), lifecycles=lifecycles, actor="m",
                         now=AGREED_AT, reason="merged")
    items = checkins.checkins_due(D(2027, 3, 20), 14, uow=uow_factory(), lifecycles=lifecycles)
    assert [(i.ref, i.kind, i.day, i.status) for i in items] == [  # missed ones stay listed at any age
        (REF, "checkin", D(2027, 1, 15), "missed"), (REF, "checkin", D(2027, 2, 15), "missed"),
        (REF, "checkin", D(2027, 3, 15), "missed"), (REF, "obligation", D(2027, 3, 31), "upcoming")]
    # the terminated partnership's check-ins are closed, not left scheduled
    closed = checkins.list_checkins("second-pact", uow=uow_factory(), as_of=D(2027, 3, 20)).checkins
    assert closed and {c.status for c in closed} == {"closed"}
    assert verify_audit(uow=uow_factory()).ok


def test_amending_the_plan_replans_the_open_checkins_ahead(uow_factory: Any, lifecycles: Any) -> None:
    raw = with_report()
    agreed(uow_factory, lifecycles, raw)
    checkins.record_checkin(REF, uow=uow_factory(), actor="m", now=afternoon(D(2027, 1, 15)))
    raw["checkins"]["cadence"] = "quarterly"
    raw["checkins"]["first"] = D(2027, 4, 1)
    changed = partnerships.amend_partnership(REF, raw, uow=uow_factory(), actor="m", now=afternoon(D(2027, 2, 1)),
                                             reason="meet less often")
    assert "checkins" in changed
    overview = checkins.list_checkins(REF, uow=uow_factory(), as_of=D(2027, 2, 1))
    assert [c.due for c in overview.checkins][:4] == [D(2027, 1, 15), D(2027, 4, 1), D(2027, 7, 1), D(2027, 10, 1)]
    assert overview.checkins[0].status == "held" and len(overview.checkins) == 1 + 11
    [event] = [e for e in partnerships.history(REF, uow=uow_factory()) if e.action == "checkins.replan"]
    assert len(json.loads(event.before)["dropped"]) == 35 and len(json.loads(event.after)["added"]) == 11
    assert verify_audit(uow=uow_factory()).ok
