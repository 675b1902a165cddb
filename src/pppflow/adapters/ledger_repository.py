"""The contribution ledger of a partnership: the SQL repository and an in-memory fake.

Append-only: there is no update or delete here, and the database refuses them too (migration 0011).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Connection, Row, insert, select
from sqlalchemy.orm import Session

from pppflow.adapters.db.repository import not_found
from pppflow.adapters.db.schema import checkins, effort_log, funder_reports, ledger_entries, partnerships
from pppflow.adapters.ledger_portfolio import Realisation, RealisationPage, realisation_page
from pppflow.domain.funder_report import FunderReportVersion
from pppflow.domain.ledger import CENT, LedgerEntry
from pppflow.errors import ConflictError


@dataclass(frozen=True)
class EffortItem:
    """One effort-log line of a held check-in, as the ledger can book it."""

    id: int
    checkin: date
    obligation: str
    hours: Decimal
    booked: bool
    held_on: date | None = None


class LedgerRepository(Protocol):
    def entries(self, ref: str, *, partner: str | None = None) -> list[LedgerEntry]: ...
    def add(self, ref: str, entry: LedgerEntry) -> LedgerEntry: ...
    def efforts(self, ref: str) -> list[EffortItem]: ...
    def realisation(self, *, party: str | None, sort: str, descending: bool, limit: int,
                    offset: int) -> RealisationPage: ...
    def add_report(self, ref: str, version: FunderReportVersion) -> FunderReportVersion: ...
    def reports(self, ref: str) -> list[FunderReportVersion]: ...


def _entry(r: Row[Any]) -> LedgerEntry:
    m = r._mapping
    return LedgerEntry(partner=m["partner_key"], phase=m["phase"], kind=m["kind"], quantity=m["quantity"],
                       unit=m["unit"], value_eur=(Decimal(m["value_cents"]) / 100).quantize(CENT), basis=m["basis"],
                       on=m["entry_date"], entered_by=m["entered_by"], entered_as=m["entered_as"],
                       recorded_at=m["recorded_at"], description=m["description"], evidence=m["evidence"],
                       corrects=m["corrects"], reason=m["reason"], effort_id=m["effort_id"], id=m["id"])


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


class SqlLedgerRepository:
    """Ledger rows by partnership reference, on the unit of work's connection."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def connection(self) -> Connection:
        return self.session.connection()

    def _id(self, ref: str) -> int:
        pid = self.connection.execute(select(partnerships.c.id).where(partnerships.c.ref == ref)).scalar()
        if pid is None:
            raise not_found(ref)
        return int(pid)

    def entries(self, ref: str, *, partner: str | None = None) -> list[LedgerEntry]:
        """The partnership's entries in the order they were made."""
        query = select(ledger_entries).where(ledger_entries.c.partnership_id == self._id(ref))
        if partner is not None:
            query = query.where(ledger_entries.c.partner_key == partner)
        return [_entry(r) for r in self.connection.execute(query.order_by(ledger_entries.c.id))]

    def add(self, ref: str, entry: LedgerEntry) -> LedgerEntry:
        """Insert one entry; a second correction of the same entry or a second booking is a ConflictError."""
        from sqlalchemy.exc import IntegrityError

        row = {"partnership_id": self._id(ref), "partner_key": entry.partner, "phase": entry.phase,
               "kind": entry.kind, "quantity": entry.quantity, "unit": entry.unit,
               "value_cents": _cents(entry.value_eur), "basis": entry.basis, "entry_date": entry.on,
               "description": entry.description, "evidence": entry.evidence, "entered_by": entry.entered_by,
               "entered_as": entry.entered_as, "recorded_at": entry.recorded_at, "corrects": entry.corrects,
               "reason": entry.reason, "effort_id": entry.effort_id}
        try:
            new_id = self.connection.execute(insert(ledger_entries).returning(ledger_entries.c.id), row).scalar_one()
        except IntegrityError as exc:
            raise ConflictError("the ledger already holds this correction or booking (made at the same time); "
                                "nothing was saved", details=[str(exc.orig).splitlines()[0]]) from exc
        return dataclasses.replace(entry, id=int(new_id))

    def efforts(self, ref: str) -> list[EffortItem]:
        """The effort log of the partnership's check-ins, each marked whether it is booked to the ledger."""
        booked = select(ledger_entries.c.id).where(ledger_entries.c.effort_id == effort_log.c.id).exists()
        query = (select(effort_log.c.id, checkins.c.due, effort_log.c.obligation_key, effort_log.c.hours,
                        booked.label("booked"), checkins.c.held_on)
                 .select_from(effort_log.join(checkins, checkins.c.id == effort_log.c.checkin_id))
                 .where(effort_log.c.partnership_id == self._id(ref)).order_by(checkins.c.due, effort_log.c.id))
        return [EffortItem(r.id, r.due, r.obligation_key, r.hours, bool(r.booked), r.held_on)
                for r in self.connection.execute(query)]

    def add_report(self, ref: str, version: FunderReportVersion) -> FunderReportVersion:
        """Store a generated report's version with the next number (a race on the number is a ConflictError)."""
        from sqlalchemy import func
        from sqlalchemy.exc import IntegrityError

        pid = self._id(ref)
        number = (self.connection.execute(select(func.max(funder_reports.c.number))
                                          .where(funder_reports.c.partnership_id == pid)).scalar() or 0) + 1
        row = {k: v for k, v in dataclasses.asdict(version).items() if k != "number"}
        try:
            self.connection.execute(insert(funder_reports), {**row, "number": number, "partnership_id": pid})
        except IntegrityError as exc:
            raise ConflictError("another report was generated at the same time; nothing was saved") from exc
        return dataclasses.replace(version, number=number)

    def reports(self, ref: str) -> list[FunderReportVersion]:
        t = funder_reports
        rows = self.connection.execute(select(t).where(t.c.partnership_id == self._id(ref)).order_by(t.c.number))
        return [FunderReportVersion(r.period_end, r.language, r.format, r.sha256, r.document_path, r.created_by,
                                    r.created_at, r.number) for r in rows]

    def realisation(self, *, party: str | None, sort: str, descending: bool, limit: int,
                    offset: int) -> RealisationPage:
        """The portfolio ledger page, from the partnerships' kept totals (see ledger_portfolio)."""
        return realisation_page(self.connection, party=party, sort=sort, descending=descending, limit=limit,
                                offset=offset)


class FakeLedgerRepository:
    """In memory, for unit tests of the services; enforces the same unique rules as the table."""

    def __init__(self, partnerships: Any = None) -> None:
        self.partnerships = partnerships  # the fake unit of work's, for the portfolio page
        self.rows: list[tuple[str, LedgerEntry]] = []
        self.report_versions: list[tuple[str, FunderReportVersion]] = []
        self.effort_items: dict[str, list[EffortItem]] = {}

    def entries(self, ref: str, *, partner: str | None = None) -> list[LedgerEntry]:
        return [e for r, e in self.rows if r == ref and partner in (None, e.partner)]

    def add(self, ref: str, entry: LedgerEntry) -> LedgerEntry:
        for _, e in self.rows:
            if (entry.corrects is not None and e.corrects == entry.corrects) or \
                    (entry.effort_id is not None and e.effort_id == entry.effort_id):
                raise ConflictError("the ledger already holds this correction or booking; nothing was saved")
        stored = dataclasses.replace(entry, id=len(self.rows) + 1)
        self.rows.append((ref, stored))
        return stored

    def efforts(self, ref: str) -> list[EffortItem]:
        booked = {e.effort_id for _, e in self.rows}
        return [dataclasses.replace(x, booked=x.id in booked) for x in self.effort_items.get(ref, [])]

    def realisation(self, *, party: str | None, sort: str, descending: bool, limit: int,
                    offset: int) -> RealisationPage:
        def eur(cents: int | None) -> Decimal | None:
            return None if cents is None else (Decimal(cents) / 100).quantize(CENT)

        mine = [p for p in self.partnerships.list() if party is None or party in p.partner_keys]
        items = [Realisation(p.ref, p.name, p.stage, eur(p.committed_cents), eur(p.realised_cents) or Decimal("0.00"))
                 for p in mine]
        key: Callable[[Realisation], Any] = {
            "committed": lambda x: x.committed_eur, "realised": lambda x: x.realised_eur, "rate": lambda x: x.rate,
        }.get(sort, lambda x: getattr(x, sort))
        present = sorted([x for x in items if key(x) is not None], key=key, reverse=descending)
        ordered = present + [x for x in items if key(x) is None]
        return RealisationPage(ordered[offset:offset + limit], len(items),
                               sum((x.committed_eur or Decimal(0) for x in items), Decimal("0.00")),
                               sum((x.realised_eur for x in items), Decimal("0.00")))

    def add_report(self, ref: str, version: FunderReportVersion) -> FunderReportVersion:
        stored = dataclasses.replace(version, number=len(self.reports(ref)) + 1)
        self.report_versions.append((ref, stored))
        return stored

    def reports(self, ref: str) -> list[FunderReportVersion]:
        return [v for r, v in self.report_versions if r == ref]

    def seed_efforts(self, ref: str, items: Sequence[EffortItem]) -> None:
        self.effort_items.setdefault(ref, []).extend(items)
