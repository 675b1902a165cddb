"""The import form: a pppflow/v1 spec pasted or uploaded; every problem listed by its path."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pppflow.domain.accounts import Permission, User
from pppflow.errors import AlreadyImported, BadInput
from pppflow.services.partnerships import import_partnership
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.documents import limits_of, read_spec, read_upload
from pppflow.web.pages.rendering import flash, redirect, render

router = APIRouter()
coordinator = page_permit(Permission.COORDINATE)


@router.get("/import")
def import_form(request: Request, user: User = Depends(coordinator)) -> Response:
    return render(request, "import.html", {"text": "", "errors": {}, "message": None})


@router.post("/import")
async def import_submit(request: Request, text: str = Form(""), file: UploadFile | None = File(None),
                        as_new: bool = Form(False), user: User = Depends(coordinator),
                        desk: Desk = Depends(desk_of)) -> Response:
    field = "file" if file is not None and file.filename else "text"
    try:
        if file is not None and file.filename:
            data = await read_upload(file, limits_of(request).document_bytes)
            raw = await read_spec(request, data, file.filename)
        elif text.strip():
            raw = await read_spec(request, text, "the pasted spec")
        else:
            raise BadInput("paste a spec or choose a file", details=[])
        p = await run_in_threadpool(lambda: import_partnership(raw, uow=desk.uow(), lifecycles=desk.lifecycles,
                                                               actor=user.username, now=desk.now(),
                                                               as_new=as_new))
    except AlreadyImported as exc:
        return render(request, "import.html", {"text": text, "message": exc.message, "existing_ref": exc.existing_ref,
                                               "errors": {field: [exc.message]}}, status_code=409)
    except BadInput as exc:
        return render(request, "import.html", {"text": text, "message": exc.message,
                                               "errors": {field: exc.details or [exc.message]}}, status_code=422)
    stage = desk.lifecycles.get(p.workflow).definition.stage_title(p.stage, p.language)
    flash(request, f"Imported “{p.name}” as {p.ref}, in stage “{stage}”.")
    return redirect(f"/partnerships/{p.ref}")
