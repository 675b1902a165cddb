"""`/api/v1/partnerships/{ref}/ledger/{entry_id}/evidence`: attach an evidence file to a ledger entry (multipart),
list an entry's files (a reversing entry's include its target's), download one. Partners attach to their own
organisation's entries, coordinators to any; readers of the partnership list and download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, User
from pppflow.domain.ledger_evidence import evidence_view
from pppflow.errors import Forbidden
from pppflow.services import ledger_evidence as service
from pppflow.services.read_models.ledger import LedgerEvidenceRead
from pppflow.web.api.evidence import file_response, read_limited
from pppflow.web.api.ledger import as_fields
from pppflow.web.auth import api_permit, party_of
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}/ledger/{entry_id}/evidence", tags=["ledger"])
reader = api_permit(Permission.READ)


def ledger_party(user: User) -> str | None:
    """The partner a user attaches ledger evidence for (partner users: their own); coordinators for any (None)."""
    if user.is_partner:
        return party_of(user)
    if user.may(Permission.COORDINATE):
        return None
    raise Forbidden(f"the role '{user.role}' may not attach evidence to the ledger",
                    details=["needs the 'coordinate' permission, or a partner user for its own organisation"])


@router.post("", status_code=201, response_model=LedgerEvidenceRead,
             summary="Attach an evidence file to a ledger entry (PDF, PNG, JPEG or plain text; an added record)")
async def attach(ref: str, entry_id: int, file: UploadFile = File(...), user: User = Depends(reader),
                 desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    party = ledger_party(user)
    data = await read_limited(file, desk.evidence_max_bytes)

    def call() -> Any:
        return as_fields(lambda: service.attach_entry_file(
            ref, entry_id, file.filename or "evidence", data, uow=desk.uow(), store=desk.store, actor=user.username,
            now=desk.now(), limit=desk.evidence_max_bytes, party=party))

    return evidence_view(await run_in_threadpool(call))


@router.get("", response_model=list[LedgerEvidenceRead],
            summary="The evidence files of a ledger entry (a reversing entry's include those of the entry it reverses)")
def list_files(ref: str, entry_id: int, user: User = Depends(reader),
               desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    return [evidence_view(f) for f in as_fields(lambda: service.entry_evidence(ref, entry_id, uow=desk.uow()))]


@router.get("/{sha256}", response_class=Response, summary="Download one evidence file of a ledger entry",
            responses={200: {"content": {"application/octet-stream": {}}}})
def download(ref: str, entry_id: int, sha256: str, user: User = Depends(reader),
             desk: Desk = Depends(desk_of)) -> Response:
    f, data = service.entry_evidence_content(ref, entry_id, sha256, uow=desk.uow(), store=desk.store)
    return file_response(f, data)  # type: ignore[arg-type]
