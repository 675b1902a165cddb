"""Pure rules of held check-ins: which check-in a meeting counts for, progress files, the stage flag."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from factories import draft
from pppflow.domain.checkins.progress import (
    CheckIn,
    EffortEntry,
    ResultProgress,
    checkin_to_record,
    next_checkin,
    parse_progress,
)
from pppflow.domain.lifecycle import parse_definition
from pppflow.errors import BadInput, DefinitionInvalid

D = date
PLAN = [CheckIn("pact", D(2027, 1, 15), "held", D(2027, 1, 15)), CheckIn("pact", D(2027, 2, 15)),
        CheckIn("pact", D(2027, 3, 15), "missed"), CheckIn("pact", D(2027, 4, 15))]


@pytest.mark.parametrize(("held_on", "counts_for"), [
    (D(2027, 2, 15), D(2027, 2, 15)),   # on the day
    (D(2027, 2, 18), D(2027, 2, 15)),   # last day of grace
    (D(2027, 2, 19), D(2027, 3, 15)),   # after the grace: the next one
    (D(2027, 2, 10), D(2027, 2, 15)),   # early: the next one
    (D(2027, 3, 17), D(2027, 3, 15)),   # stored as missed, but within grace on the day it was held
    (D(2027, 1, 16), D(2027, 2, 15)),   # the 15 January one is already held
])
def test_a_meeting_counts_for_the_nearest_open_checkin_within_grace_else_the_next(held_on: date,
                                                                                  counts_for: date) -> None:
    chosen = checkin_to_record(PLAN, held_on, grace_days=3)
    assert chosen is not None and chosen.due == counts_for


def test_no_open_checkin_after_the_date_means_nothing_to_record() -> None:
    assert checkin_to_record(PLAN, D(2027, 4, 19), grace_days=3) is None


def test_next_checkin_skips_held_ones_and_those_past_their_grace() -> None:
    assert next_checkin(PLAN, D(2027, 1, 10), 3).due == D(2027, 2, 15)  # type: ignore[union-attr]
    assert next_checkin(PLAN, D(2027, 2, 18), 3).due == D(2027, 2, 15)  # type: ignore[union-attr]
    assert next_checkin(PLAN, D(2027, 2, 19), 3).due == D(2027, 3, 15)  # type: ignore[union-attr]
    assert next_checkin(PLAN, D(2027, 4, 19), 3) is None
    assert PLAN[1].status_on(D(2027, 2, 17), 3) == "due" and PLAN[1].status_on(D(2027, 2, 19), 3) == "missed"


def test_a_progress_file_logs_effort_and_reports_results() -> None:
    report = parse_progress({
        "notes": "Good progress", "feedback": "More notice of projects, please",
        "obligations": [
            {"key": "research", "activities": ["Literature review", "Two company visits"], "hours": 24},
            {"key": "assignments", "activities": "Four assignments agreed", "hours": 6.5},
            {"key": "modules-delivered", "status": "fulfilled", "evidence": "Approved by the exam board"},
        ]}, draft())
    assert report.efforts == (EffortEntry("research", ("Literature review", "Two company visits"), Decimal(24)),
                              EffortEntry("assignments", ("Four assignments agreed",), Decimal("6.5")))
    assert report.results == (ResultProgress("modules-delivered", "fulfilled", "Approved by the exam board"),)
    assert (report.notes, report.feedback) == ("Good progress", "More notice of projects, please")


def test_a_progress_file_with_problems_names_every_one_by_path() -> None:
    with pytest.raises(BadInput) as err:
        parse_progress({"obligations": [
            {"key": "research", "status": "fulfilled"},
            {"key": "modules-delivered", "hours": 3},
            {"key": "nope", "hours": 1, "activities": "x"},
            {"key": "research", "activities": "again", "hours": 1},
        ]}, draft())
    assert err.value.details == [
        "obligations[0]: 'research' is an effort obligation: log activities and hours (its status is set on the "
        "obligation itself)",
        "obligations[0].activities: is required for an effort obligation",
        "obligations[0].hours: is required for an effort obligation",
        "obligations[1]: 'modules-delivered' is a result obligation: report a status and evidence, not "
        "activities and hours",
        "obligations[1].status: is required for a result obligation",
        "obligations[2].key: unknown obligation 'nope' (known: modules-delivered, assignments, research)",
        "obligations[3].key: 'research' is reported twice",
    ]


@pytest.mark.parametrize(("raw", "detail"), [
    ({"obligations": [{"key": "research", "hours": -1, "activities": "x"}]},
     "obligations[0].hours: must be at least 0"),
    ({"obligations": [{"key": "modules-delivered", "status": "done"}]},
     "obligations[0].status: must be one of pending, fulfilled, accepted, waived, breached"),
    ({"progress": []}, "progress: is not a field of a progress file"),
])
def test_a_progress_file_is_validated(raw: object, detail: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_progress(raw, draft())
    assert detail in err.value.details


def test_a_progress_file_must_be_a_mapping() -> None:
    with pytest.raises(BadInput, match="must hold a mapping"):
        parse_progress(["research"], draft())


def test_stages_flag_where_checkins_are_planned(lifecycles: Any) -> None:
    flagged = {name: [s.name for s in lifecycles.get(name).definition.stages if s.schedules_checkins]
               for name in lifecycles.names()}
    assert flagged == {"learning-community": ["community_formed"], "ppp-lifecycle": ["framework_agreed"],
                       "professional-innovation": ["community_formed"]}
    assert lifecycles.get("ppp-lifecycle").schedules_checkins("framework_agreed")
    assert not lifecycles.get("ppp-lifecycle").schedules_checkins("investment")


def test_a_final_stage_cannot_plan_checkins() -> None:
    with pytest.raises(DefinitionInvalid) as err:
        parse_definition({"name": "x", "initial": "a", "stages": ["a", {"name": "b", "final": True,
                                                                       "schedules_checkins": True}],
                          "triggers": [{"name": "go", "source": "a", "dest": "b"}]}, source="x.yaml")
    assert err.value.details == ["stage 'b': a final stage cannot schedule check-ins"]


def test_the_framework_cannot_be_agreed_with_a_cadence_that_does_not_expand() -> None:
    from pppflow.domain.guards import GUARDS

    p = draft()
    p.checkin_cadence = "FREQ=HOURLY"
    [reason] = GUARDS["checkin_plan_defined"].check(p)
    assert "FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY" in reason


def test_a_reported_status_must_be_a_move_allowed_from_the_current_one() -> None:
    p = draft()
    with pytest.raises(BadInput) as err:
        parse_progress({"obligations": [{"key": "modules-delivered", "status": "accepted"}]}, p)
    assert err.value.details == ["obligations[0].status: cannot go from pending to accepted "
                                 "(allowed: fulfilled, waived, breached)"]
    unchanged = parse_progress({"obligations": [{"key": "modules-delivered", "status": "pending"}]}, p)
    assert unchanged.results == (ResultProgress("modules-delivered", "pending"),)  # reporting no change is fine
    p.obligation("modules-delivered").status = "waived"
    with pytest.raises(BadInput) as err:
        parse_progress({"obligations": [{"key": "modules-delivered", "status": "fulfilled"}]}, p)
    assert err.value.details[0].endswith("cannot go from waived to fulfilled (allowed: none, it is final)")
