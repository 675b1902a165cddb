"""Partners decide as equals: who acts for which organisation, a veto on admissions, withdrawing from a goal.

A partner user acts for its own organisation; a coordinator may act for a partner that has no accounts, and the
audit trail then says so (`on_behalf_of`). One rejection rejects an admission; approval by all admits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pppflow.domain.accounts import Permission, User
from pppflow.domain.model import Admission, AdmissionStatus, Partnership
from pppflow.errors import BadInput, Forbidden, NotAllowed

MAX_TEXT = 4000


@dataclass(frozen=True)
class Acting:
    """Who acts (a user name) for which partner; `on_behalf_of` names the partner when it is not acting itself."""

    actor: str
    partner: str
    on_behalf_of: str | None


def acting_for(user: User, requested: str | None, *, field: str = "partner") -> Acting:
    """The partner a user acts for: a partner user only for its own organisation, a coordinator for any, named."""
    requested = (requested or "").strip() or None
    if user.is_partner:
        own = user.partner_organisation or ""
        if requested is not None and requested != own:
            raise Forbidden(f"a partner user acts only for its own organisation ({own}), not for {requested!r}")
        return Acting(user.username, own, None)
    if not user.may(Permission.COORDINATE):
        raise Forbidden(f"the role '{user.role}' may not act for a partner",
                        details=["a partner user acts for its own organisation; a coordinator on behalf of one"])
    if requested is None:
        raise BadInput(f"{field}: say which partner the coordinator acts for",
                       details=[f"{field}: required unless a partner user acts for its own organisation"])
    return Acting(user.username, requested, requested)


def operator(actor: str, partner: str) -> Acting:
    """The CLI's operator acting for a partner: always on its behalf."""
    return Acting(actor, partner, partner)


def required_text(value: str | None, field: str) -> str:
    """A reason or comment: required, not blank, bounded."""
    text = (value or "").strip()
    if not text:
        raise BadInput(f"{field}: give a {field}; it goes into the history", details=[f"{field}: must not be empty"])
    if len(text) > MAX_TEXT:
        raise BadInput(f"{field}: at most {MAX_TEXT} characters", details=[f"{field}: {len(text)} characters"])
    return text


def reject_admission(p: Partnership, candidate_key: str, acting: Acting, reason: str | None, *,
                     now: datetime) -> Admission:
    """One existing partner's veto: the admission is rejected, with who and why."""
    text = required_text(reason, "reason")
    admission = p.pending_admission(candidate_key)
    p.partner(acting.partner)
    if acting.partner in admission.approvals:
        raise NotAllowed(f"{acting.partner!r} has already approved the admission of {candidate_key!r}")
    admission.status = AdmissionStatus.REJECTED.value
    admission.decided_at = now
    admission.rejected_by = acting.partner
    admission.rejection_reason = text
    p.record("admission.reject", actor=acting.actor, now=now, reason=text, on_behalf_of=acting.on_behalf_of,
             before={"candidate": candidate_key, "status": "pending", "approvals": list(admission.approvals)},
             after={"candidate": candidate_key, "status": admission.status, "by": acting.partner})
    return admission


def withdraw_goal_agreement(p: Partnership, goal_key: str, acting: Acting, comment: str | None, *,
                            goals_open: bool, now: datetime) -> str:
    """Withdraw a partner's agreement to a goal while goals are open ('withdrawn'); later it is an amendment
    proposal for the coordinator ('proposed') and the agreement stands."""
    text = required_text(comment, "comment")
    goal = p.goal(goal_key)
    p.partner(acting.partner)
    if acting.partner not in goal.agreed_by:
        raise NotAllowed(f"partner {acting.partner!r} has not agreed to goal {goal_key!r}; "
                         "there is nothing to withdraw")
    if goals_open:
        before = list(goal.agreed_by)
        goal.agreed_by = [k for k in goal.agreed_by if k != acting.partner]
        p.record("goal.withdraw", actor=acting.actor, now=now, reason=text, on_behalf_of=acting.on_behalf_of,
                 before={"goal": goal_key, "agreed_by": before},
                 after={"goal": goal_key, "agreed_by": goal.agreed_by, "partner": acting.partner})
        return "withdrawn"
    if any(x.get("partner") == acting.partner for x in goal.withdrawal_proposals or []):
        raise NotAllowed(f"partner {acting.partner!r} has already proposed to withdraw from goal {goal_key!r}",
                         details=["the coordinator decides on it (amend the partnership to change the goal)"])
    proposal = {"partner": acting.partner, "comment": text, "at": now.isoformat(), "by": acting.actor,
                "on_behalf_of": acting.on_behalf_of}
    goal.withdrawal_proposals = [*(goal.withdrawal_proposals or []), proposal]  # reassign: JSON tracked by identity
    p.record("goal.withdrawal_proposed", actor=acting.actor, now=now, reason=text, on_behalf_of=acting.on_behalf_of,
             before={"goal": goal_key, "agreed_by": list(goal.agreed_by)},
             after={"goal": goal_key, "partner": acting.partner, "proposal": "withdraw agreement (amendment)"})
    return "proposed"
