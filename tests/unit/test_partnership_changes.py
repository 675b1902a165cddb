"""Goal agreements, obligation statuses, sign-offs and admissions, each recorded as an audit event."""

from __future__ import annotations

import pytest

from factories import NOW, draft, ready
from pppflow.domain.model import Partner
from pppflow.errors import NotAllowed, NotFound


def test_goal_agreement_is_recorded_once_per_partner() -> None:
    p = draft()
    p.agree_goal("modules", "hanze", actor="marieke", now=NOW)
    assert p.goal("modules").agreed_by == ["hanze"]
    assert p.events[-1].action == "goal.agree" and p.events[-1].actor == "marieke"
    with pytest.raises(NotAllowed):
        p.agree_goal("modules", "hanze", actor="marieke", now=NOW)
    with pytest.raises(NotFound):
        p.agree_goal("modules", "acme", actor="marieke", now=NOW)
    with pytest.raises(NotFound):
        p.agree_goal("world-peace", "hanze", actor="marieke", now=NOW)
    assert len(p.events) == 1


def test_obligation_status_moves() -> None:
    p = draft()
    with pytest.raises(NotAllowed) as err:
        p.set_obligation_status("modules-delivered", "accepted", evidence=None, actor="a", now=NOW)
    assert err.value.details == ["allowed from pending: fulfilled, waived, breached"]
    p.set_obligation_status("modules-delivered", "fulfilled", evidence="taught to cohort 1", actor="a", now=NOW)
    p.set_obligation_status("modules-delivered", "accepted", evidence=None, actor="a", now=NOW)
    o = p.obligation("modules-delivered")
    assert (o.status, o.evidence) == ("accepted", "taught to cohort 1")
    with pytest.raises(NotAllowed):
        p.set_obligation_status("modules-delivered", "pending", evidence=None, actor="a", now=NOW)
    with pytest.raises(NotAllowed) as err:
        p.set_obligation_status("assignments", "accepted", evidence=None, actor="a", now=NOW)
    assert "effort obligation" in err.value.message
    with pytest.raises(NotAllowed):
        p.set_obligation_status("assignments", "done", evidence=None, actor="a", now=NOW)
    assert [e.after["status"] for e in p.events] == ["fulfilled", "accepted"]


def test_signoff_must_be_by_the_signatory() -> None:
    p = draft()
    with pytest.raises(NotAllowed) as err:
        p.record_signoff("hanze", "Someone Else", None, actor="a", now=NOW)
    assert err.value.details == ["the signatory of hanze is Henk Visser"]
    s = p.record_signoff("hanze", "henk visser", None, actor="a", now=NOW)
    assert s.signatory_title == "Dean"
    with pytest.raises(NotAllowed):
        p.record_signoff("hanze", "Henk Visser", None, actor="a", now=NOW)


def test_a_new_partner_joins_only_when_every_existing_partner_approved() -> None:
    p = ready("maintenance")
    p.request_admission(Partner("acme", "Acme Robotics", "company", "Ann", "ann@acme.example", "Bo", "CEO"),
                        "Host interns", actor="a", now=NOW)
    with pytest.raises(NotAllowed):
        p.request_admission(Partner("acme", "Acme", "company"), None, actor="a", now=NOW)
    for by in ("noorderpoort", "hanze", "techbedrijf"):
        assert p.approve_admission("acme", by, actor="a", now=NOW) is False
        assert "acme" not in p.partner_keys
    with pytest.raises(NotAllowed):
        p.approve_admission("acme", "hanze", actor="a", now=NOW)
    with pytest.raises(NotFound):
        p.approve_admission("acme", "acme", actor="a", now=NOW)
    assert p.awaiting_approval("acme") == ["provincie"]
    assert p.approve_admission("acme", "provincie", actor="a", now=NOW) is True
    assert "acme" in p.partner_keys
    assert any(r.partner_key == "acme" and r.role == "Host interns" for r in p.responsibilities)
    assert p.events[-1].action == "admission.admit"
    with pytest.raises(NotFound):
        p.approve_admission("acme", "provincie", actor="a", now=NOW)
    with pytest.raises(NotAllowed):
        p.request_admission(Partner("hanze", "Hanze", "knowledge_institution"), None, actor="a", now=NOW)
