"""The partnership page, and its forms: advance with a trigger, agree a goal, set an obligation's status.

Its other forms have modules of their own: check-ins (`checkins.py`) and new partners (`admissions.py`).
"""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Callable
from datetime import date
from itertools import groupby
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from pppflow.domain.accounts import Permission, User
from pppflow.domain.model import OBLIGATION_STATUS_MOVES
from pppflow.domain.progress import CheckIn
from pppflow.errors import NotFound, PppflowError
from pppflow.services import changes
from pppflow.services.health import partnership_health
from pppflow.services.partnerships import advance
from pppflow.services.portfolio import partnership_overview, partnership_stamp
from pppflow.web.auth import csrf_token, page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of
from pppflow.services.history import describe
from pppflow.web.pages.rendering import flash, fragment, lifecycle_svg, redirect, render

router = APIRouter(prefix="/partnerships/{ref}")
reader = page_permit(Permission.READ)
coordinator = page_permit(Permission.COORDINATE)
Errors = dict[str, list[str]]


def obligation_moves(status: str, is_result: bool) -> list[str]:
    """The statuses an obligation may be moved to from `status` (the domain's table)."""
    return [s for s in OBLIGATION_STATUS_MOVES.get(status, ()) if is_result or s != "accepted"]


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Month = tuple[str, list[tuple[int, str, str]]]  # "March 2027", [(day, weekday, state on the day)]


def calendar_months(checkins: list[CheckIn], today: date, grace_days: int) -> tuple[list[Month], list[Month]]:
    """The check-ins by month: the (up to six) months around today to show, and the other months."""
    months: list[tuple[date, Month]] = []
    for (year, month), items in groupby(checkins, key=lambda c: (c.due.year, c.due.month)):
        listed = list(items)
        months.append((listed[0].due, (f"{calendar.month_name[month]} {year}", [
            (c.due.day, WEEKDAYS[c.due.weekday()], c.status_on(today, grace_days)) for c in listed])))
    near = [m for first, m in months if -40 <= (first - today).days <= 6 * 31] or [m for _, m in months]
    soon = near[:6]
    shown = {label for label, _ in soon}
    return soon, [m for _, m in months if m[0] not in shown]


# Forms in the kept content carry this instead of the session's CSRF token; each answer puts its own in.
# Random per process, so no text in a partnership can contain it.
CSRF_SLOT = f"csrf-{secrets.token_hex(16)}"
KEPT_PAGES = 512


def page(request: Request, ref: str, desk: Desk, *, errors: Errors | None = None, values: dict[str, str] | None
         = None, status_code: int = 200) -> Response:
    """The partnership page; a form's problems are shown next to their fields when `errors` are given.

    A plain view is the same for every user of one role until the partnership changes or the day does, so its
    content is kept under (reference, stamp, day, role): one small query decides whether it can be reused.
    """
    user: User = request.state.user
    today = desk.now().date()

    def content() -> tuple[str, str]:
        o = partnership_overview(ref, uow=desk.uow(), lifecycles=desk.lifecycles)
        p = o.status.partnership
        soon, other_months = calendar_months(o.checkins, today, p.grace_days)
        return p.name, fragment("_partnership.html", {
            "p": p, "status": o.status, "definition": o.definition, "today": today, "user": user,
            "csrf": CSRF_SLOT,
            "diagram": lifecycle_svg(request, o.definition, p.stage, o.status.checks),
            "results": [x for x in p.obligations if x.is_result],
            "efforts": [x for x in p.obligations if not x.is_result],
            "moves": obligation_moves, "contributions": o.contributions, "soon": soon, "other_months": other_months,
            "checkin_count": len(o.checkins), "open_checkins": [c for c in o.checkins if c.is_open],
            "checkin_state": {c.due: c.status_on(today, p.grace_days) for c in o.checkins},
            "history": o.history, "history_total": o.history_total, "change": describe,
            "health": partnership_health(ref, uow=desk.uow(), files=desk.assessment_files, as_of=today),
            "errors": errors or {}, "values": values or {}})

    if errors is None and values is None:
        key = (ref, partnership_stamp(ref, uow=desk.uow()), today, user.role)
        title, body = request.app.state.partnership_pages.get(key, content)
    else:
        title, body = content()
    return render(request, "partnership.html", {"title": title,
                                                "body": Markup(body.replace(CSRF_SLOT, csrf_token(request)))},
                  status_code=status_code)


@router.get("")
def partnership_page(request: Request, ref: str, user: User = Depends(reader),
                     desk: Desk = Depends(desk_of)) -> Response:
    return page(request, ref, desk)


def _attempt(request: Request, ref: str, desk: Desk, key: str, values: dict[str, str],
             action: Callable[[], str]) -> Response:
    """Run a change; on success show the page again with a message, else with the problem next to its field."""
    try:
        message = action()
    except NotFound as exc:
        if exc.code == "partnership_not_found":
            raise
        return page(request, ref, desk, errors={key: [exc.message, *exc.details]}, values=values, status_code=404)
    except PppflowError as exc:
        return page(request, ref, desk, errors={key: [exc.message, *exc.details]}, values=values,
                    status_code=status_of(exc))
    flash(request, message)
    return redirect(f"/partnerships/{ref}")


@router.post("/advance")
def advance_submit(request: Request, ref: str, trigger: str = Form(""), reason: str = Form(""),
                   user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> Response:
    values = {f"reason:{trigger}": reason}
    o = partnership_overview(ref, uow=desk.uow(), lifecycles=desk.lifecycles)
    check = next((c for c in o.status.checks if c.trigger == trigger), None)
    if check is not None and check.reason_required and not reason.strip():
        return page(request, ref, desk, errors={f"reason:{trigger}": ["Give a reason: it goes into the history."]},
                    values=values, status_code=422)

    def fire() -> str:
        p = advance(ref, trigger, uow=desk.uow(), lifecycles=desk.lifecycles, actor=user.username, now=desk.now(),
                    reason=reason.strip() or None)
        return f"{trigger.replace('_', ' ').capitalize()}: the partnership is now in stage {p.stage}."

    return _attempt(request, ref, desk, f"advance:{trigger}", values, fire)


@router.post("/goals/{goal}/agree")
def agree_submit(request: Request, ref: str, goal: str, partner: str = Form(""), user: User = Depends(coordinator),
                 desk: Desk = Depends(desk_of)) -> Response:
    if not partner:
        return page(request, ref, desk, errors={f"goal:{goal}": ["Choose the partner that agrees."]},
                    status_code=422)

    def agree() -> str:
        p = changes.agree_goal(ref, goal, partner, uow=desk.uow(), actor=user.username, now=desk.now())
        waiting = [k for k in p.partner_keys if k not in p.goal(goal).agreed_by]
        return f"Goal {goal}: agreed by {partner}" + (f"; awaiting {', '.join(waiting)}." if waiting
                                                      else "; every partner agreed.")

    return _attempt(request, ref, desk, f"goal:{goal}", {}, agree)


@router.post("/obligations/{key}/status")
def obligation_submit(request: Request, ref: str, key: str, status: str = Form(""), evidence: str = Form(""),
                      user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> Response:
    values: dict[str, Any] = {f"evidence:{key}": evidence}
    if not status:
        return page(request, ref, desk, errors={f"obligation:{key}": ["Choose the new status."]}, values=values,
                    status_code=422)

    def move() -> str:
        p = changes.set_obligation_status(ref, key, status, uow=desk.uow(), actor=user.username, now=desk.now(),
                                          evidence=evidence.strip() or None)
        return f"Obligation {key} is now {p.obligation(key).status}."

    return _attempt(request, ref, desk, f"obligation:{key}", values, move)
