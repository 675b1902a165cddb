"""Convert between the validated `pppflow/v1` spec and the `Partnership` model, both ways.

Export writes the agreement content, not the workflow state (stage, goal agreements, sign-offs): an import
of an export starts a new partnership in the lifecycle's initial stage with the same content.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pppflow.domain.model import (
    Channel,
    Contribution,
    Goal,
    Obligation,
    Partner,
    Partnership,
    Responsibility,
)
from pppflow.domain.spec_version import SPEC_VERSION

if TYPE_CHECKING:  # writing a spec out needs no models; reading one in gets them from its caller
    from pppflow.domain.spec import PartnershipSpec, PartnerSpec


def slugify(text: str, *, max_length: int = 60) -> str:
    """A short, URL-safe reference from a name: 'Smart Industry Pact' -> 'smart-industry-pact'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "partnership"


def partner_from_spec(s: PartnerSpec) -> Partner:
    return Partner(key=s.key, name=s.name, kind=s.kind, contact_name=s.contact.name,
                   contact_email=s.contact.email or "", signatory_name=s.signatory.name,
                   signatory_title=s.signatory.title or "", address=s.address,
                   registration_number=s.registration_number)


def partnership_from_spec(spec: PartnershipSpec, *, ref: str, initial_stage: str, now: datetime) -> Partnership:
    """A new partnership in the initial stage holding the spec's content."""
    p = Partnership(
        ref=ref, name=spec.name, workflow=spec.workflow, stage=initial_stage, building_block=spec.building_block,
        region=spec.region, legal_form=spec.legal_form, language=spec.language,
        entity_name=spec.entity.name if spec.entity else None,
        entity_registration=spec.entity.registration_number if spec.entity else None,
        governing_language=spec.agreement.governing_language if spec.agreement else None,
        coordinator_name=spec.coordinator.name, coordinator_email=spec.coordinator.email or "",
        created_at=now, updated_at=now,
    )
    if spec.checkins:
        p.checkin_cadence = spec.checkins.cadence
        p.checkin_first = spec.checkins.first
        p.checkin_time, p.checkin_location = spec.checkins.time, spec.checkins.location
        p.checkin_minutes = spec.checkins.minutes if spec.checkins.time else None
        p.remind_days_before = spec.checkins.remind_days_before
        p.grace_days = spec.checkins.grace_days
    if spec.term:
        p.term_start, p.term_months = spec.term.start, spec.term.months
        p.term_notice_days, p.term_renewal = spec.term.notice_days, spec.term.renewal
        p.term_renewal_months = spec.term.renewal_months
    p.partners = [partner_from_spec(x) for x in spec.partners]
    p.goals = [Goal(g.key, g.statement, list(g.indicators), g.target_date, list(g.owners), []) for g in spec.goals]
    p.responsibilities = [Responsibility(r.partner, r.role) for r in spec.responsibilities]
    p.channels = [Channel(c.kind, c.description) for c in spec.channels]
    p.obligations = [
        Obligation(key=o.key, title=o.title, owner=o.owner, type=o.type, phase=o.phase, due=o.due,
                   acceptance_criteria=o.acceptance_criteria,
                   payment_amount=o.payment.amount if o.payment else None,
                   payment_currency=o.payment.currency if o.payment else None,
                   quality_guarantee=o.quality_guarantee, effort=o.effort)
        for o in spec.obligations
    ]
    p.contributions = [Contribution(c.partner, c.kind, c.phase, c.amount, c.unit, c.description)
                       for c in spec.contributions]
    # decimals as text in JSON columns: exact, and the same on SQLite and PostgreSQL
    p.rates = [_drop_none({"unit": r.unit, "eur": str(r.eur), "role": r.role, "partner": r.partner, "kind": r.kind})
               for r in spec.rates] or None
    p.funding = ({"scheme": spec.funding.scheme, "public_contribution": str(spec.funding.public_contribution)}
                 if spec.funding else None)
    return p


def _number(value: Decimal) -> int | float | str:
    """An amount as a plain number, or as text where a float would lose a digit (17 significant digits)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value) if Decimal(repr(float(value))) == value else format(value, "f")


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def partner_to_spec(x: Partner) -> dict[str, Any]:
    return _drop_none({
        "key": x.key, "name": x.name, "kind": x.kind,
        "contact": _drop_none({"name": x.contact_name, "email": x.contact_email or None}),
        "signatory": _drop_none({"name": x.signatory_name, "title": x.signatory_title or None}),
        "address": x.address, "registration_number": x.registration_number,
    })


def partnership_to_spec(p: Partnership) -> dict[str, Any]:
    """The partnership's content in the pppflow/v1 format (dates as `date`, amounts as numbers)."""
    out: dict[str, Any] = {
        "spec": SPEC_VERSION, "name": p.name, "workflow": p.workflow, "building_block": p.building_block,
        "region": p.region, "legal_form": p.legal_form, "language": p.language,
        "coordinator": _drop_none({"name": p.coordinator_name, "email": p.coordinator_email or None}),
        "partners": [partner_to_spec(x) for x in p.partners],
        "goals": [_drop_none({"key": g.key, "statement": g.statement, "indicators": list(g.indicators),
                              "target_date": g.target_date, "owners": list(g.owners)}) for g in p.goals],
        "responsibilities": [{"partner": r.partner_key, "role": r.role} for r in p.responsibilities],
        "channels": [{"kind": c.kind, "description": c.description} for c in p.channels],
    }
    if p.entity_name:  # only when set: the content hash of partnerships without one stays as it was
        out["entity"] = _drop_none({"name": p.entity_name, "registration_number": p.entity_registration})
    if p.governing_language:  # only when set, as for the entity
        out["agreement"] = {"governing_language": p.governing_language}
    if p.checkin_cadence and p.checkin_first:
        out["checkins"] = {"cadence": p.checkin_cadence, "first": p.checkin_first,
                           "remind_days_before": p.remind_days_before, "grace_days": p.grace_days}
        if p.checkin_time:
            out["checkins"].update(time=p.checkin_time, minutes=p.checkin_minutes or 60)
        if p.checkin_location:
            out["checkins"]["location"] = p.checkin_location
    out["obligations"] = [_drop_none({
        "key": o.key, "title": o.title, "owner": o.owner, "type": o.type, "phase": o.phase, "due": o.due,
        "acceptance_criteria": o.acceptance_criteria,
        "payment": {"amount": _number(o.payment_amount), "currency": o.payment_currency or "EUR"}
        if o.payment_amount is not None else None,
        "quality_guarantee": o.quality_guarantee, "effort": o.effort,
    }) for o in p.obligations]
    out["contributions"] = [_drop_none({
        "partner": c.partner_key, "kind": c.kind, "phase": c.phase, "amount": _number(Decimal(c.amount)),
        "unit": c.unit, "description": c.description or None}) for c in p.contributions]
    if p.term_start and p.term_months:
        out["term"] = {"start": p.term_start, "months": p.term_months, "notice_days": p.term_notice_days,
                       "renewal": p.term_renewal}
        if p.term_renewal_months:
            out["term"]["renewal_months"] = p.term_renewal_months
    if p.rates:
        out["rates"] = [{**r, "eur": _number(Decimal(r["eur"]))} for r in p.rates]
    if p.funding:
        # the scheme's terms (copied in on import) are not content: the spec names the scheme only
        out["funding"] = {"scheme": p.funding["scheme"],
                          "public_contribution": _number(Decimal(p.funding["public_contribution"]))}
    return _drop_none(out)
