"""Recording a check-in held from the partnership page, with progress per obligation (all or nothing).

The form has, per obligation, fields named `progress:<field>:<obligation key>`: `activities` (one per line) and
`hours` for an effort obligation, `status` and `evidence` for a result obligation. Empty fields report nothing;
the rest is a progress file as `pppflow checkin record --progress` reads it, and its problems (named by path,
`obligations[1].hours: ...`) are shown next to the field they are about.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from pppflow.domain.accounts import Permission, User
from pppflow.errors import BadInput, NotFound, PppflowError
from pppflow.services.checkins import CheckinRecord, record_checkin
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of, web_details
from pppflow.web.pages.partnership import page
from pppflow.web.pages.rendering import flash, redirect

router = APIRouter(prefix="/partnerships/{ref}")
coordinator = page_permit(Permission.COORDINATE)
PROGRESS_FIELDS = ("activities", "hours", "status", "evidence")
FIELDS = ("held_on", "checkin", "notes", "feedback")
PROBLEM = re.compile(r"obligations\[(\d+)\](?:\.(\w+))?: (.*)", re.DOTALL)
Errors = dict[str, list[str]]


async def form_of(request: Request) -> FormData:
    """The posted form (already read, and cached, by the CSRF check)."""
    return await request.form()


def progress_from_form(fields: dict[str, str]) -> tuple[dict[str, Any] | None, list[str]]:
    """The progress file the form's `progress:*` fields make, and the obligation keys in the order reported."""
    reported: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        prefix, _, rest = name.partition(":")
        field, _, key = rest.partition(":")
        if prefix != "progress" or field not in PROGRESS_FIELDS or not key or not value.strip():
            continue
        entry = reported.setdefault(key, {"key": key})
        entry[field] = [a.strip() for a in value.splitlines() if a.strip()] if field == "activities" else value.strip()
    return ({"obligations": list(reported.values())} if reported else None), list(reported)


def progress_errors(exc: BadInput, keys: list[str]) -> Errors:
    """Each problem next to the obligation's field it names; the others above the form."""
    errors: Errors = {"checkin": ["Nothing was saved: correct the marked fields."]}
    for line in exc.details or [exc.message]:
        found = PROBLEM.fullmatch(line)
        if found and int(found[1]) < len(keys) and (found[2] or "") in ("", *PROGRESS_FIELDS):
            errors.setdefault(f"progress:{found[2] or ''}:{keys[int(found[1])]}", []).append(found[3])
        else:
            errors["checkin"].append(line)
    return errors


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _recorded(r: CheckinRecord) -> str:
    said = f"Check-in of {r.checkin.due:%-d %b %Y} recorded as held on {r.checkin.held_on:%-d %b %Y}."
    if r.report.efforts:
        said += " Effort logged: " + ", ".join(f"{e.obligation} {e.hours} h" for e in r.report.efforts) + "."
    if r.report.results:
        said += " Results: " + ", ".join(f"{x.obligation} {x.status}" for x in r.report.results) + "."
    return said


@router.post("/checkins")
def checkin_submit(request: Request, ref: str, form: FormData = Depends(form_of), user: User = Depends(coordinator),
                   desk: Desk = Depends(desk_of)) -> Response:
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    values = {k: v for k, v in fields.items() if k in FIELDS or k.startswith("progress:")}
    progress, keys = progress_from_form(fields)
    try:
        held, planned = _day(fields.get("held_on", "")), _day(fields.get("checkin", ""))
    except ValueError:
        return page(request, ref, desk, errors={"checkin:held_on": ["Enter a date as YYYY-MM-DD."]}, values=values,
                    status_code=422)
    try:
        r = record_checkin(ref, uow=desk.uow(), actor=user.username, now=desk.now(), held_on=held, checkin=planned,
                           notes=fields.get("notes", "").strip() or None,
                           feedback=fields.get("feedback", "").strip() or None, progress=progress)
    except BadInput as exc:
        errors = progress_errors(exc, keys) if exc.details else {"checkin": [exc.message]}
        return page(request, ref, desk, errors=errors, values=values, status_code=422)
    except PppflowError as exc:
        if isinstance(exc, NotFound) and exc.code == "partnership_not_found":
            raise
        return page(request, ref, desk, errors={"checkin": [exc.message, *web_details(exc)]}, values=values,
                    status_code=status_of(exc))
    flash(request, _recorded(r))
    return redirect(f"/partnerships/{ref}")
