"""Who is calling: signed session cookies with a session-bound CSRF token for the pages, bearer tokens for the API.

The session cookie is signed with itsdangerous (tamper-proof, not secret), HttpOnly, SameSite=Lax and Secure
over https. It holds the user's id, the CSRF token and the secret of a server-side session record
(`web_sessions`, only its SHA-256 stored): logging out deletes the record, so a saved copy of the cookie stops
working; disabling a user, changing its password or an administrator's "log out everywhere" delete all of them.
Every unsafe request to a page must carry the
session's CSRF token as the `csrf_token` form field; an API call with the cookie instead of a token must send
it as the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request, Response, Security
from fastapi.security import HTTPBearer
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pppflow.domain.accounts import Permission, User
from pppflow.errors import Forbidden, NotAuthenticated
from pppflow.services import accounts as account_service
from pppflow.services.portfolio import ensure_visible
from pppflow.web.desk import Desk, desk_of

SESSION_COOKIE = "pppflow_session"
SESSION_MAX_AGE = 12 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def _serializer(desk: Desk) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(desk.secret_key, salt="pppflow-session")


def new_session(user: User | None = None, secret: str = "") -> dict[str, Any]:
    """A fresh session: a new CSRF token, and the user and session record it belongs to (None before login)."""
    return {"u": user.id if user else None, "s": secret, "c": secrets.token_urlsafe(24)}


def _load(request: Request, desk: Desk) -> dict[str, Any] | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(desk).loads(raw, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("c"), str) else None


def replace_session(request: Request, data: dict[str, Any]) -> None:
    """Start a new session (log in or out); the cookie is written with the response."""
    request.state.session = data
    request.state.session_dirty = True


class SessionCookie:
    """Pure ASGI middleware: every page request has a session (anonymous until login), so every form has a CSRF
    token; a session changed while answering is written back as a cookie with the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        desk: Desk = request.app.state.desk
        data = _load(request, desk)
        request.state.session = data
        request.state.session_dirty = False
        if data is None and not scope["path"].startswith(("/api/", "/static/")):
            replace_session(request, new_session())

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                if request.method not in SAFE_METHODS:  # something may have changed: the next dashboard is fresh
                    request.app.state.dashboard.expire()
                if request.state.session_dirty:
                    secure = desk.cookie_secure if desk.cookie_secure is not None else request.url.scheme == "https"
                    cookie = Response()
                    cookie.set_cookie(SESSION_COOKIE, _serializer(desk).dumps(request.state.session),
                                      max_age=SESSION_MAX_AGE, httponly=True, samesite="lax", secure=secure, path="/")
                    message["headers"] = [*message.get("headers", []),
                                          *((k, v) for k, v in cookie.raw_headers if k == b"set-cookie")]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def csrf_token(request: Request) -> str:
    session = getattr(request.state, "session", None)
    return session["c"] if session else ""


def _same(a: str | None, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), b.encode())


async def csrf_protect(request: Request) -> None:
    """Dependency of every page route: an unsafe request without the session's CSRF token is refused (403)."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not _same(sent if isinstance(sent, str) else None, csrf_token(request)):
        raise Forbidden("the form has expired or did not come from pppflow; reload the page and try again",
                        details=["missing or wrong CSRF token"])


def session_user_of(request: Request, desk: Desk) -> User | None:
    session = getattr(request.state, "session", None)
    if not session or not isinstance(session.get("u"), int):
        return None
    return account_service.session_user(session["u"], str(session.get("s") or ""), accounts=desk.accounts,
                                        now=desk.now())


def page_user(request: Request, desk: Desk = Depends(desk_of)) -> User:
    """Dependency: the logged-in user of a page, or NotAuthenticated (the pages answer with the login form)."""
    user = session_user_of(request, desk)
    if user is None:
        raise NotAuthenticated("please log in")
    request.state.user = user
    return user


_bearer = HTTPBearer(auto_error=False, description="an API token from `pppflow user token USERNAME`")


def api_user(request: Request, desk: Desk = Depends(desk_of), _scheme: object = Security(_bearer)) -> User:
    """Dependency: the caller of the API by `Authorization: Bearer <token>`, or by session cookie (+ CSRF)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if header:
        user = account_service.user_for_token(token.strip(), accounts=desk.accounts, now=desk.now()) \
            if scheme.lower() == "bearer" else None
        if user is None:
            raise NotAuthenticated("the API token is invalid, revoked or belongs to a disabled user",
                                   details=["send Authorization: Bearer <token> (`pppflow user token USERNAME`)"])
        return user
    user = session_user_of(request, desk)
    if user is None:
        raise NotAuthenticated("authentication required",
                               details=["send Authorization: Bearer <token> (`pppflow user token USERNAME`)"])
    if request.method not in SAFE_METHODS and not _same(request.headers.get(CSRF_HEADER), csrf_token(request)):
        raise Forbidden("a change through the session cookie needs the X-CSRF-Token header")
    return user


def _permitted(request: Request, user: User, desk: Desk, permission: Permission) -> User:
    ref = request.path_params.get("ref")
    if ref is not None:  # a partner user learns nothing of other organisations' partnerships: 404, not 403
        ensure_visible(ref, uow=desk.uow(), party=party_of(user))
    if not user.may(permission):
        raise Forbidden(f"the role '{user.role}' may not do this",
                        details=[f"needs the '{permission.value}' permission"])
    return user


# Each dependency below is one plain function, so FastAPI hands a request to its thread pool once for the
# caller and once for the route, not once per step.
def api_permit(permission: Permission) -> Callable[..., User]:
    """Dependency factory: the API caller, if it may see the partnership `{ref}` and its role has `permission`."""
    def dependency(request: Request, desk: Desk = Depends(desk_of), _scheme: object = Security(_bearer)) -> User:
        return _permitted(request, api_user(request, desk), desk, permission)

    return dependency


def page_permit(permission: Permission) -> Callable[..., User]:
    """Dependency factory: the page user, if it may see the partnership `{ref}` and its role has `permission`."""
    def dependency(request: Request, desk: Desk = Depends(desk_of)) -> User:
        return _permitted(request, page_user(request, desk), desk, permission)

    return dependency


def party_of(user: User) -> str | None:
    """The partner key a partner user is confined to; None for everyone else."""
    return user.partner_organisation if user.is_partner else None
