"""Partners answering for themselves: reject an admission, withdraw from a goal, the partners and admissions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain import consensus
from pppflow.domain.consensus import Acting
from pppflow.domain.model import Admission
from pppflow.services.views import admission_view


def reject_admission(ref: str, candidate: str, acting: Acting, reason: str | None, *, uow: UnitOfWork,
                     now: datetime) -> Admission:
    """Record one partner's veto: the admission is rejected, with who and why."""
    with uow:
        p = uow.partnerships.get(ref)
        admission = consensus.reject_admission(p, candidate, acting, reason, now=now)
        uow.commit()
    return admission


def withdraw_goal(ref: str, goal: str, acting: Acting, comment: str | None, *, uow: UnitOfWork,
                  lifecycles: LifecycleRegistry, now: datetime) -> tuple[str, list[str]]:
    """Withdraw from a goal while the lifecycle keeps goals open, else propose it; (outcome, agreed_by)."""
    with uow:
        p = uow.partnerships.get(ref)
        outcome = consensus.withdraw_goal_agreement(
            p, goal, acting, comment, goals_open=lifecycles.get(p.workflow).goals_open(p.stage), now=now)
        agreed = list(p.goal(goal).agreed_by)
        uow.commit()
    return outcome, agreed


def partners_overview(ref: str, *, uow: UnitOfWork) -> dict[str, Any]:
    """The partners, and every admission with who has answered (approved, rejected) and who has not."""
    with uow:
        p = uow.partnerships.read(ref)
    admissions = []
    for a in p.admissions:
        view = admission_view(p, a)
        view["answered"] = [*a.approvals, *([a.rejected_by] if a.rejected_by else [])]
        admissions.append(view)
    return {"ref": p.ref, "partners": [{"key": x.key, "name": x.name, "kind": x.kind} for x in p.partners],
            "admissions": admissions}
