"""A locked or full database is an answer, not a 500 (issue 9 §7), and a partner cannot count the portfolio through
the audit report (§9)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from webapp import PASSWORD, REF, csrf


@contextmanager
def write_lock(database: Path) -> Iterator[None]:
    """Another process's view: a second connection holding SQLite's write lock (BEGIN IMMEDIATE)."""
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def _token_last_used(web: Any, username: str) -> Any:
    from pppflow.services.accounts import list_tokens

    return list_tokens(username, accounts=web.desk.accounts)[0].last_used


def test_a_read_with_a_token_to_touch_is_answered_while_the_database_is_locked(web, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    assert _token_last_used(web, "vera") is None  # its last use has never been written: this read would write it
    with write_lock(tmp_path / "web.db"):
        started = time.monotonic()
        r = web.api("vera").get(f"/api/v1/partnerships/{REF}")
        assert r.status_code == 200, r.text
        # the bookkeeping write gave up at once, it did not wait its 5 s (a busy machine still answers well before)
        assert time.monotonic() - started < 4.5
    assert _token_last_used(web, "vera") is None  # skipped, not half-written
    assert web.api("vera").get(f"/api/v1/partnerships/{REF}").status_code == 200
    assert _token_last_used(web, "vera") is not None  # written at the next read once the lock is gone


def test_a_login_while_the_database_is_locked_is_503_with_retry_after(web, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c = web.client()
    token = csrf(c.get("/login"))
    with write_lock(tmp_path / "web.db"):
        r = c.post("/login", data={"username": "vera", "password": PASSWORD, "csrf_token": token, "next": "/"},
                   follow_redirects=False)
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert "database is busy" in r.text and "internal error" not in r.text
    r = c.post("/login", data={"username": "vera", "password": PASSWORD, "csrf_token": token, "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303  # and once the lock is gone, the same login works


def test_a_full_disk_while_storing_an_agreement_is_507_and_saves_nothing(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    web.store.fail_on_put = True  # OSError(ENOSPC) at the write boundary
    r = web.api("lex").post(f"/api/v1/partnerships/{REF}/agreements", json={})
    assert r.status_code == 507, r.text
    assert r.json()["error"] == "storage_full" and "disk is full" in r.json()["message"]
    assert web.api("lex").get(f"/api/v1/partnerships/{REF}/agreements").json() == []
    assert web.store.files == {}


def test_a_partner_user_may_not_count_the_portfolio_through_the_audit_report(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    r = web.api("hanna").get("/api/v1/audit/verify")
    assert r.status_code == 403 and "entries" not in r.json()
    assert web.api("vera").get("/api/v1/audit/verify").json()["entries"] >= 1
