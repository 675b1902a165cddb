"""The login form throttles guessing: per username and per address, kept in the database for every process."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from factories import NOW
from webapp import PASSWORD, csrf

MIN = timedelta(minutes=1)


class Clock:
    """The desk's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _clock(app: Any) -> Clock:
    clock = Clock(NOW)
    app.state.desk = app.state.desk.replace(clock=clock)
    return clock


def _login(client: Any, username: str, password: str) -> Any:
    return client.post("/login", data={"username": username, "password": password, "next": "/",
                                       "csrf_token": csrf(client.get("/login"))}, follow_redirects=False)


def test_five_failures_lock_the_username_until_the_window_passes(web) -> None:  # type: ignore[no-untyped-def]
    clock = _clock(web.app)
    c = web.client()
    for i in range(5):
        clock.now = NOW + i * MIN
        r = _login(c, "Vera" if i % 2 else "vera ", "wrong")
        assert r.status_code == 401 and "Wrong username or password" in r.text
    r = _login(c, "vera", PASSWORD)  # the right password, but locked: refused without being checked
    assert r.status_code == 429 and r.headers["retry-after"] == str(11 * 60)
    assert "Too many failed logins for this username: try again after 23 Nov 2026, 09:15 UTC (in 11 minutes)." in r.text
    assert _login(c, "coco", PASSWORD).status_code == 303  # other users are not affected
    assert web.api("vera").get("/api/v1/me").status_code == 200  # nor are API tokens
    clock.now = NOW + 14 * MIN
    assert _login(web.client(), "VERA", PASSWORD).status_code == 429
    clock.now = NOW + 15 * MIN  # the first failure left the window
    assert _login(web.client(), "vera", PASSWORD).status_code == 303


def test_the_lock_holds_for_another_app_on_the_same_database(web, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pppflow.adapters.documents.agreements import FakeAgreementRenderer
    from pppflow.adapters.documents.store import FakeDocumentStore
    from pppflow.config import Settings
    from pppflow.web.app import create_app

    _clock(web.app)
    for _ in range(5):
        _login(web.client(), "lex", "wrong")
    # another worker of `pppflow web --workers N`, or the app after a restart: it knows only the database
    other = create_app(Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'web.db'}"),
                       renderer=FakeAgreementRenderer(), store=FakeDocumentStore(), clock=lambda: NOW + MIN)
    from fastapi.testclient import TestClient

    with TestClient(other) as c:
        r = _login(c, "lex", PASSWORD)
        assert r.status_code == 429 and r.headers["retry-after"] == str(14 * 60)


def test_a_successful_login_clears_the_failures(web) -> None:  # type: ignore[no-untyped-def]
    _clock(web.app)
    c = web.client()
    for _ in range(4):
        assert _login(c, "coco", "wrong").status_code == 401
    assert _login(c, "coco", PASSWORD).status_code == 303
    for _ in range(4):
        assert _login(web.client(), "coco", "wrong").status_code == 401
    assert _login(web.client(), "coco", PASSWORD).status_code == 303  # four, not eight, failures


def test_one_address_cannot_spray_many_usernames(web) -> None:  # type: ignore[no-untyped-def]
    clock = _clock(web.app)
    c = web.client()  # every test client comes from the same address
    for i in range(20):
        assert _login(c, f"guess{i}", "wrong").status_code == 401
    r = _login(c, "admin", PASSWORD)
    assert r.status_code == 429 and "Too many failed logins for your address" in r.text
    clock.now = NOW + 15 * MIN
    assert _login(c, "admin", PASSWORD).status_code == 303


def test_unlocking_a_username_lifts_its_lock(web) -> None:  # type: ignore[no-untyped-def]
    from pppflow.services.accounts import unlock_user

    _clock(web.app)
    for _ in range(5):
        _login(web.client(), "hanna", "wrong")
    assert _login(web.client(), "hanna", PASSWORD).status_code == 429
    assert unlock_user("Hanna", accounts=web.desk.accounts) == 5
    assert _login(web.client(), "hanna", PASSWORD).status_code == 303
