"""The portfolio's agenda on a day: what can be due, selected by date with indexes, never by loading everything.

Only partnerships whose check-ins were planned (`checkin_schedules`), that are not in a final stage and not
suspended (a remembered stage to return to), are on the agenda. Date windows are widened by the largest
reminder settings in the portfolio (index lookups); the pure rules in `domain.reminders` then decide exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.orm import Session

from pppflow.adapters.db.schema import checkin_schedules, checkins, obligations, partners, partnerships
from pppflow.domain.checkins.progress import AgendaItem, obligation_agenda_status
from pppflow.domain.checkins.schedule import checkin_status
from pppflow.domain.checkins.status import OPEN_STATES
from pppflow.domain.reminders import (
    CheckinItem,
    ObligationItem,
    PartnerContact,
    PartnershipReminderView,
    candidate_window,
)

# workflow name -> its final stages: partnerships there are off the agenda
Inactive = Mapping[str, Sequence[str]]
OPEN_OBLIGATION_STATES = ("pending", "breached")
CHUNK = 500
p, c, o, s = partnerships, checkins, obligations, checkin_schedules
VIEW_COLUMNS = (p.c.id, p.c.ref, p.c.name, p.c.coordinator_name, p.c.coordinator_email, p.c.remind_days_before,
                p.c.grace_days, p.c.term_start, p.c.term_months, p.c.term_notice_days, p.c.term_renewal,
                p.c.language, p.c.checkin_time, p.c.checkin_minutes, p.c.checkin_location)


class Agenda(Protocol):
    """Portfolio-wide reads by date: newly missed check-ins, reminder candidates, what is coming and overdue."""

    def newly_missed(self, as_of: date, inactive: Inactive) -> dict[str, list[date]]: ...
    def reminder_refs(self, as_of: date, kinds: Sequence[str], inactive: Inactive) -> list[str]: ...
    def reminder_views(self, as_of: date, refs: Sequence[str], kinds: Sequence[str],
                       inactive: Inactive) -> list[PartnershipReminderView]: ...
    def items(self, as_of: date, within: int, inactive: Inactive) -> list[AgendaItem]: ...


def active(inactive: Inactive) -> Any:
    """SQL: planned, not suspended, not in a final stage of its lifecycle."""
    planned = select(s.c.partnership_id).where(s.c.partnership_id == p.c.id).correlate(p).exists()
    conditions = [planned, p.c.return_stage.is_(None)]
    for workflow, stages in inactive.items():
        if stages:
            conditions.append(~and_(p.c.workflow == workflow, p.c.stage.in_(list(stages))))
    return and_(*conditions)


class SqlAgenda:
    """Date-window queries on the session's connection."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def connection(self) -> Connection:
        return self.session.connection()

    def maxima(self) -> tuple[int, int, int]:
        """The largest remind_days_before, grace_days and notice_days of the portfolio (index lookups)."""
        row = self.connection.execute(select(
            select(func.max(p.c.remind_days_before)).scalar_subquery(),
            select(func.max(p.c.grace_days)).scalar_subquery(),
            select(func.max(p.c.term_notice_days)).scalar_subquery())).one()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

    def _checkins(self, as_of: date, where: Any) -> Any:
        remind, grace, _ = self.maxima()
        low, high = candidate_window(as_of, remind, grace)
        return (select(p.c.id, p.c.ref, c.c.due).select_from(c.join(p, p.c.id == c.c.partnership_id))
                .where(c.c.status.in_(OPEN_STATES), c.c.due.between(low, high), where))

    def _obligations(self, as_of: date, where: Any) -> Any:
        remind, _, _ = self.maxima()
        return (select(p.c.id, p.c.ref, o.c.key, o.c.title, o.c.owner, o.c.due, o.c.status, o.c.type)
                .select_from(o.join(p, p.c.id == o.c.partnership_id))
                .where(o.c.status.in_(OPEN_OBLIGATION_STATES), o.c.due.is_not(None),
                       o.c.due <= as_of + timedelta(days=remind), where))

    def _renewals(self, as_of: date, where: Any) -> Any:
        remind, _, notice = self.maxima()
        return (select(p.c.id, p.c.ref, s.c.term_end).select_from(s.join(p, p.c.id == s.c.partnership_id))
                .where(s.c.term_end.between(as_of + timedelta(days=1), as_of + timedelta(days=notice + remind)),
                       where))

    def newly_missed(self, as_of: date, inactive: Inactive) -> dict[str, list[date]]:
        """Scheduled check-ins whose grace period ended before `as_of`, by partnership.

        Looks back as far as the reminder rules do (a run after downtime catches up); an older check-in left
        `scheduled` still shows as missed, since its status on a day is computed.
        """
        _, grace, _ = self.maxima()
        earliest = candidate_window(as_of, 0, grace)[0]
        query = (select(p.c.ref, c.c.due, p.c.grace_days).select_from(c.join(p, p.c.id == c.c.partnership_id))
                 .where(c.c.status == "scheduled", c.c.due.between(earliest, as_of), active(inactive)))
        found: dict[str, list[date]] = defaultdict(list)
        for ref, due, grace_days in self.connection.execute(query):
            if due + timedelta(days=grace_days) < as_of:
                found[ref].append(due)
        return dict(found)

    def reminder_refs(self, as_of: date, kinds: Sequence[str], inactive: Inactive) -> list[str]:
        """The partnerships with at least one candidate of these kinds on `as_of`, by reference."""
        where = active(inactive)
        refs: set[str] = set()
        for kind, query in (("checkin", self._checkins), ("obligation", self._obligations),
                            ("renewal", self._renewals)):
            if kind in kinds:
                refs |= {row.ref for row in self.connection.execute(query(as_of, where))}
        return sorted(refs)

    def reminder_views(self, as_of: date, refs: Sequence[str], kinds: Sequence[str],
                       inactive: Inactive) -> list[PartnershipReminderView]:
        """What the rules need of these partnerships, with only the candidate check-ins and obligations."""
        views: list[PartnershipReminderView] = []
        for start in range(0, len(refs), CHUNK):
            views += self._views(as_of, refs[start:start + CHUNK], kinds, inactive)
        return views

    def _views(self, as_of: date, refs: Sequence[str], kinds: Sequence[str],
               inactive: Inactive) -> list[PartnershipReminderView]:
        where = and_(active(inactive), p.c.ref.in_(list(refs)))
        rows = self.connection.execute(select(*VIEW_COLUMNS).where(where).order_by(p.c.ref)).all()
        ids = [r.id for r in rows]
        contacts: dict[int, list[PartnerContact]] = defaultdict(list)
        x = partners.c
        for pid, *contact in self.connection.execute(
                select(x.partnership_id, x.key, x.contact_name, x.contact_email, x.signatory_name)
                .where(x.partnership_id.in_(ids)).order_by(x.id)):
            contacts[pid].append(PartnerContact(*contact))
        remind, grace, _ = self.maxima()
        dates: dict[int, list[CheckinItem]] = defaultdict(list)
        # By partnership, and the status tested here rather than in SQL: a status condition would steer SQLite
        # to the portfolio-wide (status, due) index instead of the per-partnership one.
        if "checkin" in kinds:
            low, high = candidate_window(as_of, remind, grace)
            query = (select(c.c.partnership_id, c.c.due, c.c.status)
                     .where(c.c.partnership_id.in_(ids), c.c.due.between(low, high)).order_by(c.c.due))
            for pid, due, status in self.connection.execute(query):
                if status in OPEN_STATES:
                    dates[pid].append(CheckinItem(due))
        owed: dict[int, list[ObligationItem]] = defaultdict(list)
        if "obligation" in kinds:
            query = (select(o.c.partnership_id, o.c.key, o.c.title, o.c.owner, o.c.due, o.c.status, o.c.type)
                     .where(o.c.partnership_id.in_(ids)).order_by(o.c.id))
            last = as_of + timedelta(days=remind)
            for pid, key, title, owner, due, status, type_ in self.connection.execute(query):
                if status in OPEN_OBLIGATION_STATES and due is not None and due <= last:
                    owed[pid].append(ObligationItem(key, title, owner, due, status, type_))
        renewal = "renewal" in kinds
        return [PartnershipReminderView(
            ref=r.ref, name=r.name, coordinator_name=r.coordinator_name, coordinator_email=r.coordinator_email,
            partners=tuple(contacts[r.id]), checkins=tuple(dates[r.id]), obligations=tuple(owed[r.id]),
            remind_days_before=r.remind_days_before, grace_days=r.grace_days,
            term_start=r.term_start if renewal else None, term_months=r.term_months if renewal else None,
            notice_days=r.term_notice_days, renewal=r.term_renewal, language=r.language,
            checkin_time=r.checkin_time, checkin_minutes=r.checkin_minutes, checkin_location=r.checkin_location)
            for r in rows]

    def items(self, as_of: date, within: int, inactive: Inactive) -> list[AgendaItem]:
        """Open check-ins and obligations dated up to `within` days after `as_of`: overdue ones at any age."""
        where = active(inactive)
        high = as_of + timedelta(days=within)
        found: list[AgendaItem] = []
        query = (select(p.c.ref, p.c.name, p.c.grace_days, c.c.due)
                 .select_from(c.join(p, p.c.id == c.c.partnership_id))
                 .where(c.c.status.in_(OPEN_STATES), c.c.due <= high, where))
        for r in self.connection.execute(query):
            found.append(AgendaItem("checkin", r.ref, r.name, r.due, checkin_status(r.due, None, r.grace_days,
                                                                                   as_of)))
        query = (select(p.c.ref, p.c.name, o.c.key, o.c.title, o.c.owner, o.c.due)
                 .select_from(o.join(p, p.c.id == o.c.partnership_id))
                 .where(o.c.status.in_(OPEN_OBLIGATION_STATES), o.c.due.is_not(None), o.c.due <= high, where))
        for r in self.connection.execute(query):
            found.append(AgendaItem("obligation", r.ref, r.name, r.due, obligation_agenda_status(r.due, as_of),
                                    r.key, r.title, r.owner))
        return sorted(found, key=lambda i: (i.day, i.ref, i.kind, i.obligation or ""))


class FakeAgenda:
    """In memory, for unit tests: every open check-in and obligation of the planned active partnerships."""

    def __init__(self, partnerships: Any, checkins: Any) -> None:
        self.partnerships = partnerships  # a FakePartnershipRepository
        self.checkins = checkins          # a FakeCheckinRepository

    def _active(self, inactive: Inactive) -> list[Any]:
        return [x for x in self.partnerships.list() if x.ref in self.checkins.term_ends
                and x.return_stage is None and x.stage not in inactive.get(x.workflow, ())]

    def newly_missed(self, as_of: date, inactive: Inactive) -> dict[str, list[date]]:
        found = {x.ref: [ci.due for ci in self.checkins.list(x.ref) if ci.status == "scheduled"
                         and ci.due + timedelta(days=x.grace_days) < as_of] for x in self._active(inactive)}
        return {ref: dues for ref, dues in found.items() if dues}

    def reminder_refs(self, as_of: date, kinds: Sequence[str], inactive: Inactive) -> list[str]:
        return [x.ref for x in self._active(inactive)]

    def reminder_views(self, as_of: date, refs: Sequence[str], kinds: Sequence[str],
                       inactive: Inactive) -> list[PartnershipReminderView]:
        views = []
        for x in self._active(inactive):
            if x.ref not in refs:
                continue
            renewal = "renewal" in kinds
            views.append(PartnershipReminderView(
                ref=x.ref, name=x.name, coordinator_name=x.coordinator_name, coordinator_email=x.coordinator_email,
                partners=tuple(PartnerContact(y.key, y.contact_name, y.contact_email, y.signatory_name)
                               for y in x.partners),
                checkins=tuple(CheckinItem(ci.due) for ci in self.checkins.list(x.ref, open_only=True))
                if "checkin" in kinds else (),
                obligations=tuple(ObligationItem(b.key, b.title, b.owner, b.due, b.status, b.type)
                                  for b in x.obligations if b.status in OPEN_OBLIGATION_STATES)
                if "obligation" in kinds else (),
                remind_days_before=x.remind_days_before, grace_days=x.grace_days,
                term_start=x.term_start if renewal else None, term_months=x.term_months if renewal else None,
                notice_days=x.term_notice_days, renewal=x.term_renewal, language=x.language,
                checkin_time=x.checkin_time, checkin_minutes=x.checkin_minutes, checkin_location=x.checkin_location))
        return views

    def items(self, as_of: date, within: int, inactive: Inactive) -> list[AgendaItem]:
        high = as_of + timedelta(days=within)
        found: list[AgendaItem] = []
        for x in self._active(inactive):
            found += [AgendaItem("checkin", x.ref, x.name, ci.due, ci.status_on(as_of, x.grace_days))
                      for ci in self.checkins.list(x.ref, open_only=True) if ci.due <= high]
            found += [AgendaItem("obligation", x.ref, x.name, b.due, obligation_agenda_status(b.due, as_of),
                                 b.key, b.title, b.owner)
                      for b in x.obligations if b.status in OPEN_OBLIGATION_STATES and b.due and b.due <= high]
        return sorted(found, key=lambda i: (i.day, i.ref, i.kind, i.obligation or ""))
