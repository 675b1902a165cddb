"""What is asked of a partner in a partnership: pure, so the page, the navigation and the digest agree.

Goals awaiting its agreement, admissions awaiting its answer, agreement versions awaiting its signatory, and
check-ins and obligations it owns that are due (within the reminder window) or overdue.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from pppflow.domain.agreement import versions as av
from pppflow.domain.checkins.progress import CheckIn
from pppflow.domain.model import AdmissionStatus, AgreementStatus, ObligationStatus, Partnership

KINDS = ("goal", "admission", "signature", "checkin", "obligation")
OPEN_OBLIGATIONS = (ObligationStatus.PENDING.value, ObligationStatus.BREACHED.value)


@dataclass(frozen=True)
class Ask:
    """One thing awaiting a partner, in words, with the page where it is answered."""

    kind: str          # goal | admission | signature | checkin | obligation
    ref: str
    partnership: str   # the partnership's name
    language: str      # the partnership's language (for the digest)
    key: str           # the goal, candidate, version, check-in date or obligation it is about
    what: str
    link: str          # a path on the web app, e.g. /partnerships/REF#goal-modules
    due: date | None = None
    overdue: bool = False


def asks_in(p: Partnership, party: str, checkins: list[CheckIn], as_of: date) -> Iterator[Ask]:
    """What awaits partner `party` in one partnership on `as_of` (its open check-ins given)."""
    if party not in p.partner_keys:
        return
    yield from _consent_asks(p, party)
    yield from _work_asks(p, party, checkins, as_of)


def _ask(p: Partnership, kind: str, key: str, what: str, link: str, due: date | None = None,
         overdue: bool = False) -> Ask:
    return Ask(kind, p.ref, p.name, p.language, key, what, link, due, overdue)


def _consent_asks(p: Partnership, party: str) -> Iterator[Ask]:
    """Goals to agree, admissions to decide, agreement versions to sign."""
    base = f"/partnerships/{p.ref}"
    for g in p.goals:
        if party not in g.agreed_by:
            yield _ask(p, "goal", g.key, f"agree the goal '{g.key}': {g.statement}", f"{base}#goal-{g.key}",
                       g.target_date)
    for a in p.admissions:
        if a.status == AdmissionStatus.PENDING and party not in a.approvals:
            name = a.candidate.get("name", a.candidate_key)
            yield _ask(p, "admission", a.candidate_key,
                       f"approve or reject {name} ({a.candidate_key}) as a new partner",
                       f"{base}#admission-{a.candidate_key}")
    for v in p.agreements:
        if v.status == AgreementStatus.FINAL and party in av.unsigned_partners(p, v):
            signatory = p.partner(party).signatory_name or "your signatory"
            yield _ask(p, "signature", str(v.number), f"{signatory} to sign agreement version {v.number}",
                       f"{base}/agreements")


def _work_asks(p: Partnership, party: str, checkins: list[CheckIn], as_of: date) -> Iterator[Ask]:
    """Progress to report for check-ins coming or overdue, obligations of the partner's due soon or late."""
    base = f"/partnerships/{p.ref}"
    owned = [o for o in p.obligations if o.owner == party]
    soon = as_of + timedelta(days=p.remind_days_before)
    if owned:
        for c in checkins:
            state = c.status_on(as_of, p.grace_days)
            if state in ("due", "missed") or (state == "upcoming" and c.due <= soon):
                keys = ", ".join(o.key for o in owned)
                yield _ask(p, "checkin", c.due.isoformat(), f"report progress on {keys} for the check-in of {c.due}",
                           f"{base}#checkins", c.due, overdue=state == "missed")
    for o in owned:
        if o.status in OPEN_OBLIGATIONS and o.due is not None and o.due <= soon:
            late = o.due < as_of
            yield _ask(p, "obligation", o.key, f"{'overdue' if late else 'due'}: obligation '{o.key}' ({o.title})",
                       f"{base}#obligation-{o.key}", o.due, overdue=late)
