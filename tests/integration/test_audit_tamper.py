"""`audit verify` finds the first broken link after a row is edited, deleted or reordered in the database."""

from __future__ import annotations

from sqlalchemy import text

from factories import NOW, example_raw
from pppflow.services import changes, partnerships
from pppflow.services.audit import verify_audit


def _trail(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    for k in ("noorderpoort", "hanze", "techbedrijf", "provincie"):
        changes.agree_goal(ref, "modules", k, uow=uow_factory(), actor="m", now=NOW)


def _sql(uow_factory, *statements: str) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        for s in statements:
            uow.session.execute(text(s))
        uow.session.commit()


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
