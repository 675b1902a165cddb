"""Accounts: roles and what they may do, new-account checks, login, tokens, on the in-memory store."""

from __future__ import annotations

import pytest

from factories import NOW
from pppflow.adapters.accounts import FakeAccountStore
from pppflow.domain.accounts import Permission, Role, User, check_new_account
from pppflow.errors import BadInput, ConflictError, NotAllowed, NotFound
from pppflow.services import accounts


def test_what_each_role_may_do() -> None:
    may = {r: {p for p in Permission if User(1, "u", r.value, NOW).may(p)} for r in Role}
    assert may[Role.ADMIN] == set(Permission)
    assert may[Role.COORDINATOR] == {Permission.READ, Permission.COORDINATE, Permission.PARTICIPATE}
    assert may[Role.LEGAL] == {Permission.READ, Permission.LEGAL}
    assert may[Role.VIEWER] == {Permission.READ}
    assert may[Role.PARTNER] == {Permission.READ, Permission.PARTICIPATE}  # answers for its own organisation
    assert not User(1, "u", "admin", NOW, disabled=True).may(Permission.READ)


def test_a_partner_user_sees_only_partnerships_with_its_organisation() -> None:
    hanna = User(1, "hanna", "partner", NOW, "hanze")
    assert hanna.sees(["noorderpoort", "hanze"]) and not hanna.sees(["acme"])
    assert User(2, "vera", "viewer", NOW).sees(["acme"])


def test_new_account_problems_by_field() -> None:
    assert check_new_account("marieke", "coordinator", None, "long enough pw") == []
    problems = check_new_account("X", "boss", "hanze", "short")
    assert [p.split(":")[0] for p in problems] == ["username", "role", "password"]
    assert check_new_account("hanna", "partner", None, "long enough pw") == [
        "partner_organisation: a partner user needs the partner key of its organisation"]
    assert check_new_account("vera", "viewer", "hanze", "long enough pw")[0].startswith("partner_organisation")


def test_add_login_disable_and_tokens() -> None:
    store = FakeAccountStore()
    user = accounts.add_user(" Marieke ", "coordinator", "long enough pw", accounts=store, now=NOW)
    assert user.username == "marieke"
    with pytest.raises(ConflictError):
        accounts.add_user("marieke", "viewer", "long enough pw", accounts=store, now=NOW)
    with pytest.raises(BadInput):
        accounts.add_user("x", "viewer", "pw", accounts=store, now=NOW)
    found = accounts.login("marieke", "long enough pw", accounts=store)
    assert found is not None and found[0].username == "marieke"
    assert accounts.login("marieke", "wrong", accounts=store) is None
    assert accounts.login("nobody", "long enough pw", accounts=store) is None
    secret = accounts.start_session(user, accounts=store, now=NOW)
    assert accounts.session_user(user.id, secret, accounts=store, now=NOW) == user
    token = accounts.issue_token("marieke", accounts=store, now=NOW)
    assert token.startswith("ppp_") and token not in str(store.tokens_by_digest)
    assert accounts.user_for_token(token, accounts=store, now=NOW) == user
    assert accounts.user_for_token("ppp_forged", accounts=store, now=NOW) is None
    accounts.set_password("marieke", "another long pw", accounts=store, now=NOW)
    assert accounts.session_user(user.id, secret, accounts=store, now=NOW) is None  # the old session ends
    with pytest.raises(NotAllowed):
        accounts.disable_user("marieke", accounts=store, now=NOW, by="marieke")
    accounts.disable_user("marieke", accounts=store, now=NOW)
    assert accounts.login("marieke", "another long pw", accounts=store) is None
    assert accounts.user_for_token(token, accounts=store, now=NOW) is None
    with pytest.raises(NotFound):
        accounts.issue_token("nobody", accounts=store, now=NOW)


def test_ensure_admin_creates_one_only_when_there_is_none() -> None:
    store = FakeAccountStore()
    password = accounts.ensure_admin(accounts=store, now=NOW)
    assert password and accounts.login("admin", password, accounts=store) is not None
    assert accounts.ensure_admin(accounts=store, now=NOW) is None


def test_a_token_expires_and_a_revoked_token_stays_revoked() -> None:
    from datetime import timedelta

    store = FakeAccountStore()
    accounts.add_user("marieke", "coordinator", "long enough pw", accounts=store, now=NOW)
    short = accounts.issue_token("marieke", accounts=store, now=NOW, expires_in_days=1)
    lasting = accounts.issue_token("marieke", accounts=store, now=NOW)
    later = NOW + timedelta(days=1, seconds=1)
    assert accounts.user_for_token(short, accounts=store, now=NOW + timedelta(hours=23)) is not None
    assert accounts.user_for_token(short, accounts=store, now=later) is None
    assert [t.status(later) for t in accounts.list_tokens("marieke", accounts=store)] == ["expired", "active"]
    accounts.revoke_token("marieke", 2, accounts=store, now=later)
    assert accounts.user_for_token(lasting, accounts=store, now=later) is None
    with pytest.raises(NotFound):
        accounts.revoke_token("marieke", 99, accounts=store, now=later)
    with pytest.raises(BadInput):
        accounts.issue_token("marieke", accounts=store, now=NOW, expires_in_days=0)
    user = store.find("marieke")[0]  # type: ignore[index]
    secret = accounts.start_session(user, accounts=store, now=NOW)
    assert accounts.session_user(user.id, secret, accounts=store, now=NOW + timedelta(hours=13)) is None
