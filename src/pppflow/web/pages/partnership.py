"""The partnership page, and its forms: advance with a trigger, agree a goal, set an obligation's status.

Its other forms have modules of their own: check-ins (`checkins.py`) and new partners (`admissions.py`).
"""

from __future__ import annotations

import calendar
import dataclasses
import secrets
from collections.abc import Callable
from datetime import date
from itertools import groupby
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from pppflow.domain.accounts import Permission, User
from pppflow.domain.checkins.progress import CheckIn
from pppflow.domain.checkins.status import CheckinState
from pppflow.domain.consensus import acting_for
from pppflow.domain.model import OBLIGATION_STATUS_MOVES
from pppflow.errors import NotFound, PppflowError, TransitionBlocked
from pppflow.services import changes
from pppflow.services.consensus import withdraw_goal
from pppflow.services.health import partnership_health
from pppflow.services.history import describe
from pppflow.services.partner_progress import add_progress, progress_records
from pppflow.services.partnerships import advance
from pppflow.services.portfolio import partnership_overview, partnership_stamp
from pppflow.web.auth import csrf_token, page_permit, party_of
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of, web_details
from pppflow.web.pages.ledger import ledger_section
from pppflow.web.pages.rendering import flash, fragment, lifecycle_svg, redirect, render

router = APIRouter(prefix="/partnerships/{ref}")
reader = page_permit(Permission.READ)
coordinator = page_permit(Permission.COORDINATE)
participant = page_permit(Permission.PARTICIPATE)
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


def evidence_by_obligation(ref: str, desk: Desk) -> dict[str, list[Any]]:
    """The evidence files of the partnership, by obligation key."""
    from pppflow.services.evidence import evidence_files

    found: dict[str, list[Any]] = {}
    for f in evidence_files(ref, uow=desk.uow()):
        found.setdefault(f.obligation, []).append(f)
    return found


def page(request: Request, ref: str, desk: Desk, *, errors: Errors | None = None, values: dict[str, str] | None
         = None, status_code: int = 200) -> Response:
    """The partnership page; a form's problems are shown next to their fields when `errors` are given.

    A plain view is the same for every user of one role until the partnership changes or the day does, so its
    content is kept under (reference, stamp, day, role): one small query decides whether it can be reused.
    """
    user: User = request.state.user
    today = desk.day()

    def content() -> tuple[str, str]:
        o = partnership_overview(ref, uow=desk.uow(), lifecycles=desk.lifecycles)
        p = o.status.partnership
        # an ended partnership owes no check-in (also those stored before ending closed them)
        checkins = [dataclasses.replace(c, status=CheckinState.CLOSED.value) if o.status.final and c.is_open else c
                    for c in o.checkins]
        soon, other_months = calendar_months(checkins, today, p.grace_days)
        return p.name, fragment("_partnership.html", {
            "p": p, "status": o.status, "definition": o.definition, "today": today, "user": user,
            "csrf": CSRF_SLOT,
            "diagram": lifecycle_svg(request, o.definition, p.stage, o.status.checks),
            "results": [x for x in p.obligations if x.is_result],
            "efforts": [x for x in p.obligations if not x.is_result],
            "moves": obligation_moves, "contributions": o.contributions, "soon": soon, "other_months": other_months,
            "checkin_count": len(checkins), "open_checkins": [c for c in checkins if c.is_open],
            "checkin_state": {c.due: c.status_on(today, p.grace_days) for c in checkins},
            "effort_log": o.efforts, "history": o.history, "history_total": o.history_total, "change": describe,
            "progress": progress_records(ref, uow=desk.uow()),
            "ledger": ledger_section(ref, desk, today, csrf=CSRF_SLOT, user=user, errors=errors or {},
                                     values=values or {}),
            "health": partnership_health(ref, uow=desk.uow(), files=desk.assessment_files, as_of=today),
            "errors": errors or {}, "values": values or {}, "evidence": evidence_by_obligation(ref, desk)})

    if errors is None and values is None:
        key = (ref, partnership_stamp(ref, uow=desk.uow()), today, user.role, party_of(user))  # forms per party
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
    except TransitionBlocked as exc:
        if [r.code for r in exc.reasons] == ["reason_required"]:  # only the reason is missing: say so at its field
            return page(request, ref, desk, errors={key.replace("advance:", "reason:"): [
                "Give a reason: it goes into the history."]}, values=values, status_code=422)
        return page(request, ref, desk, errors={key: [exc.message, *web_details(exc)]}, values=values,
                    status_code=status_of(exc))
    except PppflowError as exc:
        return page(request, ref, desk, errors={key: [exc.message, *web_details(exc)]}, values=values,
                    status_code=status_of(exc))
    flash(request, message)
    return redirect(f"/partnerships/{ref}")


@router.post("/advance")
def advance_submit(request: Request, ref: str, trigger: str = Form(""), reason: str = Form(""),
                   user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> Response:
    values = {f"reason:{trigger}": reason}

    def fire() -> str:
        p = advance(ref, trigger, uow=desk.uow(), lifecycles=desk.lifecycles, actor=user.username, now=desk.now(),
                    reason=reason.strip() or None)
        d = desk.lifecycles.get(p.workflow).definition
        return (f"{d.trigger_title(trigger, p.language)}: the partnership is now in stage "
                f"“{d.stage_title(p.stage, p.language)}”.")

    return _attempt(request, ref, desk, f"advance:{trigger}", values, fire)


@router.post("/goals/{goal}/agree")
def agree_submit(request: Request, ref: str, goal: str, partner: str = Form(""), user: User = Depends(participant),
                 desk: Desk = Depends(desk_of)) -> Response:
    if not partner and not user.is_partner:
        return page(request, ref, desk, errors={f"goal:{goal}": ["Choose the partner that agrees."]},
                    status_code=422)
    acting = acting_for(user, partner)  # a partner user for its own organisation only (403 otherwise)
    partner = acting.partner

    def agree() -> str:
        p = changes.agree_goal(ref, goal, partner, uow=desk.uow(), actor=acting.actor, now=desk.now(),
                               on_behalf_of=acting.on_behalf_of)
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


@router.post("/goals/{goal}/withdraw")
def withdraw_submit(request: Request, ref: str, goal: str, partner: str = Form(""), comment: str = Form(""),
                    user: User = Depends(participant), desk: Desk = Depends(desk_of)) -> Response:
    if not partner and not user.is_partner:
        return page(request, ref, desk, errors={f"goal:{goal}": ["Choose the partner that withdraws."]},
                    status_code=422)
    acting = acting_for(user, partner)

    def withdraw() -> str:
        outcome, _ = withdraw_goal(ref, goal, acting, comment, uow=desk.uow(), lifecycles=desk.lifecycles,
                                   now=desk.now())
        return (f"Goal {goal}: {acting.partner} withdrew its agreement." if outcome == "withdrawn" else
                f"Goal {goal}: {acting.partner}'s withdrawal is recorded as an amendment proposal for the coordinator.")

    return _attempt(request, ref, desk, f"goal:{goal}", {}, withdraw)


@router.post("/obligations/{key}/progress")
def progress_submit(request: Request, ref: str, key: str, partner: str = Form(""), activities: str = Form(""),
                    hours: str = Form(""), evidence: str = Form(""), user: User = Depends(participant),
                    desk: Desk = Depends(desk_of)) -> Response:
    acting = acting_for(user, partner)  # coordinators name the partner (API, CLI); partner users act for their own
    where = f"progress:{key}"
    values = {f"{where}:activities": activities, f"{where}:hours": hours, f"{where}:evidence": evidence}

    def record() -> str:
        r = add_progress(ref, key, acting, uow=desk.uow(), now=desk.now(), activities=activities.splitlines(),
                         hours=hours.strip() or None, evidence=evidence.strip() or None)
        return f"Recorded {r.kind} on {key} for {acting.partner}."

    return _attempt(request, ref, desk, where, values, record)
