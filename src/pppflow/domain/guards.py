"""Named guards: pure predicates on a partnership that explain themselves.

A guard returns the reasons it blocks, in plain words; an empty list means it holds. Lifecycle definitions
(`workflows/*.yaml`) name guards from this registry, so a definition can only use rules that exist here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pppflow.domain.agreement.versions import signed_agreement_reasons
from pppflow.domain.checkins.schedule import checkin_rule
from pppflow.domain.model import ObligationStatus, ObligationType, PartnerKind, Partnership, Phase
from pppflow.errors import BadInput

GuardCheck = Callable[[Partnership], list[str]]


@dataclass(frozen=True)
class Guard:
    name: str
    description: str
    check: Callable[..., list[str]]
    param: type | None = None   # a guard written `{name: value}` takes a value of this type
    needs_facts: bool = False   # it reads `partnership_facts(p)`, which the service attaches before checking

    def evaluate(self, p: Partnership, value: Any = None) -> list[str]:
        return self.check(p, value) if self.param is not None else self.check(p)

    def param_problem(self, value: Any) -> str | None:
        """Why `value` is not a valid parameter of this guard (None when it is)."""
        if self.param is None:
            return None if value is None else "takes no value"
        if value is None or isinstance(value, bool) or not isinstance(value, self.param):
            return f"needs a value ({self.param.__name__}), written {{{self.name}: VALUE}}"
        return None


GUARDS: dict[str, Guard] = {}


def guard(name: str, description: str, *, param: type | None = None,
          needs_facts: bool = False) -> Callable[[Callable[..., list[str]]], Callable[..., list[str]]]:
    """Register a guard under the name definitions use."""

    def register(check: Callable[..., list[str]]) -> Callable[..., list[str]]:
        GUARDS[name] = Guard(name, description, check, param, needs_facts)
        return check

    return register


@dataclass(frozen=True)
class PartnershipFacts:
    """What some guards read that is kept outside the aggregate: the health score and the partners with a
    recorded maturity round. Attached by the service (`attach_facts`), never stored."""

    health_score: int | None = None
    health_band: str | None = None
    weakest: str | None = None
    assessed_partners: frozenset[str] = frozenset()


def attach_facts(p: Partnership, facts: PartnershipFacts) -> None:
    p.__dict__["_facts"] = facts


def partnership_facts(p: Partnership) -> PartnershipFacts | None:
    return p.__dict__.get("_facts")


EDUCATION_SIDE = {PartnerKind.EDUCATION, PartnerKind.KNOWLEDGE_INSTITUTION}
WORK_SIDE = {PartnerKind.COMPANY, PartnerKind.GOVERNMENT}


@guard("complementary_partners",
       "at least two partners: an education or knowledge institution and a company or government")
def complementary_partners(p: Partnership) -> list[str]:
    reasons = []
    if len(p.partners) < 2:
        reasons.append(f"a partnership needs at least two partners (it has {len(p.partners)})")
    if not any(x.kind in EDUCATION_SIDE for x in p.partners):
        reasons.append("no education or knowledge institution among the partners")
    if not any(x.kind in WORK_SIDE for x in p.partners):
        reasons.append("no company or government among the partners")
    return reasons


@guard("goals_agreed", "at least one goal, each with an indicator and agreed by every partner")
def goals_agreed(p: Partnership) -> list[str]:
    if not p.goals:
        return ["no mutual goal has been defined"]
    reasons = []
    for g in p.goals:
        if not [i for i in g.indicators if i.strip()]:
            reasons.append(f"goal '{g.key}' has no measurable indicator")
        missing = [f"{x.key} ({x.name})" for x in p.partners if x.key not in g.agreed_by]
        if missing:
            reasons.append(f"goal '{g.key}' is not yet agreed by {', '.join(missing)}")
    return reasons


@guard("responsibilities_assigned", "every partner has a responsibility")
def responsibilities_assigned(p: Partnership) -> list[str]:
    have = {r.partner_key for r in p.responsibilities if r.role.strip()}
    return [f"partner '{x.key}' ({x.name}) has no responsibility" for x in p.partners if x.key not in have]


@guard("channel_defined", "at least one communication channel")
def channel_defined(p: Partnership) -> list[str]:
    return [] if p.channels else ["no communication channel has been agreed"]


@guard("checkin_plan_defined", "a check-in plan with a cadence and a first date")
def checkin_plan_defined(p: Partnership) -> list[str]:
    if not p.checkin_cadence or not p.checkin_first:
        return ["no check-in plan (cadence and first date) has been agreed"]
    try:  # the plan is expanded into dated check-ins when the framework is agreed: it must be expandable
        checkin_rule(p.checkin_cadence, p.checkin_first)
    except BadInput as exc:
        return [exc.message]
    return []


@guard("obligations_defined",
       "at least one obligation; every result obligation has acceptance criteria and a due date")
def obligations_defined(p: Partnership) -> list[str]:
    if not p.obligations:
        return ["no obligation (key deliverable) has been defined"]
    reasons = []
    for o in p.obligations:
        if o.type != ObligationType.RESULT:
            continue
        if not (o.acceptance_criteria or "").strip():
            reasons.append(f"result obligation '{o.key}' has no acceptance criteria")
        if o.due is None:
            reasons.append(f"result obligation '{o.key}' has no due date")
    return reasons


@guard("agreement_signed", "a current agreement version is signed by every partner's signatory")
def agreement_signed(p: Partnership) -> list[str]:
    return signed_agreement_reasons(p)


@guard("investment_results_delivered",
       "every investment-phase result obligation is accepted or waived")
def investment_results_delivered(p: Partnership) -> list[str]:
    done = {ObligationStatus.ACCEPTED, ObligationStatus.WAIVED}
    return [f"investment result '{o.key}' is {o.status}, not accepted or waived"
            for o in p.obligations
            if o.type == ObligationType.RESULT and o.phase == Phase.INVESTMENT and o.status not in done]


@guard("no_pending_admission", "no admission of a new partner is awaiting approval")
def no_pending_admission(p: Partnership) -> list[str]:
    return [f"the admission of '{a.candidate_key}' is still awaiting approval"
            for a in p.admissions if a.status == "pending"]


@guard("research_partner_present", "a knowledge institution brings research (lectureship or lab)")
def research_partner_present(p: Partnership) -> list[str]:
    if any(x.kind == PartnerKind.KNOWLEDGE_INSTITUTION for x in p.partners):
        return []
    return ["professional innovation needs a knowledge institution with research capacity among the partners"]


@guard("assignment_flow_agreed", "a company or government partner owes a steady flow of assignments")
def assignment_flow_agreed(p: Partnership) -> list[str]:
    work_partners = {x.key for x in p.partners if x.kind in WORK_SIDE}
    if any(o.owner in work_partners for o in p.obligations):
        return []
    return ["no company or government partner has an obligation to supply innovation assignments"]


@guard("innovation_results_settled", "every result obligation is accepted, waived or breached")
def innovation_results_settled(p: Partnership) -> list[str]:
    open_ = {ObligationStatus.PENDING, ObligationStatus.FULFILLED}
    return [f"result '{o.key}' is still {o.status}" for o in p.obligations
            if o.type == ObligationType.RESULT and o.status in open_]


@guard("learning_goals_shared",
       "every goal is owned by education and practice together: an education or knowledge institution and a "
       "company or government partner")
def learning_goals_shared(p: Partnership) -> list[str]:
    kinds = {x.key: x.kind for x in p.partners}
    reasons = []
    for g in p.goals:
        owned = {kinds.get(k) for k in g.owners}
        if not owned & EDUCATION_SIDE or not owned & WORK_SIDE:
            reasons.append(f"goal '{g.key}' is not owned by an education partner and a professional partner "
                           "together: a learning community learns together")
    return reasons


@guard("real_assignments_agreed", "a company or government partner brings real assignments to learn from")
def real_assignments_agreed(p: Partnership) -> list[str]:
    work_partners = {x.key for x in p.partners if x.kind in WORK_SIDE}
    if any(o.owner in work_partners for o in p.obligations):
        return []
    return ["no company or government partner has an obligation to bring real assignments to the community"]


@guard("new_partners_by_consensus",
       "no new partner is awaiting the consensus of the community (prepared, discussed, approved by every partner)")
def new_partners_by_consensus(p: Partnership) -> list[str]:
    return [f"the admission of '{a.candidate_key}' still awaits the consensus of "
            f"{', '.join(k for k in p.partner_keys if k not in a.approvals)}"
            for a in p.admissions if a.status == "pending"]


@guard("health_at_least", "the partnership's health score is at least the given value", param=int,
       needs_facts=True)
def health_at_least(p: Partnership, minimum: int) -> list[str]:
    facts = partnership_facts(p)
    if facts is None or facts.health_score is None:
        return ["the health score could not be computed"]
    if facts.health_score >= minimum:
        return []
    weakest = f"; weakest: {facts.weakest}" if facts.weakest else ""
    return [f"the health score is {facts.health_score} ({facts.health_band}), below the {minimum} "
            f"required{weakest}"]


@guard("maturity_assessed", "every partner has recorded a maturity self-assessment round", needs_facts=True)
def maturity_assessed(p: Partnership) -> list[str]:
    facts = partnership_facts(p)
    assessed = facts.assessed_partners if facts else frozenset()
    missing = [k for k in p.partner_keys if k not in assessed]
    return [f"partner '{k}' has not recorded a maturity round" for k in missing]


# The funding schemes' guard (co_financing_committed) registers itself here.
from pppflow.domain import funding as _funding  # noqa: E402,F401
