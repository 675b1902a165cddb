"""The audit table refuses changes; and `audit verify` finds the first broken link after someone who may change the
schema removed that guard and edited, deleted or reordered rows."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from factories import NOW, example_raw
from pppflow.services import changes, partnerships
from pppflow.services.audit import verify_audit


def _trail(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    for k in ("noorderpoort", "hanze", "techbedrijf", "provincie"):
        changes.agree_goal(ref, "modules", k, uow=uow_factory(), actor="m", now=NOW)


def _sql(uow_factory, *statements: str, guarded: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Run statements as someone at the database console; unless `guarded`, first drop the append-only guard."""
    with uow_factory() as uow:
        if not guarded:
            if uow.session.get_bind().dialect.name == "postgresql":
                uow.session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
            else:
                uow.session.execute(text("DROP TRIGGER audit_entries_no_update"))
                uow.session.execute(text("DROP TRIGGER audit_entries_no_delete"))
        for s in statements:
            uow.session.execute(text(s))
        uow.session.commit()


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET actor = 'mallory' WHERE seq = 3",
                                       "DELETE FROM audit_entries WHERE seq = 5",
                                       "DELETE FROM audit_entries"])
def test_the_database_refuses_to_change_or_delete_entries(uow_factory, lifecycles, statement: str) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    with pytest.raises(DBAPIError, match="the audit trail is append-only"):
        _sql(uow_factory, statement, guarded=True)
    report = verify_audit(uow=uow_factory())
    assert report.ok and report.entries == 5


@pytest.mark.postgres  # SQLite has no TRUNCATE; its DELETE without WHERE is refused above
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_database_refuses_to_truncate_the_trail(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    with pytest.raises(DBAPIError, match="the audit trail is append-only"):
        _sql(uow_factory, "TRUNCATE audit_entries", guarded=True)


def test_untouched(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    report = verify_audit(uow=uow_factory())
    assert report.ok and report.entries == 5


def test_edited_row(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _sql(uow_factory, "UPDATE audit_entries SET actor = 'mallory' WHERE seq = 3")
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.broken_at, report.problem) == (False, 3, "entry 3 was altered after it was written")


def test_deleted_row(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _sql(uow_factory, "DELETE FROM audit_entries WHERE seq = 2")
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.broken_at) == (False, 2)


def test_reordered_rows(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _sql(uow_factory, "UPDATE audit_entries SET seq = 100 WHERE seq = 2",
         "UPDATE audit_entries SET seq = 2 WHERE seq = 4",
         "UPDATE audit_entries SET seq = 4 WHERE seq = 100")
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.broken_at) == (False, 2)


def test_deleted_last_row(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _sql(uow_factory, "DELETE FROM audit_entries WHERE seq = 5")
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.broken_at) == (False, 5)
