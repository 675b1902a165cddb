"""Renewal: the term is extended, the renewed agreement must be signed, and the partnership returns to
maintenance without entering the one-off investment phase again."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from factories import ready, sign_everything
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.checkins.schedule import term_end
from pppflow.domain.reminders import reminder_view, renewal_notice
from pppflow.errors import BadInput, NotAllowed, TransitionBlocked
from pppflow.services import checkins, partnerships

LIFECYCLES = load_registry()
REVIEWED = datetime(2029, 6, 1, 9, tzinfo=UTC)  # the 36-month term (from 2027-01-01) ends 2030-01-01


def _reviewed(renewal_months: int | None = None) -> FakeUnitOfWork:
    p = ready("under_review")
    p.term_renewal_months = renewal_months
    uow = FakeUnitOfWork([p])
    uow.checkins.schedule(p.ref, [date(2029, 6, 15), date(2029, 12, 15)], term_end(p.term_start, p.term_months),
                          now=REVIEWED)
    return uow


def _advance(uow: FakeUnitOfWork, trigger: str, **kw: object) -> str:
    return partnerships.advance("pact", trigger, uow=uow, lifecycles=LIFECYCLES, actor="m", now=REVIEWED,
                                **kw).stage  # type: ignore[arg-type]


def test_renewal_extends_the_term_by_the_specs_renewal_period_and_needs_the_renewed_agreement_signed() -> None:
    uow = _reviewed(renewal_months=24)
    assert _advance(uow, "renew") == "renewal"
    p = uow.partnerships.get("pact")
    assert p.term_months == 36 + 24 and term_end(p.term_start, p.term_months) == date(2032, 1, 1)
    # the signed agreement of the old term no longer holds: the renewal waits for the renewed one
    with pytest.raises(TransitionBlocked) as err:
        _advance(uow, "complete_renewal")
    assert "renewed" in " ".join(err.value.details)
    sign_everything(p)
    assert _advance(uow, "complete_renewal") == "maintenance"
    moves = [json.loads(e.after) for e in uow.audit.stored if e.action == "transition"]
    assert [m["trigger"] for m in moves] == ["renew", "complete_renewal"]  # no second investment phase
    [extended] = [json.loads(e.after) for e in uow.audit.stored if e.action == "term.extend"]
    assert extended == {"extended_by": 24, "months": 60, "start": "2027-01-01"}


def test_a_period_given_with_the_trigger_wins_and_without_either_the_term_length_is_used() -> None:
    uow = _reviewed(renewal_months=24)
    _advance(uow, "renew", months=12)
    assert uow.partnerships.get("pact").term_months == 48
    plain = _reviewed()
    _advance(plain, "renew")
    assert plain.partnerships.get("pact").term_months == 72


def test_checkins_and_the_renewal_notice_follow_the_new_end_date() -> None:
    uow = _reviewed(renewal_months=12)
    p = uow.partnerships.get("pact")
    before = renewal_notice(reminder_view(p, []), date(2029, 10, 1))
    assert before is not None and before.context["term_end"] == "2030-01-01"
    _advance(uow, "renew")
    planned = [c.due for c in uow.checkins.list("pact")]
    assert planned[-1] == date(2030, 12, 15) and date(2030, 6, 15) in planned
    assert renewal_notice(reminder_view(p, []), date(2029, 10, 1)) is None  # the old end is no longer the end
    after = renewal_notice(reminder_view(p, []), date(2030, 10, 1))
    assert after is not None and after.context["term_end"] == "2031-01-01"


def test_a_new_investment_phase_only_when_the_partners_choose_one() -> None:
    uow = _reviewed()
    _advance(uow, "renew")
    sign_everything(uow.partnerships.get("pact"))
    assert _advance(uow, "start_new_investment") == "investment"


def test_a_period_with_another_trigger_and_a_renewal_without_a_term_are_refused() -> None:
    uow = _reviewed()
    with pytest.raises(BadInput) as err:
        _advance(uow, "continue", months=12)
    assert "does not extend the term" in err.value.message and "Voortzetten" in err.value.message  # nl partnership
    p = uow.partnerships.get("pact")
    p.term_start = p.term_months = None
    with pytest.raises(NotAllowed):
        _advance(uow, "renew")
    assert uow.partnerships.get("pact").stage == "under_review" and uow.committed == 0
    assert checkins.checkins_due(date(2029, 6, 1), 0, uow=uow, lifecycles=LIFECYCLES) == []
