"""`/api/v1/partnerships`: import, list, read, export, advance, history, contributions."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pppflow.domain.accounts import Permission, User
from pppflow.services import partnerships as service
from pppflow.services.portfolio import contribution_totals, search_partnerships
from pppflow.services.read_models.audit import AuditEntryRead
from pppflow.services.read_models.partnership import (
    AdvanceRead,
    ContributionsRead,
    PartnershipPageRead,
    PartnershipRead,
    PartnershipSummaryRead,
)
from pppflow.services.views import audit_entry_view, partnership_detail, partnership_summary
from pppflow.web.api.schemas import AdvanceCreate
from pppflow.web.auth import api_permit, party_of
from pppflow.web.desk import Desk, desk_of
from pppflow.web.documents import dump_document, limits_of, read_spec, read_upload

router = APIRouter(prefix="/partnerships", tags=["partnerships"])
reader = api_permit(Permission.READ)
coordinator = api_permit(Permission.COORDINATE)
SPEC_EXAMPLE = {"spec": "pppflow/v1", "name": "Smart Industry Technician Pact",
                "coordinator": {"name": "Marieke Jansen", "email": "m.jansen@example.org"},
                "partners": [{"key": "noorderpoort", "name": "Noorderpoort College", "kind": "education",
                              "contact": {"name": "Pieter de Vries"}, "signatory": {"name": "Anja Bakker"}}]}


@router.get("", response_model=PartnershipPageRead, summary="List partnerships, with filters")
def list_partnerships(stage: str | None = Query(None, max_length=80), workflow: str | None = Query(None, max_length=80),
                      q: str | None = Query(None, max_length=200, description="text in the name or reference"),
                      limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=10_000_000),
                      user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    items, total = search_partnerships(uow=desk.uow(), stage=stage, workflow=workflow, text=q,
                                       party=party_of(user), limit=limit, offset=offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


AS_NEW = Query(False, description="import a copy (REF-2, ...) even if this partnership was imported before; "
                                    "without it a repeat import is refused with 409 naming the existing REF")


def _imported(raw: Any, user: User, desk: Desk, as_new: bool = False) -> dict[str, Any]:
    from pppflow.errors import AlreadyImported

    try:
        p = service.import_partnership(raw, uow=desk.uow(), lifecycles=desk.lifecycles, actor=user.username,
                                       now=desk.now(), as_new=as_new)
    except AlreadyImported as exc:
        exc.details.append("send as_new=true to import a separate copy")
        raise
    return partnership_summary(p)


@router.post("", status_code=201, response_model=PartnershipSummaryRead,
             summary="Import a partnership from a pppflow/v1 spec (JSON)",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"type": "object", "additionalProperties": True}, "example": SPEC_EXAMPLE}}}})
async def import_json(request: Request, as_new: bool = AS_NEW, user: User = Depends(coordinator),
                      desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    raw = await read_spec(request, await request.body(), "the request body", as_json=True)
    return await run_in_threadpool(_imported, raw, user, desk, as_new)


@router.post("/upload", status_code=201, response_model=PartnershipSummaryRead,
             summary="Import a partnership from an uploaded pppflow/v1 file (YAML or JSON)")
async def import_file(request: Request, file: UploadFile = File(...), as_new: bool = AS_NEW,
                      user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    data = await read_upload(file, limits_of(request).document_bytes)
    raw = await read_spec(request, data, file.filename or "")
    return await run_in_threadpool(_imported, raw, user, desk, as_new)


@router.get("/{ref}", response_model=PartnershipRead, summary="A partnership, with the triggers possible now")
def read_partnership(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    today = desk.now().date()
    status = service.show_partnership(ref, uow=desk.uow(), lifecycles=desk.lifecycles, as_of=today)
    return partnership_detail(status.partnership, status.checks, status.next_checkin, today)


@router.get("/{ref}/export", summary="The partnership in the pppflow/v1 format",
            responses={200: {"content": {"application/json": {}, "application/yaml": {}}}})
def export(ref: str, fmt: Literal["json", "yaml"] = Query("json", alias="format"), user: User = Depends(reader),
           desk: Desk = Depends(desk_of)) -> Response:
    data = service.export_partnership(ref, uow=desk.uow())
    media = "application/json" if fmt == "json" else "application/yaml"
    return Response(dump_document(data, fmt), media_type=media)


@router.post("/{ref}/advance", response_model=AdvanceRead,
             summary="Fire a trigger; 409 with every reason when it is blocked",
             responses={409: {"description": "blocked or not possible from this stage"}})
def advance(ref: str, body: AdvanceCreate, user: User = Depends(coordinator),
            desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    p = service.advance(ref, body.trigger, uow=desk.uow(), lifecycles=desk.lifecycles, actor=user.username,
                        now=desk.now(), reason=body.reason, months=body.months)
    return {"ref": p.ref, "trigger": body.trigger, "stage": p.stage}


@router.get("/{ref}/history", response_model=list[AuditEntryRead], summary="The partnership's audit trail")
def history(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    return [audit_entry_view(e) for e in service.history(ref, uow=desk.uow())]


def _totals(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"unit": t["unit"], "value": t["value"], "text": t["text"] or f"{t['number']} {t['unit']}"}
            for t in items]


@router.get("/{ref}/contributions", response_model=ContributionsRead,
            summary="Contributions, with totals per partner and per phase (never summed across units)")
def contributions(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    p = service.show_partnership(ref, uow=desk.uow(), lifecycles=desk.lifecycles).partnership
    built = contribution_totals(p) or {"partners": [], "phases": [], "totals": []}
    return {
        "contributions": [{"partner": c.partner_key, "kind": c.kind, "phase": c.phase, "amount": c.amount,
                           "unit": c.unit, "description": c.description} for c in p.contributions],
        "by_partner": [{"partner": x["key"], "name": x["name"], "totals": _totals(x["totals"]),
                        "by_phase": {ph: _totals(t) for ph, t in x["by_phase"].items()}} for x in built["partners"]],
        "by_phase": [{"phase": ph["phase"], "totals": _totals(ph["totals"])} for ph in built["phases"]],
        "totals": _totals(built["totals"]),
    }
