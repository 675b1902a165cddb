"""The partnership aggregate and its parts.

Plain classes: the adapters map them onto tables imperatively, so the domain imports nothing but itself.
Every change goes through a method of `Partnership` that records an `AuditEvent`; the unit of work writes
those events to the audit trail in the same transaction as the change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pppflow.errors import NotAllowed, NotFound


class PartnerKind(StrEnum):
    EDUCATION = "education"
    COMPANY = "company"
    GOVERNMENT = "government"
    KNOWLEDGE_INSTITUTION = "knowledge_institution"
    OTHER = "other"


class ObligationType(StrEnum):
    RESULT = "result"
    EFFORT = "effort"


class Phase(StrEnum):
    INVESTMENT = "investment"
    MAINTENANCE = "maintenance"


class ObligationStatus(StrEnum):
    PENDING = "pending"
    FULFILLED = "fulfilled"
    ACCEPTED = "accepted"
    WAIVED = "waived"
    BREACHED = "breached"


class ContributionKind(StrEnum):
    IN_KIND_HOURS = "in_kind_hours"
    EQUIPMENT = "equipment"
    FACILITIES = "facilities"
    CASH = "cash"
    STAFF_RELEASE = "staff_release"


class AgreementStatus(StrEnum):
    DRAFT = "draft"            # generated while the framework is incomplete: not for signature
    FINAL = "final"            # complete, awaiting signatures
    SIGNED = "signed"          # every partner's signatory signed this version
    SUPERSEDED = "superseded"  # a newer version replaced it


class AdmissionStatus(StrEnum):
    PENDING = "pending"
    ADMITTED = "admitted"
    REJECTED = "rejected"  # one existing partner said no (consensus with a veto)


# Which status an obligation may move to from each status; `accepted` only for result obligations.
OBLIGATION_STATUS_MOVES: dict[str, tuple[str, ...]] = {
    "pending": ("fulfilled", "waived", "breached"),
    "fulfilled": ("accepted", "breached", "pending"),
    "breached": ("fulfilled", "waived", "pending"),
    "accepted": (),
    "waived": (),
}


@dataclass(eq=False)
class Partner:
    key: str
    name: str
    kind: str
    contact_name: str = ""
    contact_email: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    address: str | None = None
    registration_number: str | None = None  # e.g. the Chamber of Commerce (KvK) number


@dataclass(eq=False)
class Goal:
    key: str
    statement: str
    indicators: list[str] = field(default_factory=list)
    target_date: date | None = None
    owners: list[str] = field(default_factory=list)
    agreed_by: list[str] = field(default_factory=list)
    # withdrawals asked for after the framework was agreed: amendment proposals for the coordinator
    withdrawal_proposals: list[dict[str, Any]] = field(default_factory=list)


@dataclass(eq=False)
class Responsibility:
    partner_key: str
    role: str


@dataclass(eq=False)
class Channel:
    kind: str
    description: str


@dataclass(eq=False)
class Obligation:
    key: str
    title: str
    owner: str
    type: str
    phase: str
    due: date | None = None
    acceptance_criteria: str | None = None
    payment_amount: Decimal | None = None
    payment_currency: str | None = None
    quality_guarantee: str | None = None
    effort: str | None = None
    status: str = ObligationStatus.PENDING.value
    evidence: str | None = None

    @property
    def is_result(self) -> bool:
        return self.type == ObligationType.RESULT


@dataclass(eq=False)
class Contribution:
    partner_key: str
    kind: str
    phase: str
    amount: Decimal
    unit: str
    description: str = ""


@dataclass(eq=False)
class SignOff:
    """A partner's signatory signing the agreement (optionally one document version, by its hash)."""

    partner_key: str
    signatory_name: str
    signatory_title: str
    signed_at: datetime
    method: str = "recorded"
    agreement_version: int | None = None
    document_hash: str | None = None
    certificate: str | None = None  # the signing certificate's subject, for a digital (PAdES) signature


@dataclass(eq=False)
class Admission:
    """A request to admit a new partner; it joins only when every existing partner approved."""

    candidate_key: str
    candidate: dict[str, Any]
    requested_at: datetime
    requested_by: str
    responsibility: str | None = None
    approvals: list[str] = field(default_factory=list)
    status: str = AdmissionStatus.PENDING.value
    decided_at: datetime | None = None
    rejected_by: str | None = None
    rejection_reason: str | None = None


@dataclass(eq=False)
class AgreementVersion:
    """An immutable generated agreement: what it was made from, and where its PDF is."""

    number: int
    stage: str
    language: str
    template_name: str
    template_hash: str
    content_hash: str
    agreement_epoch: int
    html_sha256: str
    pdf_sha256: str
    document_path: str
    created_by: str
    created_at: datetime
    snapshot: dict[str, Any] = field(default_factory=dict)
    status: str = AgreementStatus.DRAFT.value
    signed_pdf_sha256: str | None = None      # the executed copy, rendered once every signatory signed
    signed_document_path: str | None = None
    draft_reasons: list[str] = field(default_factory=list)  # why it was generated as a draft, in words
    # PDF revisions with PAdES signatures, oldest first: {"sha256", "path", "partner", "signer"} each
    revisions: list[dict[str, Any]] | None = field(default_factory=list)
    translation_of: int | None = None  # a courtesy translation: the number of the original it translates


@dataclass(frozen=True)
class AuditEvent:
    """What happened to a partnership: written to the hash-chained audit trail by the unit of work."""

    action: str
    actor: str
    at: datetime
    before: Any
    after: Any
    reason: str | None = None
    on_behalf_of: str | None = None  # the partner organisation the actor acted for (a coordinator for a partner)


@dataclass(eq=False)
class Partnership:
    ref: str
    name: str
    workflow: str = "ppp-lifecycle"
    stage: str = "draft"
    return_stage: str | None = None
    building_block: str | None = None
    region: str | None = None
    legal_form: str = "none"
    entity_name: str | None = None  # the partnership's own legal entity, when it has one
    entity_registration: str | None = None
    language: str = "en"
    governing_language: str | None = None  # the agreement's governing language when not `language`
    coordinator_name: str = ""
    coordinator_email: str = ""
    checkin_cadence: str | None = None
    checkin_first: date | None = None
    checkin_time: str | None = None  # HH:MM, local; None: the calendar invitation is all-day
    checkin_minutes: int | None = None
    checkin_location: str | None = None
    remind_days_before: int = 7
    grace_days: int = 3
    term_start: date | None = None
    term_months: int | None = None
    term_notice_days: int = 90
    term_renewal: str = "manual"
    term_renewal_months: int | None = None  # the renewal period; None: a renewal adds the term's length again
    agreement_epoch: int = 0  # raised by triggers that invalidate signed agreements (renew)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    partners: list[Partner] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    signoffs: list[SignOff] = field(default_factory=list)
    admissions: list[Admission] = field(default_factory=list)
    agreements: list[AgreementVersion] = field(default_factory=list)
    rates: list[dict[str, Any]] | None = None    # the ledger's rate table (spec `rates`), plain values
    funding: dict[str, Any] | None = None         # spec `funding`: {scheme, public_contribution}
    # The portfolio ledger page's totals, kept on the row in the same transaction as what changes them:
    # committed contributions valued in EUR (import, amend) and the sum of the ledger's values (every entry).
    committed_cents: int | None = None
    realised_cents: int = 0

    # --- events -------------------------------------------------------------------------------
    @property
    def events(self) -> list[AuditEvent]:
        """Events recorded since load; not persisted on the row (the ORM does not call __init__)."""
        events: list[AuditEvent] = self.__dict__.setdefault("_events", [])
        return events

    def record(self, action: str, *, actor: str, now: datetime, before: Any, after: Any,
               reason: str | None = None, on_behalf_of: str | None = None) -> None:
        self.events.append(AuditEvent(action, actor, now, before, after, reason, on_behalf_of))
        self.updated_at = now

    # --- lookups ------------------------------------------------------------------------------
    @property
    def partner_keys(self) -> list[str]:
        return [p.key for p in self.partners]

    def partner(self, key: str) -> Partner:
        for p in self.partners:
            if p.key == key:
                return p
        raise NotFound(f"partnership {self.ref!r} has no partner {key!r}",
                       details=[f"partners: {', '.join(self.partner_keys)}"])

    def goal(self, key: str) -> Goal:
        for g in self.goals:
            if g.key == key:
                return g
        raise NotFound(f"partnership {self.ref!r} has no goal {key!r}",
                       details=[f"goals: {', '.join(g.key for g in self.goals)}"])

    def obligation(self, key: str) -> Obligation:
        for o in self.obligations:
            if o.key == key:
                return o
        raise NotFound(f"partnership {self.ref!r} has no obligation {key!r}",
                       details=[f"obligations: {', '.join(o.key for o in self.obligations)}"])

    def pending_admission(self, candidate_key: str) -> Admission:
        for a in self.admissions:
            if a.candidate_key == candidate_key and a.status == AdmissionStatus.PENDING:
                return a
        raise NotFound(f"partnership {self.ref!r} has no pending admission of {candidate_key!r}")

    # --- changes ------------------------------------------------------------------------------
    def agree_goal(self, goal_key: str, partner_key: str, *, actor: str, now: datetime,
                   on_behalf_of: str | None = None) -> None:
        """Record that a partner agrees to a goal; agreeing twice is refused."""
        goal = self.goal(goal_key)
        self.partner(partner_key)
        if partner_key in goal.agreed_by:
            raise NotAllowed(f"partner {partner_key!r} has already agreed to goal {goal_key!r}")
        before = list(goal.agreed_by)
        goal.agreed_by = [*goal.agreed_by, partner_key]  # reassign: the ORM tracks JSON by identity
        self.record("goal.agree", actor=actor, now=now, on_behalf_of=on_behalf_of,
                    before={"goal": goal_key, "agreed_by": before},
                    after={"goal": goal_key, "agreed_by": goal.agreed_by})

    def set_obligation_status(self, key: str, status: str, *, evidence: str | None, actor: str,
                              now: datetime, reason: str | None = None) -> None:
        """Move an obligation to a new status along OBLIGATION_STATUS_MOVES."""
        obligation = self.obligation(key)
        try:
            new = ObligationStatus(status)
        except ValueError:
            raise NotAllowed(f"unknown obligation status {status!r}",
                             details=[f"must be one of {', '.join(s.value for s in ObligationStatus)}"]) from None
        if new == ObligationStatus.ACCEPTED and not obligation.is_result:
            raise NotAllowed(f"obligation {key!r} is an effort obligation: best efforts are owed, "
                             "there is no outcome to accept (use 'fulfilled')")
        allowed = OBLIGATION_STATUS_MOVES[obligation.status]
        if new.value not in allowed:
            moves = ", ".join(allowed) or "none, it is final"
            raise NotAllowed(f"obligation {key!r} cannot go from {obligation.status} to {new.value}",
                             details=[f"allowed from {obligation.status}: {moves}"])
        before = {"obligation": key, "status": obligation.status, "evidence": obligation.evidence}
        obligation.status = new.value
        if evidence:
            obligation.evidence = evidence
        self.record("obligation.status", actor=actor, now=now, before=before, reason=reason,
                    after={"obligation": key, "status": obligation.status, "evidence": obligation.evidence})

    def record_signoff(self, partner_key: str, name: str, title: str | None, *, actor: str, now: datetime,
                       method: str = "recorded", agreement_version: int | None = None,
                       document_hash: str | None = None, certificate: str | None = None) -> SignOff:
        """Record a partner's signature; the name must be that partner's signatory."""
        partner = self.partner(partner_key)
        if partner.signatory_name and name.strip().casefold() != partner.signatory_name.strip().casefold():
            raise NotAllowed(f"{name!r} is not the signatory of {partner_key!r}",
                             details=[f"the signatory of {partner_key} is {partner.signatory_name}"])
        for s in self.signoffs:
            if s.partner_key == partner_key and s.agreement_version == agreement_version \
                    and s.document_hash == document_hash:
                raise NotAllowed(f"partner {partner_key!r} has already signed"
                                 + (f" version {agreement_version}" if agreement_version else ""))
        signoff = SignOff(partner_key, name.strip(), (title or partner.signatory_title or "").strip(), now,
                          method, agreement_version, document_hash, certificate)
        self.signoffs.append(signoff)
        self.record("signoff.record", actor=actor, now=now, before=None,
                    after={"partner": partner_key, "name": signoff.signatory_name,
                           "title": signoff.signatory_title, "method": method,
                           "agreement_version": agreement_version, "document_hash": document_hash,
                           **({"certificate": certificate} if certificate else {})})
        return signoff

    def request_admission(self, candidate: Partner, responsibility: str | None, *, actor: str,
                          now: datetime) -> Admission:
        """Propose a new partner; it joins only after every existing partner approves."""
        if candidate.key in self.partner_keys:
            raise NotAllowed(f"{candidate.key!r} is already a partner of {self.ref!r}")
        if any(a.candidate_key == candidate.key and a.status == AdmissionStatus.PENDING
               for a in self.admissions):
            raise NotAllowed(f"the admission of {candidate.key!r} is already pending")
        admission = Admission(candidate.key, dataclasses.asdict(candidate), now, actor, responsibility)
        self.admissions.append(admission)
        self.record("admission.request", actor=actor, now=now, before=None,
                    after={"candidate": admission.candidate, "responsibility": responsibility})
        return admission

    def approve_admission(self, candidate_key: str, by_partner: str, *, actor: str, now: datetime,
                          on_behalf_of: str | None = None) -> bool:
        """Record one partner's approval; returns True when this approval admitted the candidate."""
        admission = self.pending_admission(candidate_key)
        self.partner(by_partner)
        if by_partner in admission.approvals:
            raise NotAllowed(f"{by_partner!r} has already approved the admission of {candidate_key!r}")
        before = list(admission.approvals)
        admission.approvals = [*admission.approvals, by_partner]
        self.record("admission.approve", actor=actor, now=now, on_behalf_of=on_behalf_of,
                    before={"candidate": candidate_key, "approvals": before},
                    after={"candidate": candidate_key, "approvals": admission.approvals})
        missing = [k for k in self.partner_keys if k not in admission.approvals]
        if missing:
            return False
        self.partners.append(Partner(**admission.candidate))
        if admission.responsibility:
            self.responsibilities.append(Responsibility(candidate_key, admission.responsibility))
        admission.status = AdmissionStatus.ADMITTED.value
        admission.decided_at = now
        self.record("admission.admit", actor=actor, now=now, before={"partners": before_keys(self, candidate_key)},
                    after={"partners": self.partner_keys})
        return True

    def require_term(self) -> int:
        """Refuse a renewal of a partnership that has no term; else its months."""
        if not (self.term_start and self.term_months):
            raise NotAllowed(f"“{self.name}” has no term to renew",
                             details=["the spec's term (start and months) says how long the partnership runs"])
        return self.term_months

    def extend_term(self, months: int, *, actor: str, now: datetime, reason: str | None = None) -> None:
        """Extend the term by `months` (a renewal); a partnership without a term has nothing to extend."""
        before = self.require_term()
        if months < 1:
            raise NotAllowed(f"a renewal extends the term by at least one month, not {months}")
        self.term_months = before + months
        self.record("term.extend", actor=actor, now=now, reason=reason,
                    before={"start": self.term_start, "months": before},
                    after={"start": self.term_start, "months": self.term_months, "extended_by": months})

    def awaiting_approval(self, candidate_key: str) -> list[str]:
        admission = self.pending_admission(candidate_key)
        return [k for k in self.partner_keys if k not in admission.approvals]


def before_keys(p: Partnership, joined: str) -> list[str]:
    return [k for k in p.partner_keys if k != joined]
