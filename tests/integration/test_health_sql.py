"""The health score and maturity rounds on a real database (SQLite and PostgreSQL), counted in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from factories import example_raw
from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.domain.maturity import answers_template
from pppflow.errors import BadInput
from pppflow.services import checkins, health, maturity, partnerships
from pppflow.services.audit import verify_audit
from scheduling import REF, afternoon, agreed

D = date
FILES = AssessmentFiles()


def _answers(partner: str, level: str) -> dict[str, Any]:
    doc = answers_template(FILES.framework(), partner, "en")
    for a in doc["answers"]:
        a["level"] = level
    return doc


def test_missed_checkins_lower_the_score_and_the_component_says_why(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles)   # monthly check-ins from 15 January 2027
    checkins.record_checkin(REF, uow=uow_factory(), actor="m", now=afternoon(D(2027, 1, 15)),
                            progress={"obligations": [{"key": "research", "activities": ["Visit"], "hours": "4"}]})
    early = health.partnership_health(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 1, 31))
    assert next(c for c in early.components if c.key == "checkins").sentence == \
        "the one check-in due in the last 12 months was held"
    late = health.partnership_health(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 3, 31))
    component = next(c for c in late.components if c.key == "checkins")
    assert component.sentence == "2 of the last 3 check-ins were missed"
    assert late.score < early.score
    effort = next(c for c in late.components if c.key == "effort_logged")
    assert effort.sentence.startswith("hours were logged for 1 of ")
    trend = health.health_trend(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 3, 31))
    assert [d for d, _ in trend][-3:] == [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31)]
    assert len(trend) == 12 and trend[-1][1] == late.score


def test_maturity_rounds_are_kept_whole_in_the_audit_trail_and_counted(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles)
    at = datetime(2027, 2, 1, 10, tzinfo=UTC)
    maturity.record_round(REF, "hanze", _answers("hanze", "mature"), uow=uow_factory(), files=FILES, actor="marieke",
                          now=at, on_behalf=True)
    with pytest.raises(BadInput):
        maturity.record_round(REF, "provincie", _answers("provincie", "expert"), uow=uow_factory(), files=FILES,
                              actor="marieke", now=at, on_behalf=True)
    rnd = maturity.record_round(REF, "provincie", _answers("provincie", "beginner"), uow=uow_factory(),
                                files=FILES, actor="marieke", now=at, on_behalf=True)
    assert rnd.number == 2   # the refused round stored nothing
    view, rounds = maturity.maturity_overview(REF, uow=uow_factory(), files=FILES, lang="en")
    assert [(r.partner_key, r.on_behalf_of) for r in rounds] == [("hanze", "hanze"), ("provincie", "provincie")]
    assert "hanze says mature, provincie says beginner on shared vision" in view.disagreements
    dutch, _ = maturity.maturity_overview(REF, uow=uow_factory(), files=FILES)   # the partnership's language
    assert "hanze zegt volwassen, provincie zegt beginnend bij shared vision" in dutch.disagreements
    h = health.partnership_health(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 2, 1))
    component = next(c for c in h.components if c.key == "maturity")
    assert component.value == 50   # mature (100 %) and beginner (0 %)
    before = health.partnership_health(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 1, 31))
    assert next(c for c in before.components if c.key == "maturity").value is None
    trail = [e for e in partnerships.history(REF, uow=uow_factory()) if e.action == "maturity.assess"]
    assert len(trail) == 2 and '"shared-vision":"mature"' in trail[0].after
    assert verify_audit(uow=uow_factory()).ok


def test_the_portfolio_is_listed_worst_first(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles)
    other = agreed(uow_factory, lifecycles, name="Second Pact")
    checkins.record_checkin(other, uow=uow_factory(), actor="m", now=afternoon(D(2027, 1, 15)))
    items = health.portfolio_health(uow=uow_factory(), files=FILES, lifecycles=lifecycles, as_of=D(2027, 1, 31))
    assert [h.ref for h in items] == [REF, other]
    assert items[0].score < items[1].score


def test_contributions_realised_in_the_ledger_count_against_what_was_committed_to_date(
        uow_factory: Any, lifecycles: Any) -> None:
    from decimal import Decimal

    from pppflow.domain.ledger import NewEntry
    from pppflow.services import ledger

    agreed(uow_factory, lifecycles)   # term from 1 January 2027, 36 months; cash commitments in EUR
    none_yet = health.partnership_health(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 7, 1))
    component = next(c for c in none_yet.components if c.key == "contributions")
    assert component.value == 0 and component.sentence.startswith("0 % of the contributions committed to date")
    ledger.add_entry(REF, NewEntry(partner="provincie", phase="investment", kind="cash", quantity=Decimal("50000"),
                                   unit="EUR", on=D(2027, 6, 1)),
                     uow=uow_factory(), actor="marieke", now=datetime(2027, 6, 2, tzinfo=UTC))
    later = health.partnership_health(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 7, 1))
    assert next(c for c in later.components if c.key == "contributions").value > 0
    before = health.partnership_health(REF, uow=uow_factory(), files=FILES, as_of=D(2027, 5, 31))
    assert next(c for c in before.components if c.key == "contributions").value == 0   # dated after that day


def test_a_missed_checkin_counts_once_its_own_partnerships_grace_days_have_passed(uow_factory: Any,
                                                                                  lifecycles: Any) -> None:
    """Check-ins of 15 January: with 3 grace days missed from the 19th; with 10 grace days only from the 26th."""
    agreed(uow_factory, lifecycles)
    raw = example_raw()
    raw["checkins"]["grace_days"] = 10
    patient = agreed(uow_factory, lifecycles, raw, name="Patient Pact")

    def checkins_on(day: date) -> dict[str, str]:
        items = health.portfolio_health(uow=uow_factory(), files=FILES, lifecycles=lifecycles, as_of=day)
        return {h.ref: next(c for c in h.components if c.key == "checkins").sentence for h in items}

    none, missed = "no check-in was due in the last 12 months", "1 of the last 1 check-in was missed"
    assert checkins_on(D(2027, 1, 18)) == {REF: none, patient: none}
    assert checkins_on(D(2027, 1, 19)) == {REF: missed, patient: none}
    assert checkins_on(D(2027, 1, 25)) == {REF: missed, patient: none}
    assert checkins_on(D(2027, 1, 26)) == {REF: missed, patient: missed}
    one = health.partnership_health(patient, uow=uow_factory(), files=FILES, as_of=D(2027, 1, 25))
    assert next(c for c in one.components if c.key == "checkins").sentence == none
