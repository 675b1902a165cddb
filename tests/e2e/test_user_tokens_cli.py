"""`pppflow user tokens|revoke-token|logout-everywhere`, `user token --expires-in-days` and
`user password --revoke-tokens` end to end (issue 9 §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _token_works(home: Path, token: str) -> bool:
    from pppflow.adapters.accounts import SqlAccountStore
    from pppflow.adapters.db.database import session_factory
    from pppflow.services.accounts import user_for_token
    from pppflow.wiring import utcnow

    factory = session_factory(f"sqlite:///{home / 'pppflow.db'}")
    try:
        return user_for_token(token, accounts=SqlAccountStore(factory), now=utcnow()) is not None
    finally:
        factory.kw["bind"].dispose()
        session_factory.cache_clear()


def test_tokens_are_listed_expire_and_are_revoked(cli: Any) -> None:
    assert cli("user", "add", "marieke", "--role", "coordinator").code == 0
    first = cli("user", "token", "marieke").out.strip().splitlines()[-1]
    r = cli("user", "token", "marieke", "--expires-in-days", "30")
    assert r.code == 0
    second = r.out.strip().splitlines()[-1]
    assert cli("user", "token", "marieke", "--expires-in-days", "0").code == 2
    listed = cli("user", "tokens", "marieke", "--json").json()
    assert [(t["id"], t["status"], t["expires_at"] is None) for t in listed] == [(1, "active", True),
                                                                              (2, "active", False)]
    assert first not in cli("user", "tokens", "marieke").out  # never the secret
    r = cli("user", "revoke-token", "marieke", "1")
    assert r.code == 0 and "revoked API token 1 of marieke" in r.out
    assert [t["status"] for t in cli("user", "tokens", "marieke", "--json").json()] == ["revoked", "active"]
    assert not _token_works(cli.home, first) and _token_works(cli.home, second)
    assert cli("user", "revoke-token", "marieke", "9").code == 3
    assert cli("user", "tokens", "nobody").code == 3

    r = cli("user", "password", "marieke")
    assert r.code == 0 and "its API tokens still work" in r.out
    assert _token_works(cli.home, second)
    r = cli("user", "password", "marieke", "--revoke-tokens")
    assert r.code == 0 and "its API tokens are revoked" in r.out
    assert not _token_works(cli.home, second)
    r = cli("user", "logout-everywhere", "marieke")
    assert r.code == 0 and "ended 0 web sessions of marieke" in r.out
