"""`pppflow user ...` and `pppflow demo --serve` end to end: accounts from the command line, a served demo."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from servers import free_port, running


def test_user_add_list_token_disable(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("user", "add", "marieke", "--role", "coordinator")
    assert r.code == 0 and "added marieke (coordinator)" in r.out
    assert re.search(r"password \(shown once\): \S{12,}", r.out)
    r = cli("user", "add", "hanna", "--role", "partner", "--partner-organisation", "hanze", "--password-stdin",
            stdin="a long enough password\n")
    assert r.code == 0 and "password" not in r.out.split("\n", 1)[1]
    assert cli("user", "add", "marieke").code == 4
    r = cli("user", "add", "X", "--role", "boss", "--password-stdin", stdin="short\n")
    assert r.code == 2 and "role: must be one of" in r.err and "username:" in r.err and "password:" in r.err
    listed = cli("user", "list", "--json").json()
    assert [(u["username"], u["role"], u["partner_organisation"]) for u in listed] == [
        ("hanna", "partner", "hanze"), ("marieke", "coordinator", None)]
    r = cli("user", "token", "marieke")
    assert r.code == 0 and r.out.strip().splitlines()[-1].startswith("ppp_")
    assert cli("user", "disable", "marieke").code == 0
    assert cli("user", "list", "--json").json()[1]["disabled"] is True
    assert cli("user", "disable", "nobody").code == 3
    assert cli("user", "password", "hanna").code == 0


@pytest.mark.slow
def test_demo_serve_prints_the_admin_password_once_and_serves(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(["demo", "--serve", "--port", str(port)], cli.env, tmp_path / "demo.log") as demo:
        out = demo.wait_for_line("pppflow web on")
        password = re.search(r"as admin with the password (\S+) \(shown once", out.replace("\n", " ")).group(1)  # type: ignore[union-attr]
        demo.wait_for_http(f"{base}/login")
        with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
            page = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
            r = client.post("/login", data={"username": "admin", "password": password, "csrf_token": token})
            assert r.status_code == 200 and "smart-industry-technician-pact" in client.get("/partnerships").text
    again = cli("user", "list", "--json").json()
    assert [u["username"] for u in again] == ["admin"]


def test_user_unlock_lifts_the_login_throttle(cli) -> None:  # type: ignore[no-untyped-def]
    from pppflow.adapters.accounts import SqlAccountStore
    from pppflow.adapters.db.database import session_factory
    from pppflow.config import Settings
    from pppflow.errors import TooManyAttempts
    from pppflow.services.accounts import throttled_login
    from pppflow.wiring import utcnow

    assert cli("user", "add", "marieke", "--password-stdin", stdin="a long enough password\n").code == 0
    factory = session_factory(Settings.from_environ(cli.env).database_url)  # the database the command used
    try:
        store = SqlAccountStore(factory)
        for _ in range(5):
            assert throttled_login("Marieke", "wrong", accounts=store, now=utcnow()) is None
        with pytest.raises(TooManyAttempts):
            throttled_login("marieke", "a long enough password", accounts=store, now=utcnow())
        r = cli("user", "unlock", "Marieke")
        assert r.code == 0 and "cleared 5 failed logins of marieke" in r.out
        assert throttled_login("marieke", "a long enough password", accounts=store, now=utcnow()) is not None
        assert "no failed logins recorded for marieke" in cli("user", "unlock", "marieke").out
    finally:
        factory.kw["bind"].dispose()
        session_factory.cache_clear()
