"""Plain dictionaries of partnerships for `--json` output and the API: one shape, used everywhere."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from pppflow.domain.audit import AuditEntry, ChainReport
from pppflow.domain.checkins.progress import CheckIn
from pppflow.domain.interchange import partner_to_spec
from pppflow.domain.model import Admission, AdmissionStatus, Partner, Partnership

if TYPE_CHECKING:  # listing partnerships compiles no lifecycle
    from pppflow.domain.lifecycle import TriggerCheck


def partnership_summary(p: Partnership) -> dict[str, Any]:
    return {"ref": p.ref, "name": p.name, "workflow": p.workflow, "stage": p.stage,
            "return_stage": p.return_stage, "partners": len(p.partners), "language": p.language,
            "updated_at": p.updated_at}


def trigger_view(c: TriggerCheck) -> dict[str, Any]:
    return {"trigger": c.trigger, "dest": c.dest, "allowed": c.allowed, "reasons": list(c.reasons),
            "reason_required": c.reason_required}


def checkin_view(c: CheckIn, grace_days: int, as_of: date | None = None) -> dict[str, Any]:
    """One check-in; with `as_of`, its status on that day (upcoming, due, missed, held)."""
    return {"date": c.due, "status": c.status_on(as_of, grace_days) if as_of else c.status, "held_on": c.held_on,
            "notes": c.notes, "feedback": c.feedback, "recorded_by": c.recorded_by}


def partnership_detail(p: Partnership, checks: list[TriggerCheck], next_checkin: CheckIn | None = None,
                       as_of: date | None = None) -> dict[str, Any]:
    signed = {s.partner_key for s in p.signoffs}
    return {
        **partnership_summary(p),
        "building_block": p.building_block, "region": p.region, "legal_form": p.legal_form,
        "coordinator": {"name": p.coordinator_name, "email": p.coordinator_email},
        "term": {"start": p.term_start, "months": p.term_months, "notice_days": p.term_notice_days,
                 "renewal": p.term_renewal},
        "checkins": {"cadence": p.checkin_cadence, "first": p.checkin_first,
                     "remind_days_before": p.remind_days_before, "grace_days": p.grace_days,
                     "next": checkin_view(next_checkin, p.grace_days, as_of) if next_checkin else None},
        "partners": [{**partner_to_spec(x), "signed": x.key in signed} for x in p.partners],
        "goals": [{"key": g.key, "statement": g.statement, "indicators": g.indicators, "target_date": g.target_date,
                   "owners": g.owners, "agreed_by": g.agreed_by,
                   "awaiting": [k for k in p.partner_keys if k not in g.agreed_by],
                   "withdrawal_proposals": list(g.withdrawal_proposals or [])} for g in p.goals],
        "responsibilities": [{"partner": r.partner_key, "role": r.role} for r in p.responsibilities],
        "channels": [{"kind": c.kind, "description": c.description} for c in p.channels],
        "obligations": [{"key": o.key, "title": o.title, "owner": o.owner, "type": o.type, "phase": o.phase,
                         "due": o.due, "status": o.status, "evidence": o.evidence} for o in p.obligations],
        "contributions": [{"partner": c.partner_key, "kind": c.kind, "phase": c.phase, "amount": c.amount,
                           "unit": c.unit, "description": c.description} for c in p.contributions],
        "signoffs": [{"partner": s.partner_key, "name": s.signatory_name, "title": s.signatory_title,
                      "signed_at": s.signed_at, "method": s.method, "agreement_version": s.agreement_version}
                     for s in p.signoffs],
        "admissions": [admission_view(p, a) for a in p.admissions],
        "triggers": [trigger_view(c) for c in checks],
    }


def admission_view(p: Partnership, a: Admission) -> dict[str, Any]:
    """A proposed partner: who it is, who approved, and (while pending) which partners must still approve."""
    pending = a.status == AdmissionStatus.PENDING
    return {"ref": p.ref, "candidate": a.candidate_key, "partner": partner_to_spec(Partner(**a.candidate)),
            "responsibility": a.responsibility, "status": a.status, "approvals": a.approvals,
            "awaiting": [k for k in p.partner_keys if k not in a.approvals] if pending else [],
            "requested_at": a.requested_at, "requested_by": a.requested_by, "decided_at": a.decided_at,
            "rejected_by": a.rejected_by, "rejection_reason": a.rejection_reason}


def audit_entry_view(e: AuditEntry) -> dict[str, Any]:
    return {"seq": e.seq, "partnership": e.partnership_ref, "at": e.at, "actor": e.actor, "action": e.action,
            "before": json.loads(e.before), "after": json.loads(e.after), "reason": e.reason, "hash": e.hash,
            "on_behalf_of": e.on_behalf_of,
            "acted_as": f"coordinator {e.actor} on behalf of {e.on_behalf_of}" if e.on_behalf_of else e.actor}


def chain_report_view(r: ChainReport) -> dict[str, Any]:
    return {"ok": r.ok, "entries": r.entries, "broken_at": r.broken_at, "problem": r.problem,
            "checkpoints": r.checkpoints}


def goal_agreed_view(ref: str, p: Partnership, key: str) -> dict[str, Any]:
    """A goal after a partner agreed to it: the goal, with the partnership's REF."""
    goal = next(g for g in partnership_detail(p, [])["goals"] if g["key"] == key)
    return {"ref": ref, "goal": key, **goal}


def obligation_status_view(ref: str, p: Partnership, key: str) -> dict[str, Any]:
    """An obligation after its status changed, with the partnership's REF."""
    obligation = next(o for o in partnership_detail(p, [])["obligations"] if o["key"] == key)
    return {"ref": ref, "obligation": key, **obligation}


def evidence_view(ref: str, f: Any) -> dict[str, Any]:
    """An evidence file attached to an obligation (an `EvidenceFile`)."""
    return {"ref": ref, "obligation": f.obligation, "sha256": f.sha256, "filename": f.filename,
            "media_type": f.media_type, "size": f.size, "attached_by": f.attached_by, "attached_at": f.attached_at}


def maturity_view(ref: str, view: Any) -> dict[str, Any]:
    """Per station and partner the latest level (a `MaturityOverview`), and the disagreements."""
    return {"ref": ref, "framework": view.framework.key, "rounds": view.rounds,
            "stations": [{"station": s.number, "title": s.title, "partners": s.per_partner} for s in view.stations],
            "disagreements": view.disagreements}


def maturity_round_view(ref: str, rnd: Any) -> dict[str, Any]:
    """A maturity round just recorded, with every answer."""
    return {"ref": ref, "round": rnd.number, "partner": rnd.partner_key, "framework": rnd.framework,
            "recorded_by": rnd.recorded_by, "on_behalf_of": rnd.on_behalf_of, "recorded_at": rnd.recorded_at,
            "answers": [{"key": a.key, "station": a.station, "level": a.level, "evidence": a.evidence}
                        for a in rnd.answers]}


def invitation_view(issued: Any, mail_sent: bool) -> dict[str, Any]:
    """An invitation just issued: the (disabled) user, where the link went, until when it works."""
    u = issued.user
    return {"username": u.username, "role": u.role, "partner_organisation": u.partner_organisation,
            "disabled": u.disabled, "created_at": u.created_at, "email": issued.email,
            "expires_at": issued.expires_at, "language": issued.language, "mail": "sent" if mail_sent else "pending"}
