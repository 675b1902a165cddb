"""The agreements page of a partnership: versions, signatories, PDF download, generate, sign-off, verify."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pppflow.domain.accounts import Permission, User
from pppflow.domain.agreement import versions as av
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
         values: dict[str, str] | None = None, verification: Any = None, pdf_signatures: Any = None,
         status_code: int = 200) -> Response:
    p, details = service.version_details(ref, uow=desk.uow())
    signable = next((d for d in details if d.version.status == "final" and d.version.translation_of is None), None)
    return render(request, "agreements.html", {
        "p": p, "details": details, "signable": signable, "errors": errors or {}, "values": values or {},
        "verification": verification, "pdf_signatures": pdf_signatures, "draft_text": av.draft_text},
        status_code=status_code)


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


@router.get("/{number}.docx")
def download_docx(ref: str, number: int, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    """The version as a Word document, for counterparties to redline."""
    from pppflow.services.agreement_signatures import agreement_word
    from pppflow.web.api.agreement_signing import DOCX

    name, data = agreement_word(ref, number, uow=desk.uow(), store=desk.store)
    return Response(data, media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


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
async def signoff_submit(request: Request, ref: str, partner: str = Form(""), name: str = Form(""),
                         title: str = Form(""), method: str = Form("recorded"),
                         certificate: UploadFile | None = File(None), passphrase: str = Form(""),
                         user: User = Depends(legal), desk: Desk = Depends(desk_of)) -> Response:
    """Record a sign-off, or (with a .p12 certificate uploaded) sign the PDF itself; the key is never stored."""
    values = {"partner": partner, "name": name, "title": title, "method": method}
    errors = {k: [m] for k, m in (("partner", "Choose the partner that signs."),
                                  ("name", "Enter the signatory's name.")) if not values[k].strip()}
    p12 = None
    if certificate is not None and certificate.filename:
        try:
            p12 = await read_upload(certificate, 64 * 1024)
        except PppflowError as exc:
            errors["certificate"] = [exc.message, *exc.details]
    return await run_in_threadpool(_signoff, request, ref, desk, user, values, errors, p12, passphrase)


def _signoff(request: Request, ref: str, desk: Desk, user: User, values: dict[str, str],
             errors: dict[str, list[str]], p12: bytes | None, passphrase: str) -> Response:
    partner, name, title, method = values["partner"], values["name"], values["title"], values["method"]
    if not errors:
        try:
            if p12 is not None:
                from pppflow.services.agreement_signatures import SignaturePolicy, sign_with_certificate

                number = next(d.version.number for d in service.version_details(ref, uow=desk.uow())[1]
                              if d.version.status == "final")
                d = sign_with_certificate(ref, number, partner, name, p12=p12,
                                          passphrase=passphrase.encode() or None, uow_factory=desk.uow_factory,
                                          renderer=desk.renderer, store=desk.store, actor=user.username,
                                          now=desk.now(), policy=desk.signature_policy or SignaturePolicy(),
                                          title=title.strip() or None)
            else:
                d = service.sign_agreement(ref, None, partner, name, uow_factory=desk.uow_factory,
                                           renderer=desk.renderer, store=desk.store, actor=user.username,
                                           now=desk.now(), title=title.strip() or None,
                                           method=method.strip() or "recorded",
                                           seal=desk.signature_policy.seal if desk.signature_policy else None)
        except StopIteration:
            return page(request, ref, desk, errors={"signoff": ["no version awaits signatures"]}, values=values,
                        status_code=409)
        except PppflowError as exc:
            field = ("certificate" if "certificate" in exc.message else "name" if "signatory" in exc.message
                     else "partner" if exc.code == "not_found" else "signoff")
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
    from pppflow.services.agreement_signatures import SignaturePolicy, verify_signatures

    result = await run_in_threadpool(verify_signatures, data, uow=desk.uow(),
                                     policy=desk.signature_policy or SignaturePolicy())
    return await run_in_threadpool(lambda: page(request, ref, desk, verification=result.document,
                                                pdf_signatures=result))


@router.post("/signed-copy")
async def signed_copy_submit(request: Request, ref: str, file: UploadFile | None = File(None),
                             user: User = Depends(legal), desk: Desk = Depends(desk_of)) -> Response:
    """Attach a copy of the version awaiting signatures that was signed with another tool."""
    from pppflow.services.agreement_signatures import SignaturePolicy, attach_signed

    try:
        if file is None or not file.filename:
            raise PppflowError("choose the signed PDF file")
        data = await read_upload(file, limits_of(request).upload_bytes)
    except PppflowError as exc:
        problem = [exc.message, *exc.details]
        return await run_in_threadpool(lambda: page(request, ref, desk, errors={"signed_file": problem},
                                                    status_code=422))

    def attach() -> Response:
        try:
            number = next(d.version.number for d in service.version_details(ref, uow=desk.uow())[1]
                          if d.version.status == "final")
            d, partners = attach_signed(ref, number, data, uow_factory=desk.uow_factory, renderer=desk.renderer,
                                        store=desk.store, actor=user.username, now=desk.now(),
                                        policy=desk.signature_policy or SignaturePolicy())
        except StopIteration:
            return page(request, ref, desk, errors={"signed_file": ["no version awaits signatures"]}, status_code=409)
        except PppflowError as exc:
            return page(request, ref, desk, errors={"signed_file": [exc.message, *exc.details]},
                        status_code=status_of(exc))
        flash(request, f"Signed copy of version {d.version.number} attached: signed for {', '.join(partners)}; "
              + (f"awaiting {', '.join(d.unsigned)}." if d.unsigned else "every partner has signed."))
        return redirect(f"/partnerships/{ref}/agreements")

    return await run_in_threadpool(attach)
