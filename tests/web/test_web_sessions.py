"""Sessions and tokens can be revoked (issue 9 §5): each attack from the issue, replayed against the web app."""

from __future__ import annotations

from typing import Any

from pppflow.services import accounts
from webapp import PASSWORD, csrf

COOKIE = "pppflow_session"


def _with_cookie(web: Any, value: str) -> Any:
    """A new browser that only has a copy of a saved session cookie."""
    c = web.client()
    c.cookies.set(COOKIE, value)
    return c


def _logged_in(web: Any, c: Any) -> bool:
    return c.get("/", follow_redirects=False).status_code == 200


def test_a_cookie_saved_before_logout_no_longer_works(web) -> None:  # type: ignore[no-untyped-def]
    c = web.browser("vera")
    saved = c.cookies.get(COOKIE)
    assert _logged_in(web, _with_cookie(web, saved))
    r = c.post("/logout", data={"csrf_token": csrf(c.get("/"))}, follow_redirects=False)
    assert r.status_code == 303
    replay = _with_cookie(web, saved)
    assert replay.get("/", follow_redirects=False).status_code == 303  # back to the login form
    assert replay.get("/api/v1/me").status_code == 401


def test_logging_out_ends_only_that_session(web) -> None:  # type: ignore[no-untyped-def]
    laptop, phone = web.browser("vera"), web.browser("vera")
    laptop.post("/logout", data={"csrf_token": csrf(laptop.get("/"))})
    assert not _logged_in(web, laptop) and _logged_in(web, phone)


def test_disable_then_enable_does_not_bring_back_the_old_cookie_or_token(web) -> None:  # type: ignore[no-untyped-def]
    saved = web.browser("vera").cookies.get(COOKIE)
    token = web.tokens["vera"]
    assert web.api("vera").get("/api/v1/me").status_code == 200
    admin = web.browser("admin")
    admin.post("/admin/users/vera/disable", data={"csrf_token": csrf(admin.get("/admin/users"))})
    admin.post("/admin/users/vera/enable", data={"csrf_token": csrf(admin.get("/admin/users"))})
    assert not _logged_in(web, _with_cookie(web, saved))
    c = web.client()
    assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert _logged_in(web, web.browser("vera"))  # a new login works again


def test_a_password_change_ends_sessions_and_keeps_tokens_unless_asked(web) -> None:  # type: ignore[no-untyped-def]
    desk = web.desk
    saved = web.browser("vera").cookies.get(COOKIE)
    accounts.set_password("vera", PASSWORD + "!", accounts=desk.accounts, now=desk.now())
    assert not _logged_in(web, _with_cookie(web, saved))
    me = {"Authorization": f"Bearer {web.tokens['vera']}"}
    assert web.client().get("/api/v1/me", headers=me).status_code == 200  # documented: tokens are kept
    accounts.set_password("vera", PASSWORD, accounts=desk.accounts, now=desk.now(), revoke_tokens=True)
    assert web.client().get("/api/v1/me", headers=me).status_code == 401


def test_an_admin_logs_a_user_out_everywhere(web) -> None:  # type: ignore[no-untyped-def]
    laptop, phone = web.browser("coco"), web.browser("coco")
    admin = web.browser("admin")
    r = admin.post("/admin/users/coco/logout-everywhere", data={"csrf_token": csrf(admin.get("/admin/users"))},
                   follow_redirects=False)
    assert r.status_code == 303
    assert not _logged_in(web, laptop) and not _logged_in(web, phone)
    assert _logged_in(web, admin)
    assert web.api("coco").get("/api/v1/me").status_code == 200  # tokens are not sessions


def test_tokens_are_listed_and_revoked_on_the_users_page(web) -> None:  # type: ignore[no-untyped-def]
    admin = web.browser("admin")
    r = admin.post("/admin/users/lex/token", data={"csrf_token": csrf(admin.get("/admin/users")),
                                                   "expires_in_days": "30"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"  # the token is shown once
    new_token = r.text.split("shown once, copy it now:<code>", 1)[1].split("</code>", 1)[0]
    assert new_token.startswith("ppp_")
    assert "no-store" not in admin.get("/admin/users").headers.get("cache-control", "")
    listed = accounts.list_tokens("lex", accounts=web.desk.accounts)
    assert [t.status(web.desk.now()) for t in listed] == ["active", "active"]
    assert listed[1].expires_at is not None and (listed[1].expires_at - listed[1].created_at).days == 30
    page = admin.get("/admin/users").text
    assert f'action="/admin/users/lex/tokens/{listed[0].id}/revoke"' in page
    r = admin.post(f"/admin/users/lex/tokens/{listed[0].id}/revoke",
                   data={"csrf_token": csrf(admin.get("/admin/users"))}, follow_redirects=False)
    assert r.status_code == 303
    assert web.client().get("/api/v1/me", headers={"Authorization": f"Bearer {web.tokens['lex']}"}).status_code == 401
    assert web.client().get("/api/v1/me", headers={"Authorization": f"Bearer {new_token}"}).status_code == 200
    assert f'action="/admin/users/lex/tokens/{listed[0].id}/revoke"' not in admin.get("/admin/users").text


def test_the_password_shown_once_is_not_cached(web) -> None:  # type: ignore[no-untyped-def]
    admin = web.browser("admin")
    r = admin.post("/admin/users", data={"csrf_token": csrf(admin.get("/admin/users")), "username": "nina",
                                         "role": "viewer", "partner_organisation": "", "password": ""})
    assert r.status_code == 200 and "shown once" in r.text and r.headers["cache-control"] == "no-store"
