"""The one place where errors become HTTP responses: JSON for the API, a page (or the login form) for people.

    BadInput, DocumentError, invalid request   422  {"error": code, "message": ..., "details": [...]}
    TooLarge (a body or file past its limit)   413
    DomainError (a blocked trigger: its reasons in details), ConflictError   409
    NotFound                                   404
    NotAuthenticated 401, Forbidden 403, TooManyAttempts 429 (with Retry-After)
    DatabaseBusy (a SQLite write lock held elsewhere) 503 with Retry-After; StorageFull (disk full) 507
    ConfigError and anything unexpected 500 (never a user's mistake)
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from pppflow.domain.spec_problems import validation_problems
from pppflow.errors import (
    BadInput,
    ConflictError,
    DatabaseBusy,
    DocumentError,
    DomainError,
    Forbidden,
    NotAuthenticated,
    NotFound,
    PppflowError,
    StorageFull,
    TooLarge,
    TooManyAttempts,
    Unavailable,
    unavailable_from,
    value_refused,
)

log = logging.getLogger("pppflow.web")


# What to do about an error, in the web app's words (never a CLI command).
WEB_HINTS = {
    "generate_agreement": "generate it on the partnership's Agreements page",
    "set_obligation_status": "set the status on the obligation",
    "give_reason": "fill in the reason",
    "list_partnerships": "the Partnerships page lists them",
    "list_users": "the Users page lists them",
    "list_tokens": "the user's row on the Users page lists them",
    "admit_partner": "propose the new partner under Admissions",
    "name_checkin_date": "choose its planned check-in",
    "reload_and_retry": "reload the page and try again",
}


def web_details(exc: PppflowError) -> list[str]:
    """The error's details with the web app's words for its hint."""
    return [*exc.details, WEB_HINTS[exc.hint]] if exc.hint in WEB_HINTS else list(exc.details)


def status_of(exc: PppflowError) -> int:
    for kind, status in ((TooLarge, 413), (BadInput, 422), (DocumentError, 422), (DomainError, 409),
                         (ConflictError, 409), (NotFound, 404), (NotAuthenticated, 401), (Forbidden, 403),
                         (TooManyAttempts, 429), (DatabaseBusy, 503), (StorageFull, 507)):
        if isinstance(exc, kind):
            return status
    return 500


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _json(status: int, code: str, message: str, details: list[str], headers: dict[str, str] | None = None
          ) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, "details": details}, status_code=status, headers=headers)


def _page(request: Request, status: int, message: str, details: list[str]) -> Response:
    from pppflow.web.pages.rendering import render

    return render(request, "error.html", {"status": status, "message": message, "details": details},
                  status_code=status)


async def pppflow_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PppflowError)
    status = status_of(exc)
    if status == 500:
        log.error("server problem: %s", exc.message)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts | Unavailable) else {}
    if _is_api(request):
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse({**exc.to_dict(), "details": web_details(exc)}, status_code=status,
                            headers=headers or None)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    response = _page(request, status, exc.message, web_details(exc))
    response.headers.update(headers)
    return response


def validation_details(errors: Any, body: Any = None) -> list[str]:
    """Pydantic's errors as `where: what` lines in our words, where is the path in the request (body, query, ...)
    as sent (union alternatives merged into one line, keys that are not text named as written)."""
    sent = {"body": body} if isinstance(body, dict | list) else None
    return validation_problems(list(errors), sent, not_a_field="is not a field of this request")


async def invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors(), exc.body)
    if _is_api(request):
        return _json(422, "bad_input", "the request is invalid", details)
    return _page(request, 422, "the request is invalid", details)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = 422 if exc.status_code == 400 else exc.status_code  # an unparseable body is bad input, like bad JSON
    code = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 422: "bad_input"}.get(status, "http_error")
    message = str(exc.detail) if exc.detail else "error"
    if _is_api(request):
        return _json(status, code, message, [], dict(exc.headers or {}))
    return _page(request, status, message, [])


async def internal_error(request: Request, exc: Exception) -> Response:
    unavailable = unavailable_from(exc)
    if unavailable is not None:  # a locked database or a full disk: an answer, not a 500
        log.warning("%s %s: %s", request.method, request.url.path, unavailable.message)
        return await pppflow_error(request, unavailable)
    log.exception("internal error on %s %s", request.method, request.url.path)
    message = "internal error: this is a bug in pppflow, not your mistake"
    if _is_api(request):
        return _json(500, "internal_error", message, [type(exc).__name__])
    return _page(request, 500, message, [type(exc).__name__])


async def refused_value(request: Request, exc: Exception) -> Response:
    """The database refused a value of the request (PostgreSQL: a NUL character in text): 422, nothing saved."""
    return await pppflow_error(request, value_refused(exc))


def install(app: FastAPI) -> None:
    from sqlalchemy.exc import DataError, OperationalError

    app.add_exception_handler(PppflowError, pppflow_error)
    app.add_exception_handler(DataError, refused_value)
    for kind in (OperationalError, OSError):  # handled here, not by the last resort (which re-raises to the server)
        app.add_exception_handler(kind, internal_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal_error)
