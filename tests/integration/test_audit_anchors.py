"""The chain head is guarded and checked, audited writes refuse a damaged chain, and signed checkpoints kept outside
the database reveal truncation and rewriting (issue 9 §1), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from factories import NOW
from pppflow.adapters.audit_anchor import FakeCheckpointStore
from pppflow.domain.audit import GENESIS, chain_entry
from pppflow.domain.audit_checkpoint import Checkpoint
from pppflow.errors import AuditChainDamaged
from pppflow.services import changes, partnerships
from pppflow.services.audit import verify_audit, write_checkpoint
from test_audit_tamper import _trail


def _console(uow_factory, *statements: str, unguarded: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Plain SQL at the database console; `unguarded` first removes every audit trigger (a schema owner)."""
    with uow_factory() as uow:
        s = uow.session
        if unguarded:
            if s.get_bind().dialect.name == "postgresql":
                s.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
                s.execute(text("ALTER TABLE audit_chain_head DISABLE TRIGGER USER"))
            else:
                for name in ("audit_entries_no_update", "audit_entries_no_delete", "audit_entries_append_at_end",
                             "audit_chain_head_no_insert", "audit_chain_head_no_delete",
                             "audit_chain_head_advance_only"):
                    s.execute(text(f"DROP TRIGGER {name}"))
        for statement in statements:
            s.execute(text(statement))
        s.commit()


def _hash(uow_factory, seq: int) -> str:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        return uow.session.execute(text(f"SELECT hash FROM audit_entries WHERE seq = {seq}")).scalar_one()


def _forged_insert(uow_factory, *, after: int, seq: int | None = None, unguarded: bool = False) -> None:  # type: ignore[no-untyped-def]
    """A 'terminated' entry correctly chained after entry `after`, as an attacker who read the code would write."""
    with uow_factory() as uow:
        partnership = uow.session.execute(text("SELECT ref FROM partnerships")).scalar_one()
    e = chain_entry(seq or after + 1, _hash(uow_factory, after) if after else GENESIS, partnership_ref=partnership,
                    at=NOW, actor="mallory", action="transition",
                    before={"stage": "maintenance"}, after={"stage": "terminated", "trigger": "terminate"},
                    reason=None)
    _console(uow_factory, "INSERT INTO audit_entries (seq, partnership_ref, at, actor, action, before, after, "
             f"reason, prev_hash, hash) VALUES ({e.seq}, '{e.partnership_ref}', '{e.at}', '{e.actor}', '{e.action}', "
             f"'{e.before}', '{e.after}', NULL, '{e.prev_hash}', '{e.hash}')", unguarded=unguarded)


def _audited_write(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        ref = uow.session.execute(text("SELECT ref FROM partnerships")).scalar_one()
    for partner in ("noorderpoort", "hanze"):
        changes.agree_goal(ref, "lifelong", partner, uow=uow_factory(), actor="m", now=NOW)


@pytest.mark.parametrize("statement", [
    "DELETE FROM audit_chain_head",
    "UPDATE audit_chain_head SET seq = 1, hash = (SELECT hash FROM audit_entries WHERE seq = 1)",
    "UPDATE audit_chain_head SET seq = 0, hash = '" + GENESIS + "'",
    "INSERT INTO audit_chain_head (id, seq, hash) VALUES (2, 0, '" + GENESIS + "')",
])
def test_the_database_refuses_to_move_or_delete_the_head(uow_factory, lifecycles, statement: str) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    with pytest.raises(DBAPIError, match="the audit chain head only advances"):
        _console(uow_factory, statement)
    assert verify_audit(uow=uow_factory()).ok


def test_the_database_refuses_an_entry_that_does_not_follow_the_last(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    with pytest.raises(DBAPIError, match="a new entry must follow the last entry"):
        _forged_insert(uow_factory, after=5, seq=9)  # a gap
    with pytest.raises(DBAPIError, match="a new entry must follow the last entry"):
        _forged_insert(uow_factory, after=3, seq=6)  # the right number, chained to the wrong entry


def test_a_forged_entry_past_the_head_is_reported_hidden_from_history_and_blocks_writes_cleanly(
        uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _forged_insert(uow_factory, after=5)  # allowed by the triggers: it follows the last entry
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.broken_at) == (False, 6)
    assert report.problem.startswith("entry 6 is past the chain head (it records entry 5)")
    with uow_factory() as uow:
        ref = uow.session.execute(text("SELECT ref FROM partnerships")).scalar_one()
    assert [e.actor for e in partnerships.history(ref, uow=uow_factory())] == ["m"] * 5
    with pytest.raises(AuditChainDamaged, match="chain head records entry 5 but the last stored entry is 6") as caught:
        _audited_write(uow_factory, lifecycles)
    assert "audit verify" in caught.value.details[0]


def test_a_deleted_head_is_reported_and_blocks_writes_cleanly(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _console(uow_factory, "DELETE FROM audit_chain_head", unguarded=True)
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.problem) == (False, "the chain head is missing (deleted); the trail holds 5 entries")
    with pytest.raises(AuditChainDamaged, match="chain head is missing"):
        _audited_write(uow_factory, lifecycles)


def test_a_head_set_back_is_reported(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _console(uow_factory, f"UPDATE audit_chain_head SET seq = 1, hash = '{_hash(uow_factory, 1)}'", unguarded=True)
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.broken_at) == (False, 2)
    assert "entry 2 is past the chain head (it records entry 1)" in report.problem


def test_tail_truncation_with_the_head_untouched_is_reported(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _console(uow_factory, "DELETE FROM audit_entries WHERE seq > 3", unguarded=True)
    report = verify_audit(uow=uow_factory())
    assert (report.ok, report.broken_at) == (False, 4)
    assert "the chain head records entry 5" in report.problem


def test_truncation_with_a_matching_head_is_caught_by_a_checkpoint(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    store = FakeCheckpointStore()
    c = write_checkpoint(uow_factory=uow_factory, store=store, now=NOW)
    assert (c.seq, c.hash) == (5, _hash(uow_factory, 5))
    _console(uow_factory, "DELETE FROM audit_entries WHERE seq > 3",
             f"UPDATE audit_chain_head SET seq = 3, hash = '{_hash(uow_factory, 3)}'", unguarded=True)
    assert verify_audit(uow=uow_factory()).ok  # undetectable from inside the database
    report = verify_audit(uow=uow_factory(), checkpoints=store.logged(), key=store.key())
    assert (report.ok, report.problem) == (False, "truncated: checkpoint 5 is past the last entry 3")


def test_a_rewritten_and_rechained_trail_is_caught_by_a_checkpoint(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    store = FakeCheckpointStore()
    write_checkpoint(uow_factory=uow_factory, store=store, now=NOW)
    # rewrite entries 4 and 5 (other actor), chained correctly, and move the head onto the new entry 5
    with uow_factory() as uow:
        rows = [dict(r._mapping) for r in uow.session.execute(text("SELECT * FROM audit_entries WHERE seq >= 4 "
                                                                   "ORDER BY seq"))]
    prev, statements = _hash(uow_factory, 3), ["DELETE FROM audit_entries WHERE seq >= 4"]
    for r in rows:
        e = chain_entry(r["seq"], prev, partnership_ref=r["partnership_ref"], at=NOW, actor="mallory",
                        action=r["action"], before={}, after={}, reason=None)
        statements.append("INSERT INTO audit_entries (seq, partnership_ref, at, actor, action, before, after, "
                          f"reason, prev_hash, hash) VALUES ({e.seq}, '{e.partnership_ref}', '{e.at}', 'mallory', "
                          f"'{e.action}', '{e.before}', '{e.after}', NULL, '{e.prev_hash}', '{e.hash}')")
        prev = e.hash
    statements.append(f"UPDATE audit_chain_head SET hash = '{prev}'")
    _console(uow_factory, *statements, unguarded=True)
    assert verify_audit(uow=uow_factory()).ok
    report = verify_audit(uow=uow_factory(), checkpoints=store.logged(), key=store.key())
    assert (report.ok, report.broken_at, report.problem) == (False, 5, "rewritten: entry 5 differs from checkpoint")


def test_checkpoints_keep_verifying_while_the_trail_grows(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    store = FakeCheckpointStore()
    write_checkpoint(uow_factory=uow_factory, store=store, now=NOW)
    _audited_write(uow_factory, lifecycles)
    write_checkpoint(uow_factory=uow_factory, store=store, now=NOW + timedelta(days=1))
    report = verify_audit(uow=uow_factory(), checkpoints=store.logged(), key=store.key())
    assert (report.ok, report.entries, report.checkpoints) == (True, 7, 2)


def test_a_forged_or_unverifiable_checkpoint_is_reported(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    store = FakeCheckpointStore()
    c = write_checkpoint(uow_factory=uow_factory, store=store, now=NOW)
    forged = Checkpoint(4, _hash(uow_factory, 4), c.at, c.mac)
    report = verify_audit(uow=uow_factory(), checkpoints=[forged], key=store.key())
    assert not report.ok and "checkpoint 4" in report.problem and "bad signature" in report.problem
    report = verify_audit(uow=uow_factory(), checkpoints=[c], key=None)
    assert not report.ok and "checkpoint key is missing" in report.problem


def test_no_checkpoint_is_written_for_a_damaged_trail(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    _trail(uow_factory, lifecycles)
    _forged_insert(uow_factory, after=5)
    store = FakeCheckpointStore()
    with pytest.raises(AuditChainDamaged, match="does not verify, so no checkpoint was written"):
        write_checkpoint(uow_factory=uow_factory, store=store, now=NOW)
    assert store.logged() == []


def test_a_checkpoint_is_mailed_once_through_the_outbox_when_an_address_is_set(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    from pppflow.adapters.mail import FakeMailer

    _trail(uow_factory, lifecycles)
    store, mailer = FakeCheckpointStore(), FakeMailer(fail_times=1)
    c = write_checkpoint(uow_factory=uow_factory, store=store, now=NOW, mailer=mailer, mail_to="auditor@pact.example")
    assert mailer.sent == []  # the mail server was down: the message waits in the outbox
    with uow_factory() as uow:
        [row] = uow.outbox.list(failed=True)
    assert (row.kind, row.recipients[0]["email"]) == ("audit", "auditor@pact.example")
    write_checkpoint(uow_factory=uow_factory, store=store, now=NOW + timedelta(hours=1), mailer=mailer)
    [sent] = mailer.sent  # delivered on the next checkpoint run; that one has no address, so nothing new
    assert sent["To"] == "auditor@pact.example" and c.line() in sent.get_content()
    assert len(store.logged()) == 2
