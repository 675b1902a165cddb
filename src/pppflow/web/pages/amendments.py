"""Parity with the CLI on the web: amend from an uploaded revised spec (see what would change, then confirm),
and the diff of two agreement versions. The same services as `pppflow partnership amend` / `agreement diff`."""

from __future__ import annotations

from typing import Any, NoReturn

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from pppflow.documents_io import parse_document
from pppflow.domain.accounts import Permission, User
from pppflow.errors import PppflowError
from pppflow.services import agreements as agreement_service
from pppflow.services import amendments as service
from pppflow.services.partnerships import amend_partnership, export_partnership
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.documents import dump_document, limits_of, read_upload
from pppflow.web.errors import status_of
from pppflow.web.pages.rendering import flash, redirect, render

router = APIRouter(prefix="/partnerships/{ref}")
coordinator = page_permit(Permission.COORDINATE)
reader = page_permit(Permission.READ)


def amend_page(request: Request, ref: str, desk: Desk, *, preview: Any = None, spec_text: str = "",
               reason: str = "", problems: list[str] | None = None, status_code: int = 200) -> Response:
    name = export_partnership(ref, uow=desk.uow())["name"]
    changes = [{"section": c.section, "before": dump_document(c.before, "yaml") if c.before is not None else "",
                "after": dump_document(c.after, "yaml") if c.after is not None else ""}
               for c in (preview.changes if preview else [])]
    return render(request, "amend.html", {"ref": ref, "name": name, "preview": preview, "changes": changes,
                                          "spec_text": spec_text, "reason": reason, "problems": problems or []},
                  status_code=status_code)


@router.get("/amend")
def amend_form(request: Request, ref: str, user: User = Depends(coordinator),
               desk: Desk = Depends(desk_of)) -> Response:
    return amend_page(request, ref, desk)


@router.post("/amend/preview")
async def amend_preview(request: Request, ref: str, file: UploadFile | None = File(None), reason: str = Form(""),
                        user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> Response:
    from starlette.concurrency import run_in_threadpool

    def show() -> Response:
        return amend_page(request, ref, desk, preview=preview, spec_text=text, reason=reason)

    text = ""
    try:
        if file is None or not file.filename:
            raise_bad("choose the revised spec file (YAML or JSON)")
        data = await read_upload(file, limits_of(request).document_bytes)
        raw = parse_document(data, file.filename)
        text = data.decode("utf-8")
        preview = await run_in_threadpool(service.preview_amendment, ref, raw, uow=desk.uow(), actor=user.username,
                                          now=desk.now(), reason=reason or None)
    except PppflowError as exc:
        return await run_in_threadpool(amend_page, request, ref, desk, reason=reason, status_code=status_of(exc),
                                       problems=[exc.message, *exc.details])
    return await run_in_threadpool(show)


def raise_bad(message: str) -> NoReturn:
    from pppflow.errors import BadInput

    raise BadInput(message, details=["file: missing"])


@router.post("/amend")
def amend_submit(request: Request, ref: str, spec: str = Form(""), reason: str = Form(""), based_on: str = Form(""),
                 user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> Response:
    try:
        changed = amend_partnership(ref, parse_document(spec, "spec.yaml"), uow=desk.uow(), actor=user.username,
                                    now=desk.now(), reason=reason or None, based_on=based_on or None,
                                    lifecycles=desk.lifecycles)
    except PppflowError as exc:
        return amend_page(request, ref, desk, reason=reason, status_code=status_of(exc),
                          problems=[exc.message, *exc.details])
    flash(request, f"Amended: {', '.join(changed)}. A signed agreement must be signed again in a new version."
          if changed else "Nothing to amend: the content is the same.")
    return redirect(f"/partnerships/{ref}")


@router.get("/agreements/diff")
def diff_page(request: Request, ref: str, from_: int = Query(..., alias="from", ge=1), to: int = Query(..., ge=1),
              user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    diffs = agreement_service.diff_versions(ref, from_, to, uow=desk.uow(), store=desk.store)
    return render(request, "agreement_diff.html", {"ref": ref, "old": from_, "new": to, "diffs": diffs})
