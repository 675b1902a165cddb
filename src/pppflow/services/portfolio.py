"""The portfolio as coordinators read it: the dashboard, the searchable list, one partnership in full.

`party` is the partner key of a partner user's organisation: such a user reads only the partnerships that
organisation is a party to, and any other reference is reported as not found.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from pppflow.adapters.db.repository import not_found
from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.portfolio import Summary, Window
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.agreement.contributions import build_contributions
from pppflow.domain.audit import AuditEntry
from pppflow.domain.checkins.progress import CheckIn, EffortEntry
from pppflow.domain.lifecycle import LifecycleDefinition
from pppflow.domain.model import Partnership
from pppflow.services.checkins import inactive_stages
from pppflow.services.partnerships import PartnershipStatus

WEEK = 7
RENEWAL_HORIZON_DAYS = 180
WEB_LOCALE = "en_GB"
HISTORY_SHOWN = 50  # the partnership page shows the newest entries; the API has the whole trail


@dataclass(frozen=True)
class StageCount:
    stage: str
    count: int
    final: bool
    title: str = ""  # the stage's title from the lifecycle YAML


@dataclass(frozen=True)
class LifecycleCounts:
    workflow: str
    title: str
    total: int
    stages: list[StageCount]  # every stage of the lifecycle, in definition order


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    total: int
    lifecycles: list[LifecycleCounts]
    checkins_overdue: Window
    checkins_this_week: Window
    obligations_overdue: Window
    obligations_this_week: Window
    renewals: Window


def dashboard(*, uow: UnitOfWork, lifecycles: LifecycleRegistry, as_of: date, party: str | None = None,
              limit: int = 8) -> Dashboard:
    """Partnerships per stage; check-ins and obligations overdue and due this week; terms ending soon."""
    inactive = inactive_stages(lifecycles)
    yesterday, week_end = as_of - timedelta(days=1), as_of + timedelta(days=WEEK - 1)
    with uow:
        reader = uow.portfolio
        counts = reader.stage_counts(party)
        windows = (
            reader.checkins(None, yesterday, inactive, party, limit, newest_first=True),
            reader.checkins(as_of, week_end, inactive, party, limit),
            reader.obligations(None, yesterday, inactive, party, limit, newest_first=True),
            reader.obligations(as_of, week_end, inactive, party, limit),
            _last_days(reader.term_ends(as_of + timedelta(days=1), as_of + timedelta(days=RENEWAL_HORIZON_DAYS),
                                        inactive, party, limit)),
        )
    by_workflow: dict[str, dict[str, int]] = {}
    for workflow, stage, n in counts:
        by_workflow.setdefault(workflow, {})[stage] = n
    groups = []
    for workflow in sorted(by_workflow):
        found = by_workflow[workflow]
        if workflow in lifecycles:
            d = lifecycles.get(workflow).definition
            stages = [StageCount(st.name, found.get(st.name, 0), st.final, st.title()) for st in d.stages]
            stages += [StageCount(st, n, False) for st, n in found.items() if st not in d.stage_names]
            title = d.title or workflow
        else:
            stages, title = [StageCount(st, n, False) for st, n in sorted(found.items())], workflow
        groups.append(LifecycleCounts(workflow, title, sum(found.values()), stages))
    return Dashboard(as_of, sum(g.total for g in groups), groups, *windows)


def _last_days(w: Window) -> Window:
    """Term ends are stored as the first day after the term; people read the last day of it."""
    return Window(w.total, [replace(i, day=i.day - timedelta(days=1)) for i in w.items])


def search_partnerships(*, uow: UnitOfWork, stage: str | None = None, workflow: str | None = None,
                        text: str | None = None, party: str | None = None, limit: int = 50,
                        offset: int = 0) -> tuple[list[Summary], int]:
    """A page of partnership summaries matching the filters, and how many match in all."""
    with uow:
        return uow.portfolio.search(stage=stage or None, workflow=workflow or None, text=text or None,
                                            party=party, limit=limit, offset=offset)


def ensure_visible(ref: str, *, uow: UnitOfWork, party: str | None) -> None:
    """Raise PartnershipNotFound unless the partnership exists and, for a partner user, includes its party."""
    if party is None:
        return
    with uow:
        parties = uow.portfolio.parties(ref)
    if parties is None or party not in parties:
        raise not_found(ref)


def contribution_totals(p: Partnership) -> dict[str, Any] | None:
    """Contributions with totals per partner and phase (amounts only added within one unit)."""
    rows = [{"partner": c.partner_key, "kind": c.kind, "phase": c.phase, "amount": c.amount, "unit": c.unit,
             "description": c.description} for c in p.contributions]
    return build_contributions(rows, {x.key: x.name for x in p.partners}, WEB_LOCALE)


@dataclass(frozen=True)
class PartnershipOverview:
    """Everything the partnership page shows, read in one transaction."""

    status: PartnershipStatus
    definition: LifecycleDefinition
    checkins: list[CheckIn]
    history: list[AuditEntry]  # the newest HISTORY_SHOWN entries, newest first
    history_total: int
    contributions: dict[str, Any] | None
    efforts: list[tuple[date, EffortEntry]] = field(default_factory=list)  # the effort log, by check-in date


def partnership_stamp(ref: str, *, uow: UnitOfWork) -> Hashable:
    """A value that changes whenever anything the overview shows changes (apart from the day)."""
    with uow:
        return uow.partnerships.stamp(ref)


def partnership_overview(ref: str, *, uow: UnitOfWork, lifecycles: LifecycleRegistry) -> PartnershipOverview:
    with uow:
        p = uow.partnerships.read(ref)
        lifecycle = lifecycles.get(p.workflow)
        status = PartnershipStatus(p, lifecycle.checks(p), lifecycle.is_final(p.stage))
        checkins = uow.checkins.list(ref)
        history, history_total = uow.audit.latest(ref, HISTORY_SHOWN)
        efforts = uow.checkins.effort_log(ref)
    return PartnershipOverview(status, lifecycle.definition, checkins, history, history_total, contribution_totals(p),
                               efforts)
