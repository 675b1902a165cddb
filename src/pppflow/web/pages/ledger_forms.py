"""The ledger's forms on the partnership page: add an entry (with optional evidence files), correct one with a
reason (a reversing entry), attach a file to one, book a check-in's effort hours; and a file's download.

Each calls the same services as `pppflow ledger` and the API; their problems name the CLI's options (`--quantity`),
which are shown next to the form's field of that name. Nothing is stored on error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import FormData

from pppflow.domain.accounts import Permission, User
from pppflow.domain.ledger import NewEntry, entered_as_for
from pppflow.errors import BadInput, NotFound, PppflowError
from pppflow.services import ledger as ledger_service
from pppflow.services import ledger_evidence as evidence_service
from pppflow.web.api.evidence import file_response, read_limited
from pppflow.web.api.ledger import as_fields
from pppflow.web.api.ledger_evidence import ledger_party
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of, web_details
from pppflow.web.pages.checkins import form_of
from pppflow.web.pages.partnership import _attempt, page
from pppflow.web.pages.rendering import flash, redirect

router = APIRouter(prefix="/partnerships/{ref}/ledger")
reader = page_permit(Permission.READ)
coordinator = page_permit(Permission.COORDINATE)
FIELDS = ("partner", "phase", "kind", "quantity", "unit", "rate", "value", "role", "date", "description", "evidence")
NAMED = re.compile(r"\s*(?:--)?(" + "|".join((*FIELDS, "file")) + r")\b")
Errors = dict[str, list[str]]


def _named(text: str) -> str | None:
    found = NAMED.match(text)
    return found[1] if found else None


def field_errors(exc: BadInput) -> Errors:
    """Each problem next to the field it names (a CLI option, or `file`); what names none above the form."""
    errors: Errors = {"ledger": ["Nothing was saved: correct the marked fields."]}

    def add(key: str, text: str) -> None:
        if text not in errors.setdefault(key, []):
            errors[key].append(text)

    in_details = [(f, d) for d in exc.details if (f := _named(d))]
    targets = [_named(exc.message)] if _named(exc.message) else [f for f, _ in in_details]
    for target in targets or ["ledger"]:
        add("ledger" if target == "ledger" else f"ledger:{target}", exc.message.replace("--", ""))
    for f, d in in_details:
        said = d.split(":", 1)[1].strip() if ":" in d else ""
        if len(said.split()) > 1:  # a hint ("must be one of ..."), not the value echoed back
            add(f"ledger:{f}", said)
    for d in exc.details:
        if _named(d) is None:
            add("ledger", d)
    return errors


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option}: enter a date as YYYY-MM-DD", details=[f"{option}: {text!r}"]) from None


@router.post("")
async def add_submit(request: Request, ref: str, form: FormData = Depends(form_of), user: User = Depends(reader),
                     desk: Desk = Depends(desk_of)) -> Response:
    fields = {k: v.strip() for k, v in form.multi_items() if isinstance(v, str) and k in FIELDS}
    uploads = []
    for f in form.getlist("file"):
        if not isinstance(f, str):
            if f.filename:
                uploads.append((f.filename, await read_limited(f, desk.evidence_max_bytes)))
            await f.close()  # read here, outside a File() parameter: nobody else closes it
    return await run_in_threadpool(_add, request, ref, desk, user, fields, uploads)


def _add(request: Request, ref: str, desk: Desk, user: User, fields: dict[str, str],
         uploads: list[tuple[str, bytes]]) -> Response:
    values = {f"ledger:{k}": v for k, v in fields.items()}
    try:
        entered_as = entered_as_for(user, fields.get("partner", ""))  # 403: a viewer, another partner's user
        new = NewEntry(partner=fields.get("partner", ""), phase=fields.get("phase", ""),
                       kind=fields.get("kind", ""), quantity=fields.get("quantity", ""), unit=fields.get("unit", ""),
                       on=_day(fields.get("date", ""), "--date"), rate=fields.get("rate") or None,
                       value=fields.get("value") or None, role=fields.get("role") or None,
                       description=fields.get("description", ""), evidence=fields.get("evidence") or None)
        e, files = evidence_service.add_entry_with_evidence(
            ref, new, uploads, uow=desk.uow(), store=desk.store, actor=user.username, now=desk.now(),
            limit=desk.evidence_max_bytes, entered_as=entered_as)
    except BadInput as exc:
        return page(request, ref, desk, errors=field_errors(exc), values=values, status_code=422)
    except PppflowError as exc:
        if isinstance(exc, NotFound) and exc.code == "partnership_not_found":
            raise
        return page(request, ref, desk, errors={"ledger": [exc.message, *web_details(exc)]}, values=values,
                    status_code=status_of(exc))
    said = f" with {len(files)} evidence file(s)" if files else ""
    flash(request, f"Ledger entry #{e.id}: {e.partner} {e.quantity} {e.unit} {e.kind}, valued {e.value_eur} EUR{said}.")
    return redirect(f"/partnerships/{ref}")


def _plain(action: Callable[[], str]) -> Callable[[], str]:
    """The action with its problems in the form's words (`reason`, not `--reason`)."""
    return lambda: as_fields(action)


@router.post("/{entry_id}/correct")
def correct_submit(request: Request, ref: str, entry_id: int, reason: str = Form(""), user: User = Depends(reader),
                   desk: Desk = Depends(desk_of)) -> Response:
    key = f"ledger-correct:{entry_id}"

    def correct() -> str:
        entries = ledger_service.list_entries(ref, uow=desk.uow())
        target = next((e for e in entries if e.id == entry_id), None)
        if target is None:
            raise BadInput(f"ENTRY_ID: the ledger has no entry {entry_id}", details=["ENTRY_ID: unknown entry"])
        e = ledger_service.correct_entry(ref, entry_id, reason, uow=desk.uow(), actor=user.username, now=desk.now(),
                                         entered_as=entered_as_for(user, target.partner))
        return f"Entry #{entry_id} is reversed by entry #{e.id} ({e.value_eur} EUR); add the right one if needed."

    return _attempt(request, ref, desk, key, {key: reason}, _plain(correct))


@router.post("/{entry_id}/evidence")
async def attach_submit(request: Request, ref: str, entry_id: int, file: UploadFile | None = File(None),
                        user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    data = await read_limited(file, desk.evidence_max_bytes) if file is not None else b""
    name = (file.filename if file is not None else None) or "evidence"

    def attach() -> str:
        f = evidence_service.attach_entry_file(ref, entry_id, name, data, uow=desk.uow(), store=desk.store,
                                               actor=user.username, now=desk.now(), limit=desk.evidence_max_bytes,
                                               party=ledger_party(user))
        return f"Attached {f.filename} to ledger entry #{entry_id} (SHA-256 {f.sha256[:12]}…)."

    return await run_in_threadpool(_attempt, request, ref, desk, f"ledger-evidence:{entry_id}", {}, _plain(attach))


@router.get("/{entry_id}/evidence/{sha256}")
def download(ref: str, entry_id: int, sha256: str, user: User = Depends(reader),
             desk: Desk = Depends(desk_of)) -> Response:
    f, data = evidence_service.entry_evidence_content(ref, entry_id, sha256, uow=desk.uow(), store=desk.store)
    return file_response(f, data)  # type: ignore[arg-type]


@router.post("/book-checkin")
def book_submit(request: Request, ref: str, checkin: str = Form(""), rate: str = Form(""),
                user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> Response:
    key = f"ledger-book:{checkin}"

    def book() -> str:
        entries: list[Any] = ledger_service.book_checkin(ref, _day(checkin, "--checkin"), uow=desk.uow(),
                                                         actor=user.username, now=desk.now(),
                                                         rate=rate.strip() or None)
        hours = sum((e.quantity for e in entries), 0)
        return (f"Booked {hours} hours from the check-in of {checkin} to the ledger: entries "
                + ", ".join(f"#{e.id}" for e in entries) + ".")

    return _attempt(request, ref, desk, key, {key: rate}, _plain(book))
