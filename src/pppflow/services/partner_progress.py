"""Partners record progress on the obligations their organisation owns; the coordinator reads it per check-in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.domain.consensus import Acting
from pppflow.domain.partner_progress import ProgressRecord, record_progress, reports_to


def add_progress(ref: str, obligation: str, acting: Acting, *, uow: UnitOfWork, now: datetime,
                 activities: Sequence[str] | None = None, hours: object = None,
                 evidence: str | None = None) -> ProgressRecord:
    """Store one effort-log entry or piece of result evidence, with its audit entry, in one transaction."""
    with uow:
        p = uow.partnerships.get(ref)
        record = record_progress(p, obligation, acting, activities=activities, hours=hours, evidence=evidence,
                                 now=now)
        uow.progress.add(ref, record)
        uow.commit()
    return record


def progress_records(ref: str, *, uow: UnitOfWork, obligation: str | None = None) -> list[dict[str, Any]]:
    """Every progress record (of one obligation), each with the check-in it reports to."""
    with uow:
        p = uow.partnerships.read(ref)
        if obligation is not None:
            p.obligation(obligation)  # unknown obligation: not found
        records = uow.progress.list(ref, obligation=obligation)
        dues = [c.due for c in uow.checkins.list(ref)]
    return [progress_view(r, reports_to(r.recorded_at.date(), dues)) for r in records]


def progress_view(r: ProgressRecord, checkin: Any = None) -> dict[str, Any]:
    return {"obligation": r.obligation, "partner": r.partner, "kind": r.kind, "activities": list(r.activities),
            "hours": r.hours, "evidence": r.evidence, "recorded_by": r.recorded_by, "on_behalf_of": r.on_behalf_of,
            "recorded_at": r.recorded_at, "checkin": checkin}
