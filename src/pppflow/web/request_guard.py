"""Requests are checked before their bodies are read: who is calling, and how many bytes they may send.

FastAPI reads (and spools to disk) a form or an upload before any dependency runs, so the checks that decide whether
a body is read at all live in a pure ASGI middleware in front of the routes:
    an unsafe request (POST, PUT, ...) to anything but /login and /logout needs a valid session or bearer token
    (401, or the login page), and an API call through the session cookie its X-CSRF-Token header (403);
    a declared Content-Length above the route's limit is refused at once (413); a body sent without one is
    counted as it streams and refused when it passes the limit (413).
The limits: `max_upload_bytes` for the routes that take a file (UPLOAD_SUFFIXES, and the ledger's add-entry
form), `max_document_bytes` plus an allowance for the form around it for everything else, and FORM_BYTES for
the login and logout forms.
The route's own dependencies check the caller again (one indexed query): the guard only decides earlier.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pppflow.errors import Forbidden, NotAuthenticated, PppflowError, TooLarge
from pppflow.web.documents import InputLimits

PUBLIC_PATHS = frozenset({"/login", "/logout"})
# An invitation link is used before its user can log in: the token in the path is its credential (checked by
# the route, single use, hashed); its form is small.
PUBLIC_PREFIXES = ("/invitations/",)


def is_public(path: str) -> bool:
    """Whether anonymous callers may send a (small) body here."""
    return path in PUBLIC_PATHS or (path.startswith(PUBLIC_PREFIXES) and path.count("/") == 2)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_BYTES = 64 * 1024  # a form around a document: the other fields and the multipart boundaries
# Routes that take a file upload (a PDF to verify, evidence, a signed copy, a certificate) get the upload limit.
UPLOAD_SUFFIXES = ("/verify", "/evidence", "/signed-copy", "/signed-copies", "/digital-signatures", "/signatures",
                   "/signoffs")



def is_ledger_form(path: str) -> bool:
    """The partnership page's add-entry form, which carries evidence files beside its fields."""
    parts = path.rstrip("/").split("/")
    return len(parts) == 4 and parts[1] == "partnerships" and parts[3] == "ledger"


def body_limit(path: str, limits: InputLimits) -> int:
    """How many bytes a request to `path` may carry."""
    if is_public(path):
        return FORM_BYTES
    if path.rstrip("/").endswith(UPLOAD_SUFFIXES) or is_ledger_form(path):
        return limits.upload_bytes
    return limits.document_bytes + FORM_BYTES


def too_large(limit: int) -> TooLarge:
    return TooLarge("the request is too large", details=[f"at most {limit:,} bytes may be sent here"])


def _caller_problem(request: Request) -> PppflowError | None:
    """Why this request may not send a body (no valid session or token; a cookie call without its CSRF header)."""
    from pppflow.services import accounts as account_service
    from pppflow.web.auth import CSRF_HEADER, _same, csrf_token, session_user_of

    desk = request.app.state.desk
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        user = account_service.user_for_token(token.strip(), accounts=desk.accounts, now=desk.now()) \
            if scheme.lower() == "bearer" else None
        return None if user is not None else NotAuthenticated("the API token is invalid, revoked or belongs to a "
                                                              "disabled user")
    if session_user_of(request, desk) is None:
        return NotAuthenticated("authentication required" if request.url.path.startswith("/api/") else
                                "please log in")
    if request.url.path.startswith("/api/") and not _same(request.headers.get(CSRF_HEADER), csrf_token(request)):
        return Forbidden("a change through the session cookie needs the X-CSRF-Token header")
    return None


class RequestGuard:
    """Pure ASGI middleware: authentication and the body limit, before a byte of the body is read."""

    def __init__(self, app: ASGIApp, limits: InputLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], self.limits)
        declared = Headers(scope=scope).get("content-length")
        problem: PppflowError | None = None
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            problem = too_large(limit)
        elif not is_public(scope["path"]):
            import anyio.to_thread

            problem = await anyio.to_thread.run_sync(_caller_problem, Request(scope))
        if problem is not None:
            await _answer(scope, receive, send, problem)
            return
        await self.app(scope, _counted(receive, limit), send)


def _counted(receive: Receive, limit: int) -> Receive:
    """`receive` that refuses (413) a body growing past `limit` while it streams."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, str(too_large(limit).details[0]))
        return message

    return counted


async def _answer(scope: Scope, receive: Receive, send: Send, problem: PppflowError) -> None:
    """The refusal as the app's error handler would give it (JSON for the API, a page or the login form)."""
    from pppflow.web.errors import pppflow_error

    request: Any = Request(scope, receive)
    response = await pppflow_error(request, problem)
    response.headers["connection"] = "close"  # the unread body is not waited for
    await response(scope, receive, send)
