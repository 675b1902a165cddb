"""Logging in and out; repeated failed logins are throttled per username and per address (HTTP 429)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from pppflow.errors import TooManyAttempts
from pppflow.services.accounts import end_session, start_session, throttled_login
from pppflow.web.auth import new_session, replace_session, session_user_of
from pppflow.web.desk import Desk, desk_of
from pppflow.web.pages.rendering import redirect, render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (`//evil`, `/\\evil`, `https://...`)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str | None = None, desk: Desk = Depends(desk_of)) -> Response:
    if session_user_of(request, desk) is not None:
        return redirect(safe_next(next))
    return render(request, "login.html", {"next": safe_next(next), "username": "", "error": None})


@router.post("/login")
def login_submit(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
                 desk: Desk = Depends(desk_of)) -> Response:
    form = {"next": safe_next(next), "username": username[:64]}
    address = request.client.host if request.client else None
    try:
        found = throttled_login(username, password, accounts=desk.accounts, now=desk.now(), address=address) \
            if username.strip() else None
    except TooManyAttempts as exc:
        response = render(request, "login.html", {**form, "error": exc.message}, status_code=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if found is None:
        return render(request, "login.html", {**form, "error": "Wrong username or password, or the account is "
                                                               "disabled."}, status_code=401)
    user = found[0]
    secret = start_session(user, accounts=desk.accounts, now=desk.now())
    replace_session(request, new_session(user, secret))  # a new CSRF token with every login
    return redirect(safe_next(next))


@router.post("/logout")
def logout(request: Request, desk: Desk = Depends(desk_of)) -> Response:
    """End the session's record too: a copy of the cookie saved before logging out no longer works."""
    session = getattr(request.state, "session", None) or {}
    end_session(str(session.get("s") or ""), accounts=desk.accounts)
    replace_session(request, new_session())
    return redirect("/login")
