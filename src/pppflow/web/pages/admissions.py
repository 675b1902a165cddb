"""New partners on the partnership page: propose one (a form of the partner's fields), approve or reject (a veto)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, User
from pppflow.domain.consensus import acting_for
from pppflow.errors import NotFound, PppflowError, SpecInvalid
from pppflow.services import changes, consensus
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of
from pppflow.web.pages.partnership import page
from pppflow.web.pages.rendering import flash, redirect

router = APIRouter(prefix="/partnerships/{ref}/admissions")
coordinator = page_permit(Permission.COORDINATE)
participant = page_permit(Permission.PARTICIPATE)
# the problem paths of a partner spec, and the form fields they belong to
FIELDS = {"key": "key", "name": "name", "kind": "kind", "contact.name": "contact_name",
          "contact.email": "contact_email", "signatory.name": "signatory_name",
          "signatory.title": "signatory_title", "responsibility": "responsibility"}


def proposal(form: dict[str, str]) -> dict[str, Any]:
    """The form's fields as a partner spec with a responsibility; an empty field is left out (so `is required`)."""
    def given(**fields: str) -> dict[str, str]:
        return {k: v.strip() for k, v in fields.items() if v.strip()}

    return {**given(key=form["key"], name=form["name"], kind=form["kind"], responsibility=form["responsibility"]),
            "contact": given(name=form["contact_name"], email=form["contact_email"]),
            "signatory": given(name=form["signatory_name"], title=form["signatory_title"])}


def field_errors(exc: SpecInvalid) -> dict[str, list[str]]:
    """`contact.email: has an invalid form` -> {"admission:contact_email": ["has an invalid form"]}."""
    errors: dict[str, list[str]] = {}
    for line in exc.details or [exc.message]:
        path, _, text = line.partition(": ")
        field = FIELDS.get(path)
        errors.setdefault(f"admission:{field}" if field and text else "admission", []).append(
            text if field and text else line)
    return errors


@router.post("")
def propose_submit(request: Request, ref: str, key: str = Form(""), name: str = Form(""), kind: str = Form(""),
                   contact_name: str = Form(""), contact_email: str = Form(""), signatory_name: str = Form(""),
                   signatory_title: str = Form(""), responsibility: str = Form(""),
                   user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> Response:
    form = {"key": key, "name": name, "kind": kind, "contact_name": contact_name, "contact_email": contact_email,
            "signatory_name": signatory_name, "signatory_title": signatory_title, "responsibility": responsibility}
    values = {f"admission:{k}": v for k, v in form.items()}
    try:
        a = changes.request_admission(ref, proposal(form), uow=desk.uow(), lifecycles=desk.lifecycles,
                                      actor=user.username, now=desk.now())
    except SpecInvalid as exc:
        return page(request, ref, desk, errors=field_errors(exc), values=values, status_code=422)
    except PppflowError as exc:
        if exc.code == "partnership_not_found":
            raise
        return page(request, ref, desk, errors={"admission": [exc.message, *exc.details]}, values=values,
                    status_code=status_of(exc))
    flash(request, f"Proposed {a.candidate['name']} ({a.candidate_key}) as a new partner: it joins when every "
                   "partner has approved.")
    return redirect(f"/partnerships/{ref}")


@router.post("/{candidate}/approvals")
def approve_submit(request: Request, ref: str, candidate: str, by: str = Form(""),
                   user: User = Depends(participant), desk: Desk = Depends(desk_of)) -> Response:
    where = f"approval:{candidate}"
    acting = acting_for(user, by or None, field="by") if by or user.is_partner else None
    try:
        if acting is None:
            raise SpecInvalid("Choose the partner that approves.")
        by = acting.partner
        admitted, waiting = changes.approve_admission(ref, candidate, by, uow=desk.uow(), actor=acting.actor,
                                                      now=desk.now(), on_behalf_of=acting.on_behalf_of)
    except PppflowError as exc:
        if isinstance(exc, NotFound) and exc.code == "partnership_not_found":
            raise
        return page(request, ref, desk, errors={where: [exc.message, *exc.details]}, status_code=status_of(exc))
    flash(request, f"{candidate} was approved by every partner and is now a partner." if admitted
          else f"{by} approved {candidate}; awaiting {', '.join(waiting)}.")
    return redirect(f"/partnerships/{ref}")


@router.post("/{candidate}/rejections")
def reject_submit(request: Request, ref: str, candidate: str, by: str = Form(""), reason: str = Form(""),
                  user: User = Depends(participant), desk: Desk = Depends(desk_of)) -> Response:
    where = f"approval:{candidate}"
    acting = acting_for(user, by or None, field="by") if by or user.is_partner else None
    try:
        if acting is None:
            raise SpecInvalid("Choose the partner that rejects.")
        consensus.reject_admission(ref, candidate, acting, reason, uow=desk.uow(), now=desk.now())
    except PppflowError as exc:
        if isinstance(exc, NotFound) and exc.code == "partnership_not_found":
            raise
        return page(request, ref, desk, errors={where: [exc.message, *exc.details]}, status_code=status_of(exc))
    flash(request, f"{acting.partner} rejected {candidate}: the admission is rejected.")
    return redirect(f"/partnerships/{ref}")
