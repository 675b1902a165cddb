"""`/api/v1/partnerships/{ref}/obligations/{key}/evidence`: attach an evidence file (multipart), list the files,
download one. Partners attach to their own obligations, coordinators to any; readers of the partnership download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile as StarletteUploadFile  # what a form yields; FastAPI's subclasses it

from pppflow.domain.accounts import Permission, User
from pppflow.domain.evidence import EvidenceFile
from pppflow.errors import Forbidden
from pppflow.services import evidence as service
from pppflow.services.read_models.evidence import EvidenceFileRead
from pppflow.services.views import evidence_view
from pppflow.web.auth import api_permit, party_of
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}/obligations/{key}/evidence", tags=["evidence"])
reader = api_permit(Permission.READ)


def attaching_party(user: User) -> str | None:
    """The partner a user attaches for (partners: their own organisation); coordinators attach for none."""
    if user.is_partner and not user.disabled:
        return party_of(user)
    if user.may(Permission.COORDINATE):
        return None
    raise Forbidden(f"the role '{user.role}' may not attach evidence",
                    details=["partners attach to their own obligations, coordinators to any"])


async def read_limited(file: StarletteUploadFile, limit: int) -> bytes:
    """At most one byte more than the limit: enough for the service to say the file is too big."""
    return await file.read(limit + 1)


@router.post("", status_code=201, response_model=EvidenceFileRead,
             summary="Attach an evidence file (PDF, PNG, JPEG or plain text; the type is read from the content)")
async def attach(ref: str, key: str, file: UploadFile = File(...), user: User = Depends(reader),
                 desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    party = attaching_party(user)
    data = await read_limited(file, desk.evidence_max_bytes)
    attached = await run_in_threadpool(service.attach_file, ref, key, file.filename or "evidence", data,
                                       uow=desk.uow(), store=desk.store, actor=user.username, now=desk.now(),
                                       limit=desk.evidence_max_bytes, party=party)
    return evidence_view(ref, attached)


@router.get("", response_model=list[EvidenceFileRead], summary="The evidence files of an obligation")
def list_files(ref: str, key: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    return [evidence_view(ref, f) for f in service.evidence_files(ref, uow=desk.uow(), key=key)]


@router.get("/{sha256}", response_class=Response, summary="Download one evidence file",
            responses={200: {"content": {"application/octet-stream": {}}}})
def download(ref: str, key: str, sha256: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    return file_response(*service.evidence_content(ref, key, sha256, uow=desk.uow(), store=desk.store))


def file_response(f: EvidenceFile, data: bytes) -> Response:
    """Always a download (never shown inline on our origin), under the name it was attached with."""
    from urllib.parse import quote

    return Response(data, media_type=f.media_type, headers={
        "content-disposition": f"attachment; filename*=UTF-8''{quote(f.filename)}",
        "cache-control": "private, no-store"})
