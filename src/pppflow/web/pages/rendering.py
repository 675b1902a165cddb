"""Rendering pages: one Jinja2 environment (autoescape on, strict undefined), filters, flash messages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from pppflow.domain.accounts import Permission
from pppflow.domain.lifecycle import LifecycleDefinition, TriggerCheck
from pppflow.domain.model import PartnerKind
from pppflow.web.auth import csrf_token
from pppflow.web.diagram import layout

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DIAGRAM_CACHE_SIZE = 1024


def _when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%-d %b %Y, %H:%M UTC")


def _day(value: date | None) -> str:
    return value.strftime("%-d %b %Y") if value else ""


def _label(value: str | None) -> str:
    return (value or "").replace("_", " ").replace("-", " ").capitalize()


_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True, auto_reload=False)
_env.filters.update(when=_when, day=_day, label=_label)
_env.globals.update(Permission=Permission, PartnerKind=PartnerKind)


def lifecycle_svg(request: Request, definition: LifecycleDefinition, stage: str, checks: list[TriggerCheck]) -> Markup:
    """The lifecycle as inline SVG, the current stage and the triggers open now marked.

    The same few variants (a stage, and which of its triggers are possible) are drawn over and over, so each
    is rendered once per app; the definitions live as long as the app, so their identity is a safe key.
    """
    cache: dict[Any, Markup] = request.app.state.diagrams
    key = (id(definition), stage, tuple((c.trigger, c.dest, c.allowed) for c in checks))
    svg = cache.get(key)
    if svg is None:
        if len(cache) >= DIAGRAM_CACHE_SIZE:
            cache.clear()
        svg = cache[key] = Markup(_env.get_template("_diagram.html").render(
            definition=definition, stage=stage, diagram=layout(definition, stage, checks)))
    return svg


def flash(request: Request, message: str) -> None:
    """A message shown once, on the next page (kept in the session cookie)."""
    from pppflow.web.auth import replace_session

    replace_session(request, {**(request.state.session or {}), "m": message[:300]})


def _take_flash(request: Request) -> str | None:
    session = getattr(request.state, "session", None) or {}
    message = session.get("m")
    if message:
        from pppflow.web.auth import replace_session

        replace_session(request, {k: v for k, v in session.items() if k != "m"})
    return message if isinstance(message, str) else None


def fragment(name: str, context: dict[str, Any]) -> str:
    """A template rendered on its own, without the page around it (and without the request)."""
    return _env.get_template(name).render(context)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    page = {"request": request, "user": user, "csrf": csrf_token(request), "flash": _take_flash(request),
            "path": request.url.path, **context}
    if "asks_total" not in page:  # the navigation's count of what is asked of a partner user's organisation
        page["asks_total"] = _asks_total(request, user)
    return HTMLResponse(_env.get_template(name).render(page), status_code=status_code)


def _asks_total(request: Request, user: Any) -> int | None:
    if user is None or not user.is_partner or not user.partner_organisation:
        return None
    from pppflow.errors import PppflowError
    from pppflow.services.asks import asked_of

    desk = request.app.state.desk
    try:
        return len(asked_of(user.partner_organisation, uow=desk.uow(), lifecycles=desk.lifecycles,
                            as_of=desk.day()))
    except PppflowError:  # a count in the navigation does not break the page it sits on
        return None


def redirect(url: str) -> RedirectResponse:
    """After a successful form: see the result with GET (303), so a reload does not post again."""
    return RedirectResponse(url, status_code=303)
