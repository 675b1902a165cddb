"""One line in plain words per audit entry: the history in the CLI and on the partnership page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pppflow.domain.audit import AuditEntry


def _label(value: Any) -> str:
    return str(value).replace("_", " ")


def describe(e: AuditEntry) -> str:
    """What an audit entry changed, e.g. `draft → goals defined (define goals)`."""
    before, after = json.loads(e.before), json.loads(e.after)
    after = after if isinstance(after, dict) else {}
    before = before if isinstance(before, dict) else {}
    words = _WORDS.get(e.action)
    if words is not None:
        return words(before, after)
    if e.action.startswith("admission."):
        candidate = after.get("candidate", "")  # the whole partner when requested, its key when approved
        who = (candidate.get("key", "") if isinstance(candidate, dict) else candidate) \
            or ", ".join(after.get("partners", []))
        return f"{_label(e.action.split('.', 1)[1])}: {who}"
    summary = ", ".join(f"{k} {v}" for k, v in after.items() if not isinstance(v, (dict, list)))
    return f"{_label(e.action)}" + (f": {summary}" if summary else "")


Values = dict[str, Any]


def _goal_agreed(before: Values, after: Values) -> str:
    new = [k for k in after.get("agreed_by", []) if k not in before.get("agreed_by", [])]
    return f"goal {after.get('goal')} agreed by {', '.join(new)}"


def _signed(before: Values, after: Values) -> str:
    version = f" version {after['agreement_version']}" if after.get("agreement_version") else ""
    return f"{after.get('partner')} signed{version} ({after.get('name')})"


def _checkin_held(before: Values, after: Values) -> str:
    effort = [f"{x.get('obligation')} {x.get('hours')} h" for x in after.get("effort") or [] if isinstance(x, dict)]
    results = [f"{x.get('obligation')} {x.get('status')}" for x in after.get("results") or [] if isinstance(x, dict)]
    return (f"check-in of {after.get('checkin')} held on {after.get('held_on')}"
            + (f"; effort: {', '.join(effort)}" if effort else "")
            + (f"; results: {', '.join(results)}" if results else ""))


def _replanned(before: Values, after: Values) -> str:
    added, dropped = len(after.get("added", [])), len(before.get("dropped", []))
    return f"check-ins re-planned ({after.get('cadence')}): {added} added, {dropped} dropped"


_WORDS: dict[str, Callable[[Values, Values], str]] = {
    "transition": lambda b, a: f"{_label(b.get('stage'))} → {_label(a.get('stage'))} ({_label(a.get('trigger'))})",
    "goal.agree": _goal_agreed,
    "goal.withdraw": lambda b, a: f"goal {a.get('goal')}: {a.get('partner')} withdrew its agreement",
    "goal.withdrawal_proposed": lambda b, a: f"goal {a.get('goal')}: {a.get('partner')} proposes to withdraw "
                                             "(amendment for the coordinator)",
    "admission.reject": lambda b, a: f"admission of {a.get('candidate')} rejected by {a.get('by')}",
    "obligation.status": lambda b, a: f"obligation {a.get('obligation')}: {b.get('status')} → {a.get('status')}",
    "signoff.record": _signed,
    "checkin.record": _checkin_held,
    "checkin.missed": lambda b, a: f"check-in of {', '.join(a.get('checkins', []))} missed",
    "checkins.replan": _replanned,
    "checkins.schedule": lambda b, a: (f"{a.get('added')} check-ins planned, {a.get('first')} to {a.get('last')} "
                                       f"({a.get('cadence')})"),
    "partnership.amend": lambda b, a: f"content amended: {', '.join(a.get('changed', []))}",
    "partnership.import": lambda b, a: f"imported as {a.get('ref')} in stage {_label(a.get('stage'))}",
    "agreement.generate": lambda b, a: (f"agreement version {a.get('version')} generated ({a.get('status')}, "
                                        f"{a.get('language')})"),
    "agreement.signed": lambda b, a: f"agreement version {a.get('version')} signed by every partner",
    "agreement.executed_copy": lambda b, a: f"executed copy of version {a.get('version')} issued",
}
