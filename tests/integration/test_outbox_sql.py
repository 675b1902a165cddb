"""The outbox table on SQLite and PostgreSQL: unique keys, leases, retries, and what `outbox list` shows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from pppflow.adapters.mail.outbox import OutboxMessage

T0 = datetime(2027, 1, 8, 6, 0, tzinfo=UTC)


def message(key: str, kind: str = "checkin") -> OutboxMessage:
    return OutboxMessage(key=key, partnership_ref="pact", kind=kind, step="reminder", about="2027-01-15",
                         send_on=date(2027, 1, 8), recipients=[{"name": "A", "email": "a@x.example", "role": "cc"}],
                         subject="[pppflow] Check-in", message_id=f"<{key}@x>", message="Subject: x\n\nbody\n",
                         created_at=T0)


def test_a_key_is_inserted_once(uow_factory: Any) -> None:
    with uow_factory() as uow:
        assert uow.outbox.add([message("b"), message("a")]) == ["a", "b"]
        uow.commit()
    with uow_factory() as uow:
        assert uow.outbox.add([message("a"), message("c")]) == ["c"]
        assert uow.outbox.existing(["a", "b", "z"]) == {"a", "b"}
        uow.commit()
    with uow_factory() as uow:
        assert [m.key for m in uow.outbox.list()] == ["c", "b", "a"]


def test_a_claimed_row_is_leased_to_one_worker_until_sent_failed_or_expired(uow_factory: Any) -> None:
    with uow_factory() as uow:
        uow.outbox.add([message(k) for k in "abc"] + [message("r", kind="renewal")])
        uow.commit()
    with uow_factory() as uow:
        mine = uow.outbox.claim(now=T0, until=T0 + timedelta(minutes=15), token="w1", limit=2, kinds=["checkin"])
        uow.commit()
    with uow_factory() as uow:
        theirs = uow.outbox.claim(now=T0, until=T0 + timedelta(minutes=15), token="w2", limit=10, kinds=["checkin"])
        uow.commit()
    assert [m.key for m in mine] == ["a", "b"] and [m.key for m in theirs] == ["c"]
    with uow_factory() as uow:
        assert uow.outbox.mark_sent(mine[0].id, "w1", now=T0)
        assert not uow.outbox.mark_sent(theirs[0].id, "w1", now=T0)  # not w1's lease
        assert uow.outbox.mark_failed(theirs[0].id, "w2", error="refused", next_attempt_at=T0 + timedelta(hours=1))
        uow.commit()
    with uow_factory() as uow:  # b's lease runs out (w1 died); c waits for its retry
        later = uow.outbox.claim(now=T0 + timedelta(minutes=16), until=T0 + timedelta(hours=2), token="w3",
                                 limit=10, kinds=["checkin"])
        uow.commit()
    assert [m.key for m in later] == ["b"]
    with uow_factory() as uow:
        retry = uow.outbox.claim(now=T0 + timedelta(hours=1), until=T0 + timedelta(hours=2), token="w4", limit=10)
        uow.commit()
    assert sorted(m.key for m in retry) == ["c", "r"] and next(m for m in retry if m.key == "c").attempts == 1
    with uow_factory() as uow:
        uow.outbox.release([m.id for m in retry], "w4")
        uow.commit()
    with uow_factory() as uow:
        assert [m.key for m in uow.outbox.list(failed=True)] == ["c"]
        assert [m.key for m in uow.outbox.list(pending=True)] == ["r", "c", "b"]
        assert uow.outbox.count_pending(kinds=["checkin"]) == 2
        sent = next(m for m in uow.outbox.list() if m.key == "a")
        assert (sent.status, sent.sent_at, sent.recipients[0]["email"]) == ("sent", T0, "a@x.example")
