"""The agreements page of a partnership: versions, signatories, PDF download, generate, sign-off, verify."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pppflow.domain import agreement_versions as av
from pppflow.domain.accounts import Permission, User
from pppflow.errors import PppflowError
from pppflow.services import agreements as service
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.documents import limits_of, read_upload
from pppflow.web.errors import status_of, web_details
from pppflow.web.pages.rendering import flash, redirect, render

router = APIRouter(prefix="/partnerships/{ref}/agreements")
reader = page_permit(Permission.READ)
legal = page_permit(Permission.LEGAL)


def page(request: Request, ref: str, desk: Desk, *, errors: dict[str, list[str]] | None = None,
         values: dict[str, str] | None = None, verification: Any = None, status_code: int = 200) -> Response:
    p, details = service.version_details(ref, uow=desk.uow())
    signable = next((d for d in details if d.version.status == "final"), None)
    return render(request, "agreements.html", {
        "p": p, "details": details, "signable": signable, "errors": errors or {}, "values": values or {},
        "verification": verification, "draft_text": av.draft_text}, status_code=status_code)


@router.get("")
def agreements_page(request: Request, ref: str, user: User = Depends(reader),
                    desk: Desk = Depends(desk_of)) -> Response:
    return page(request, ref, desk)


@router.get("/{number}.pdf")
def download(ref: str, number: int, copy: str = Query("version", pattern="^(version|executed)$"),
             user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    name, data = service.agreement_document(ref, number, uow=desk.uow(), store=desk.store,
                                            executed=copy == "executed")
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/generate")
def generate_submit(request: Request, ref: str, lang: str = Form(""), user: User = Depends(legal),
                    desk: Desk = Depends(desk_of)) -> Response:
    try:
        g = service.generate_agreement(ref, uow_factory=desk.uow_factory, renderer=desk.renderer, store=desk.store,
                                       lifecycles=desk.lifecycles, actor=user.username, now=desk.now(),
                                       lang=lang or None)
    except PppflowError as exc:
        return page(request, ref, desk, errors={"generate": [exc.message, *web_details(exc)]},
                    status_code=status_of(exc))
    v = g.version
    state = av.draft_text(v) or v.status
    flash(request, f"Generated version {v.number} ({state})." if g.created
          else f"Nothing changed since version {v.number} ({state}): it is still the current one.")
    return redirect(f"/partnerships/{ref}/agreements")


@router.post("/signoffs")
def signoff_submit(request: Request, ref: str, partner: str = Form(""), name: str = Form(""),
                   title: str = Form(""), method: str = Form("recorded"), user: User = Depends(legal),
                   desk: Desk = Depends(desk_of)) -> Response:
    values = {"partner": partner, "name": name, "title": title, "method": method}
    errors = {k: [m] for k, m in (("partner", "Choose the partner that signs."),
                                  ("name", "Enter the signatory's name.")) if not values[k].strip()}
    if not errors:
        try:
            d = service.sign_agreement(ref, None, partner, name, uow_factory=desk.uow_factory, renderer=desk.renderer,
                                       store=desk.store, actor=user.username, now=desk.now(),
                                       title=title.strip() or None, method=method.strip() or "recorded")
        except PppflowError as exc:
            field = "name" if "signatory" in exc.message else "partner" if exc.code == "not_found" else "signoff"
            return page(request, ref, desk, errors={field: [exc.message, *web_details(exc)]}, values=values,
                        status_code=status_of(exc))
        flash(request, f"{partner} signed version {d.version.number}; "
              + (f"awaiting {', '.join(d.unsigned)}." if d.unsigned else "every partner has signed."))
        return redirect(f"/partnerships/{ref}/agreements")
    return page(request, ref, desk, errors=errors, values=values, status_code=422)


@router.post("/verify")
async def verify_submit(request: Request, ref: str, file: UploadFile | None = File(None),
                        user: User = Depends(legal), desk: Desk = Depends(desk_of)) -> Response:
    problem = None
    try:
        if file is None or not file.filename:
            raise PppflowError("choose a PDF file to verify")
        data = await read_upload(file, limits_of(request).upload_bytes)
    except PppflowError as exc:
        problem = exc.message
    if problem is not None:
        return await run_in_threadpool(lambda: page(request, ref, desk, errors={"file": [problem]}, status_code=422))
    result = await run_in_threadpool(service.verify_document, data, uow=desk.uow())
    return await run_in_threadpool(lambda: page(request, ref, desk, verification=result))
