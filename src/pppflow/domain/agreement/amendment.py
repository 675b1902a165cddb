"""Amending a partnership's agreed content from a revised spec, keeping its history and workflow state.

Partners join only by admission (consensus), so an amendment cannot add or remove partners; it may update their
details. A goal whose wording, indicators, target or owners change must be agreed again by every partner.
Obligations keep their status and evidence by key. Any amendment changes the content hash, so a signed
agreement no longer holds for it until a new version is signed.
"""

from __future__ import annotations

from datetime import datetime

from pppflow.domain.agreement.versions import content_hash
from pppflow.domain.interchange import partnership_from_spec, partnership_to_spec
from pppflow.domain.model import Goal, Obligation, Partnership
from pppflow.domain.spec import PartnershipSpec
from pppflow.errors import NotAllowed

SCALARS = ("name", "building_block", "region", "legal_form", "language", "coordinator_name", "coordinator_email",
           "checkin_cadence", "checkin_first", "remind_days_before", "grace_days", "term_start", "term_months",
           "term_notice_days", "term_renewal", "term_renewal_months", "checkin_time", "checkin_minutes",
           "checkin_location", "governing_language")
PARTNER_FIELDS = ("name", "kind", "contact_name", "contact_email", "signatory_name", "signatory_title", "address")
OBLIGATION_FIELDS = ("title", "owner", "type", "phase", "due", "acceptance_criteria", "payment_amount",
                     "payment_currency", "quality_guarantee", "effort")


def amend(p: Partnership, spec: PartnershipSpec, *, actor: str, now: datetime, reason: str | None) -> list[str]:
    """Apply the revised content; returns the sections that changed (empty: nothing to amend)."""
    if spec.workflow != p.workflow:
        raise NotAllowed(f"an amendment cannot change the lifecycle ({p.workflow} -> {spec.workflow})")
    new = partnership_from_spec(spec, ref=p.ref, initial_stage=p.stage, now=now)
    if sorted(new.partner_keys) != sorted(p.partner_keys):
        added = sorted(set(new.partner_keys) - set(p.partner_keys))
        removed = sorted(set(p.partner_keys) - set(new.partner_keys))
        raise NotAllowed("an amendment cannot add or remove partners",
                         details=[f"added: {', '.join(added) or '-'}; removed: {', '.join(removed) or '-'}",
                                  "new partners join by consensus, through an admission"], hint="admit_partner")
    before_spec, before_hash = partnership_to_spec(p), content_hash(p)
    for field_ in SCALARS:
        setattr(p, field_, getattr(new, field_))
    for partner in p.partners:
        revised = next(x for x in new.partners if x.key == partner.key)
        for field_ in PARTNER_FIELDS:
            setattr(partner, field_, getattr(revised, field_))
    # Parts with a unique key are updated in place (the database keeps one row per key); others replaced.
    p.goals = _merged_goals(p.goals, new.goals)
    p.obligations = _merged_obligations(p.obligations, new.obligations)
    p.responsibilities, p.channels, p.contributions = new.responsibilities, new.channels, new.contributions
    p.rates, p.funding = new.rates, new.funding
    after_spec = partnership_to_spec(p)
    changed = [k for k in sorted(set(before_spec) | set(after_spec)) if before_spec.get(k) != after_spec.get(k)]
    if changed:
        p.record("partnership.amend", actor=actor, now=now, reason=reason,
                 before={"content_hash": before_hash}, after={"content_hash": content_hash(p), "changed": changed})
    return changed


def _merged_goals(current: list[Goal], revised: list[Goal]) -> list[Goal]:
    """The revised goals, keeping the stored goal of each key; a goal whose words changed needs agreeing again."""
    old_goals = {g.key: g for g in current}
    goals = []
    for g in revised:
        old = old_goals.get(g.key)
        if old is None:
            goals.append(g)
            continue
        if (old.statement, old.indicators, old.target_date, old.owners) != (g.statement, g.indicators,
                                                                            g.target_date, g.owners):
            old.statement, old.indicators, old.target_date, old.owners = g.statement, g.indicators, g.target_date, \
                g.owners
            old.agreed_by = []
        goals.append(old)
    return goals


def _merged_obligations(current: list[Obligation], revised: list[Obligation]) -> list[Obligation]:
    """The revised obligations, keeping the stored obligation of each key with the revised fields."""
    old_obligations = {o.key: o for o in current}
    obligations = []
    for o in revised:
        kept = old_obligations.get(o.key)
        if kept is None:
            obligations.append(o)
            continue
        for field_ in OBLIGATION_FIELDS:
            setattr(kept, field_, getattr(o, field_))
        obligations.append(kept)
    return obligations
