"""Evidence files on the partnership page: attach one to an obligation (a multipart form), download one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, User
from pppflow.services import evidence as service
from pppflow.web.api.evidence import attaching_party, file_response, read_limited
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.pages.partnership import _attempt

router = APIRouter(prefix="/partnerships/{ref}/obligations/{key}/evidence")
reader = page_permit(Permission.READ)


@router.post("")
async def attach_submit(request: Request, ref: str, key: str, file: UploadFile | None = File(None),
                        user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    data = await read_limited(file, desk.evidence_max_bytes) if file is not None else b""
    name = (file.filename if file is not None else None) or "evidence"

    def attach() -> str:
        f = service.attach_file(ref, key, name, data, uow=desk.uow(), store=desk.store, actor=user.username,
                                now=desk.now(), limit=desk.evidence_max_bytes, party=attaching_party(user))
        return f"Attached {f.filename} to {key} (SHA-256 {f.sha256[:12]}…)."

    return await run_in_threadpool(_attempt, request, ref, desk, f"obligation:{key}", {}, attach)


@router.get("/{sha256}")
def download(ref: str, key: str, sha256: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    return file_response(*service.evidence_content(ref, key, sha256, uow=desk.uow(), store=desk.store))
