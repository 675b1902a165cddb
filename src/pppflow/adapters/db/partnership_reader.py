"""A partnership read for display only: the whole aggregate in a few Core queries, outside the identity map.

The ORM loads an aggregate with a select-in query per collection and tracks every object for changes; that
is what a change needs, and about four times what a page needs. `read_partnership` builds the same domain
objects straight from rows: one query for the partnership, which also says which collections have rows, then
one per collection that has (columns matched to the dataclass fields by name). The copy is detached: nothing
done to it is ever saved.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, exists, select

from pppflow.domain import model


def _fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.init)


@cache
def _queries() -> tuple[Select[Any], list[tuple[str, type, Select[Any]]]]:
    from sqlalchemy.orm import class_mapper

    from pppflow.adapters.db.mapping import start_mappers
    from pppflow.adapters.db.schema import partnerships

    start_mappers()
    mapper = class_mapper(model.Partnership)
    children, present = [], []
    for rel in mapper.relationships:  # every collection of the aggregate, as the mapping declares it
        cls, table = rel.mapper.class_, rel.mapper.local_table
        wanted = _fields(cls)
        query = select(*(c for c in table.c if c.name in wanted)).where(
            table.c.partnership_id == bindparam("pid")).order_by(table.c.id)
        children.append((rel.key, cls, query))
        present.append(exists().where(table.c.partnership_id == partnerships.c.id).label(f"has_{rel.key}"))
    # the head row says which collections have rows, so an empty one costs no round trip to the database
    head = select(*(c for c in partnerships.c if c.name in _fields(model.Partnership) or c.name == "id"),
                  *present).where(partnerships.c.ref == bindparam("ref"))
    return head, children


def read_partnership(conn: Connection, ref: str) -> model.Partnership | None:
    """The partnership `ref` with all its collections, detached; None when there is none."""
    head, children = _queries()
    row = conn.execute(head, {"ref": ref}).mappings().one_or_none()
    if row is None:
        return None
    values: dict[str, Any] = {k: v for k, v in row.items() if k != "id" and not k.startswith("has_")}
    for key, cls, query in children:
        values[key] = [cls(**r) for r in conn.execute(query, {"pid": row["id"]}).mappings()] \
            if row[f"has_{key}"] else []
    return model.Partnership(**values)
