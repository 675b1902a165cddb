"""One line in plain words per audit entry: the history in the CLI and on the partnership page."""

from __future__ import annotations

import json
from typing import Any

from pppflow.domain.audit import AuditEntry


def _label(value: Any) -> str:
    return str(value).replace("_", " ")


def describe(e: AuditEntry) -> str:
    """What an audit entry changed, e.g. `draft → goals defined (define goals)`."""
    before, after = json.loads(e.before), json.loads(e.after)
    after = after if isinstance(after, dict) else {}
    before = before if isinstance(before, dict) else {}
    if e.action == "transition":
        return f"{_label(before.get('stage'))} → {_label(after.get('stage'))} ({_label(after.get('trigger'))})"
    if e.action == "goal.agree":
        new = [k for k in after.get("agreed_by", []) if k not in before.get("agreed_by", [])]
        return f"goal {after.get('goal')} agreed by {', '.join(new)}"
    if e.action == "goal.withdraw":
        return f"goal {after.get('goal')}: {after.get('partner')} withdrew its agreement"
    if e.action == "goal.withdrawal_proposed":
        return f"goal {after.get('goal')}: {after.get('partner')} proposes to withdraw (amendment for the coordinator)"
    if e.action == "admission.reject":
        return f"admission of {after.get('candidate')} rejected by {after.get('by')}"
    if e.action == "obligation.status":
        return f"obligation {after.get('obligation')}: {before.get('status')} → {after.get('status')}"
    if e.action == "signoff.record":
        version = f" version {after['agreement_version']}" if after.get("agreement_version") else ""
        return f"{after.get('partner')} signed{version} ({after.get('name')})"
    if e.action == "checkin.record":
        effort = [f"{x.get('obligation')} {x.get('hours')} h" for x in after.get("effort") or []
                  if isinstance(x, dict)]
        results = [f"{x.get('obligation')} {x.get('status')}" for x in after.get("results") or []
                   if isinstance(x, dict)]
        return (f"check-in of {after.get('checkin')} held on {after.get('held_on')}"
                + (f"; effort: {', '.join(effort)}" if effort else "")
                + (f"; results: {', '.join(results)}" if results else ""))
    if e.action == "checkin.missed":
        return f"check-in of {', '.join(after.get('checkins', []))} missed"
    if e.action == "checkins.replan":
        added, dropped = len(after.get("added", [])), len(before.get("dropped", []))
        return f"check-ins re-planned ({after.get('cadence')}): {added} added, {dropped} dropped"
    if e.action == "checkins.schedule":
        return (f"{after.get('added')} check-ins planned, {after.get('first')} to {after.get('last')} "
                f"({after.get('cadence')})")
    if e.action == "partnership.amend":
        return f"content amended: {', '.join(after.get('changed', []))}"
    if e.action == "partnership.import":
        return f"imported as {after.get('ref')} in stage {_label(after.get('stage'))}"
    if e.action == "agreement.generate":
        return f"agreement version {after.get('version')} generated ({after.get('status')}, {after.get('language')})"
    if e.action == "agreement.signed":
        return f"agreement version {after.get('version')} signed by every partner"
    if e.action == "agreement.executed_copy":
        return f"executed copy of version {after.get('version')} issued"
    if e.action.startswith("admission."):
        candidate = after.get("candidate", "")  # the whole partner when requested, its key when approved
        who = (candidate.get("key", "") if isinstance(candidate, dict) else candidate) \
            or ", ".join(after.get("partners", []))
        return f"{_label(e.action.split('.', 1)[1])}: {who}"
    summary = ", ".join(f"{k} {v}" for k, v in after.items() if not isinstance(v, (dict, list)))
    return f"{_label(e.action)}" + (f": {summary}" if summary else "")
