"""Plain dictionaries of check-ins, the agenda and the outbox: what `--json` and the API show (one shape)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from pppflow.services.checkins import CheckinOverview, CheckinRecord, effort_view
from pppflow.services.views import checkin_view


def checkins_view(ref: str, overview: CheckinOverview, as_of: date) -> dict[str, Any]:
    """Every planned check-in with its status on `as_of`, and the effort log."""
    grace = overview.partnership.grace_days
    return {"ref": ref, "as_of": as_of, "checkins": [checkin_view(c, grace, as_of) for c in overview.checkins],
            "effort_log": [{"checkin": due, **effort_view(e)} for due, e in overview.efforts]}


def checkin_record_view(ref: str, recorded: CheckinRecord) -> dict[str, Any]:
    """A check-in just recorded as held: its notes, the effort logged and the results reported."""
    c = recorded.checkin
    return {"ref": ref, "checkin": c.due, "status": c.status, "held_on": c.held_on, "notes": c.notes,
            "feedback": c.feedback, "efforts": [effort_view(e) for e in recorded.report.efforts],
            "results": [dataclasses.asdict(r) for r in recorded.report.results]}


def agenda_view(i: Any, as_of: date) -> dict[str, Any]:
    """An agenda item, with its distance in days from `as_of`."""
    return {"kind": i.kind, "ref": i.ref, "name": i.name, "date": i.day, "days": (i.day - as_of).days,
            "status": i.status, "obligation": i.obligation, "title": i.title, "owner": i.owner}


def outbox_view(m: Any, folder: Path | None) -> dict[str, Any]:
    """An outbox row; `file` is the .eml the file mailer wrote in `folder` (None: mail goes by SMTP)."""
    from pppflow.adapters.mail.transport import eml_name

    return {"id": m.id, "key": m.key, "ref": m.partnership_ref, "kind": m.kind, "step": m.step, "about": m.about,
            "send_on": m.send_on, "recipients": m.recipients, "subject": m.subject, "status": m.status,
            "failed": m.has_failed, "attempts": m.attempts, "last_error": m.last_error,
            "next_attempt_at": m.next_attempt_at, "created_at": m.created_at, "sent_at": m.sent_at,
            "handed_at": m.handed_at, "pruned_at": m.pruned_at, "message_id": m.message_id,
            "file": str(folder / f"{eml_name(m.message_id)}.eml") if folder is not None and m.sent_at else None}


def mail_folder(mailer: Any) -> Path | None:
    """Where the file mailer writes its .eml files; None for any other transport."""
    from pppflow.adapters.mail import FileMailer

    return mailer.directory if isinstance(mailer, FileMailer) else None
