"""Each guard of the shipped lifecycles: passing, and failing with its reason in plain words."""

from __future__ import annotations

from factories import NOW, agreement_version, draft, ready
from pppflow.domain.agreement import versions as av
from pppflow.domain.guards import GUARDS
from pppflow.domain.model import Obligation


def check(name: str, p) -> list[str]:  # type: ignore[no-untyped-def]
    return GUARDS[name].check(p)


def test_complementary_partners() -> None:
    assert check("complementary_partners", draft()) == []
    p = draft()
    p.partners = [x for x in p.partners if x.kind in ("education", "knowledge_institution")]
    assert check("complementary_partners", p) == ["no company or government among the partners"]
    p.partners = p.partners[:1]
    assert "a partnership needs at least two partners (it has 1)" in check("complementary_partners", p)


def test_goals_agreed() -> None:
    assert check("goals_agreed", ready()) == []
    p = draft()
    p.agree_goal("modules", "hanze", actor="t", now=NOW)
    reasons = check("goals_agreed", p)
    assert ("goal 'modules' is not yet agreed by noorderpoort (Noorderpoort College), techbedrijf (Noordelijk "
            "Techbedrijf B.V.), provincie (Provincie Groningen)") in reasons
    p = ready()
    p.goals[0].indicators = ["  "]
    assert check("goals_agreed", p) == ["goal 'modules' has no measurable indicator"]
    p.goals = []
    assert check("goals_agreed", p) == ["no mutual goal has been defined"]


def test_responsibilities_channels_checkins() -> None:
    p = draft()
    assert check("responsibilities_assigned", p) == []
    assert check("channel_defined", p) == []
    assert check("checkin_plan_defined", p) == []
    p.responsibilities = [r for r in p.responsibilities if r.partner_key != "hanze"]
    p.channels = []
    p.checkin_cadence = None
    assert check("responsibilities_assigned", p) == [
        "partner 'hanze' (Hanze University of Applied Sciences) has no responsibility"]
    assert check("channel_defined", p) == ["no communication channel has been agreed"]
    assert check("checkin_plan_defined", p) == ["no check-in plan (cadence and first date) has been agreed"]


def test_obligations_defined() -> None:
    p = draft()
    assert check("obligations_defined", p) == []
    p.obligations[0].acceptance_criteria = None
    p.obligations[0].due = None
    assert check("obligations_defined", p) == [
        "result obligation 'modules-delivered' has no acceptance criteria",
        "result obligation 'modules-delivered' has no due date",
    ]
    p.obligations = []
    assert check("obligations_defined", p) == ["no obligation (key deliverable) has been defined"]


def test_agreement_signed() -> None:
    assert check("agreement_signed", ready()) == []
    p = draft()
    assert check("agreement_signed", p) == ["no agreement has been generated yet"]
    v = agreement_version(p)
    av.sign(p, v.number, "hanze", "Henk Visser", None, actor="t", now=NOW)
    assert check("agreement_signed", p) == [
        "version 1 is not yet signed for 'noorderpoort' (Anja Bakker)",
        "version 1 is not yet signed for 'techbedrijf' (Joost Meijer)",
        "version 1 is not yet signed for 'provincie' (Rob Hoekstra)",
    ]


def test_a_change_after_signing_makes_the_signed_version_stale() -> None:
    from pppflow.domain.model import Partner

    p = ready("maintenance")
    p.request_admission(Partner("acme", "Acme", "company", signatory_name="Bo"), None, actor="t", now=NOW)
    for k in ("noorderpoort", "hanze", "techbedrijf", "provincie"):
        p.approve_admission("acme", k, actor="t", now=NOW)
    assert check("agreement_signed", p) == [
        "signed version 1 is out of date: the partnership changed after version 1 was generated "
        "(partners, goals, obligations, contributions or term); generate and sign a new version"]
    v2 = agreement_version(p)
    assert "version 2 is not yet signed for 'acme' (Bo)" in check("agreement_signed", p)
    for x in p.partners:
        av.sign(p, v2.number, x.key, x.signatory_name, None, actor="t", now=NOW)
    assert check("agreement_signed", p) == []
    assert [v.status for v in p.agreements] == ["superseded", "signed"]


def test_a_renewal_makes_the_signed_version_stale() -> None:
    from pppflow.adapters.workflow_files import load_registry

    p = ready("under_review")
    load_registry().get("ppp-lifecycle").fire(p, "renew", actor="t", now=NOW)
    assert p.stage == "renewal"
    assert check("agreement_signed", p) == [
        "signed version 1 is out of date: the partnership was renewed after version 1 was generated; "
        "generate and sign a new version"]


def test_investment_results_delivered() -> None:
    assert check("investment_results_delivered", ready()) == []
    p = draft()
    assert check("investment_results_delivered", p) == \
        ["investment result 'modules-delivered' is pending, not accepted or waived"]
    p.set_obligation_status("modules-delivered", "waived", evidence=None, actor="t", now=NOW)
    assert check("investment_results_delivered", p) == []


def test_no_pending_admission_and_professional_innovation_guards() -> None:
    from pppflow.domain.model import Partner

    p = ready("investment")
    assert check("no_pending_admission", p) == []
    p.request_admission(Partner("acme", "Acme", "company"), None, actor="t", now=NOW)
    assert check("no_pending_admission", p) == ["the admission of 'acme' is still awaiting approval"]
    assert check("research_partner_present", p) == []
    assert check("assignment_flow_agreed", p) == []
    p.partners = [x for x in p.partners if x.kind != "knowledge_institution"]
    assert check("research_partner_present", p) == [
        "professional innovation needs a knowledge institution with research capacity among the partners"]
    p.obligations = [o for o in p.obligations if o.owner not in ("techbedrijf", "provincie")]
    assert check("assignment_flow_agreed", p) == [
        "no company or government partner has an obligation to supply innovation assignments"]


def test_innovation_results_settled() -> None:
    p = draft()
    assert check("innovation_results_settled", p) == ["result 'modules-delivered' is still pending"]
    p.obligations.append(Obligation("x", "X", "hanze", "effort", "maintenance", effort="some"))
    p.set_obligation_status("modules-delivered", "breached", evidence=None, actor="t", now=NOW)
    assert check("innovation_results_settled", p) == []
