"""Partnership repositories: the SQL one and an in-memory fake with the same interface."""

from __future__ import annotations

import copy
from collections.abc import Hashable
from functools import cache
from typing import Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pppflow.domain.model import AgreementVersion, Partnership
from pppflow.errors import PartnershipNotFound


class PartnershipRepository(Protocol):
    seen: set[Partnership]

    def add(self, p: Partnership) -> None: ...
    def get(self, ref: str) -> Partnership: ...
    def get_for_trigger(self, ref: str) -> Partnership: ...
    def read(self, ref: str) -> Partnership: ...
    def stamp(self, ref: str) -> Hashable: ...
    def list(self, *, stage: str | None = None) -> list[Partnership]: ...
    def refs_like(self, base: str) -> set[str]: ...
    def count_by_stage(self) -> dict[str, int]: ...
    def find_agreement(self, pdf_sha256: str) -> tuple[Partnership, AgreementVersion] | None: ...


def not_found(ref: str) -> PartnershipNotFound:
    return PartnershipNotFound(f"no partnership with reference {ref!r}",
                               hint="list_partnerships")


class SqlPartnershipRepository:
    """Loads whole aggregates (children by select-in) and tracks what it handed out."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: set[Partnership] = set()

    def add(self, p: Partnership) -> None:
        self.session.add(p)
        self.seen.add(p)

    def get(self, ref: str) -> Partnership:
        from pppflow.adapters.db.schema import partnerships as t  # the mapped table: typed columns

        p = self.session.scalars(select(Partnership).where(t.c.ref == ref)).one_or_none()
        if p is None:
            raise not_found(ref)
        self.seen.add(p)
        return p

    def get_for_trigger(self, ref: str) -> Partnership:
        """The partnership for a transition: its row now, and each collection when first read in this unit of
        work, so a trigger costs the queries of what its guards read (none for `suspend`, partners and goals for
        `define_goals`). Read the collections before the unit of work ends: afterwards only the row is there."""
        p = self.session.scalars(_lean_query(), {"ref": ref}).one_or_none()
        if p is None:
            raise not_found(ref)
        self.seen.add(p)
        return p

    def read(self, ref: str) -> Partnership:
        """The partnership for display only: detached and untracked, so changes to it are never saved."""
        from pppflow.adapters.db.partnership_reader import read_partnership

        p = read_partnership(self.session.connection(), ref)
        if p is None:
            raise not_found(ref)
        return p

    def stamp(self, ref: str) -> Hashable:
        """Changes whenever anything about the partnership does: its row version (every change of the aggregate
        bumps it) and its newest audit entry. One indexed query."""
        from pppflow.adapters.db.schema import audit_entries, partnerships

        newest = select(func.max(audit_entries.c.seq)).where(audit_entries.c.partnership_ref == ref).scalar_subquery()
        row = self.session.execute(select(partnerships.c.version, newest).where(partnerships.c.ref == ref)).first()
        if row is None:
            raise not_found(ref)
        return tuple(row)

    def list(self, *, stage: str | None = None) -> list[Partnership]:
        from pppflow.adapters.db.schema import partnerships as t

        query = select(Partnership).order_by(t.c.ref)
        if stage:
            query = query.where(t.c.stage == stage)
        return list(self.session.scalars(query))

    def refs_like(self, base: str) -> set[str]:
        from pppflow.adapters.db.schema import partnerships as t

        col = t.c.ref
        return set(self.session.scalars(select(col).where((col == base) | col.like(f"{base}-%"))))

    def count_by_stage(self) -> dict[str, int]:
        from pppflow.adapters.db.schema import partnerships as t

        col = t.c.stage
        return dict(self.session.execute(select(col, func.count()).group_by(col)).tuples().all())

    def find_agreement(self, pdf_sha256: str) -> tuple[Partnership, AgreementVersion] | None:
        """The partnership and version whose generated or executed PDF has this SHA-256, read for display only
        (detached, as `read`: verifying a file changes nothing)."""
        from pppflow.adapters.db.schema import agreement_versions as t
        from pppflow.adapters.db.schema import partnerships

        row = self.session.execute(select(partnerships.c.ref, t.c.number).join(
            partnerships, partnerships.c.id == t.c.partnership_id).where(
            (t.c.pdf_sha256 == pdf_sha256) | (t.c.signed_pdf_sha256 == pdf_sha256))).first()
        if row is None:
            return None
        p = self.read(row.ref)
        return p, next(v for v in p.agreements if v.number == row.number)


@cache
def _lean_query() -> Select[tuple[Partnership]]:
    """Built once (the mapping must be started): a statement reused is not compiled or keyed again."""
    from sqlalchemy import bindparam
    from sqlalchemy.orm import lazyload

    from pppflow.adapters.db.schema import partnerships

    return select(Partnership).where(partnerships.c.ref == bindparam("ref")).options(lazyload("*"))


class FakePartnershipRepository:
    """In memory, for unit tests of the services."""

    def __init__(self, partnerships: list[Partnership] | None = None) -> None:
        self._items = {p.ref: p for p in partnerships or []}
        self.seen: set[Partnership] = set()

    def add(self, p: Partnership) -> None:
        self._items[p.ref] = p
        self.seen.add(p)

    def get(self, ref: str) -> Partnership:
        if ref not in self._items:
            raise not_found(ref)
        self.seen.add(self._items[ref])
        return self._items[ref]

    def get_for_trigger(self, ref: str) -> Partnership:
        return self.get(ref)

    def read(self, ref: str) -> Partnership:
        if ref not in self._items:
            raise not_found(ref)
        return copy.deepcopy(self._items[ref])

    def stamp(self, ref: str) -> Hashable:
        if ref not in self._items:
            raise not_found(ref)
        return object()  # the fake keeps no versions: every stamp is new, so nothing is ever reused

    def list(self, *, stage: str | None = None) -> list[Partnership]:
        return sorted((p for p in self._items.values() if not stage or p.stage == stage), key=lambda p: p.ref)

    def refs_like(self, base: str) -> set[str]:
        return {r for r in self._items if r == base or r.startswith(f"{base}-")}

    def find_agreement(self, pdf_sha256: str) -> tuple[Partnership, AgreementVersion] | None:
        for p in self._items.values():
            for v in p.agreements:
                if pdf_sha256 in (v.pdf_sha256, v.signed_pdf_sha256):
                    copied = copy.deepcopy(p)
                    return copied, next(x for x in copied.agreements if x.number == v.number)
        return None

    def count_by_stage(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self._items.values():
            counts[p.stage] = counts.get(p.stage, 0) + 1
        return counts
