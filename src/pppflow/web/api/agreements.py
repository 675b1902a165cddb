"""Agreement documents: generate, list, read, download the PDF, sign, record a sign-off, verify an uploaded PDF."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pppflow.domain.agreement import versions as av
from pppflow.domain.accounts import Permission, User
from pppflow.domain.model import AgreementVersion, SignOff
from pppflow.services import agreements as service
from pppflow.web.api.agreement_schemas import (
    AgreementGenerateCreate, AgreementVersionDetailRead, AgreementVersionRead, GeneratedRead, SignatureCreate,
    VerificationRead,
)
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.documents import limits_of, read_upload

router = APIRouter(tags=["agreements"])
reader = api_permit(Permission.READ)
legal = api_permit(Permission.LEGAL)
Number = Path(ge=1, le=1_000_000, description="the version number")


def version_view(v: AgreementVersion) -> dict[str, Any]:
    return {"version": v.number, "status": v.status, "stage": v.stage, "language": v.language,
            "template": v.template_name, "template_hash": v.template_hash, "content_hash": v.content_hash,
            "pdf_sha256": v.pdf_sha256, "signed_pdf_sha256": v.signed_pdf_sha256, "created_by": v.created_by,
            "created_at": v.created_at, "draft_reasons": list(v.draft_reasons or []), "status_text": av.draft_text(v),
            "translation_of": v.translation_of}


def signature_view(s: SignOff) -> dict[str, Any]:
    return {"partner": s.partner_key, "name": s.signatory_name, "title": s.signatory_title,
            "signed_at": s.signed_at, "method": s.method, "certificate": s.certificate}


def detail_view(d: service.VersionDetail) -> dict[str, Any]:
    return {**version_view(d.version), "signatures": [signature_view(s) for s in d.signatures],
            "unsigned": d.unsigned, "stale": d.stale}


@router.get("/partnerships/{ref}/agreements", response_model=list[AgreementVersionRead],
            summary="Every version of the partnership's agreement")
def list_versions(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    _, versions = service.list_versions(ref, uow=desk.uow())
    return [version_view(v) for v in versions]


@router.post("/partnerships/{ref}/agreements", response_model=GeneratedRead,
             summary="Generate the agreement as a new PDF/A version (reused if nothing changed)")
def generate(ref: str, body: AgreementGenerateCreate | None = None, user: User = Depends(legal),
             desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    body = body or AgreementGenerateCreate()
    g = service.generate_agreement(ref, uow_factory=desk.uow_factory, renderer=desk.renderer, store=desk.store,
                                   lifecycles=desk.lifecycles, actor=user.username, now=desk.now(), lang=body.lang, force=body.force)
    return {**version_view(g.version), "created": g.created}


@router.get("/partnerships/{ref}/agreements/{number}", response_model=AgreementVersionDetailRead,
            summary="One version: status, signatures, who has not signed, why it is out of date")
def read_version(ref: str, number: int = Number, user: User = Depends(reader),
                 desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    return detail_view(service.show_version(ref, number, uow=desk.uow()))


@router.get("/partnerships/{ref}/agreements/{number}/pdf", response_class=Response,
            summary="Download the PDF: as generated, or the executed (signed) copy",
            responses={200: {"content": {"application/pdf": {}}}})
def download(ref: str, number: int = Number, copy: Literal["version", "executed"] = Query("version"),
             user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    name, data = service.agreement_document(ref, number, uow=desk.uow(), store=desk.store,
                                            executed=copy == "executed")
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/partnerships/{ref}/agreements/{number}/signatures", response_model=AgreementVersionDetailRead,
             summary="Record a signatory's signature on one version (bound to its PDF's hash)")
def sign(ref: str, body: SignatureCreate, number: int = Number, user: User = Depends(legal),
         desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    return _signed(ref, number, body, user, desk)


@router.post("/partnerships/{ref}/signoffs", response_model=AgreementVersionDetailRead,
             summary="Record a sign-off on the newest version awaiting signatures")
def record_signoff(ref: str, body: SignatureCreate, user: User = Depends(legal),
                   desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    return _signed(ref, None, body, user, desk)


def _signed(ref: str, number: int | None, body: SignatureCreate, user: User, desk: Desk) -> dict[str, Any]:
    """Sign version `number` (None: the newest awaiting signatures) and show the version afterwards."""
    return detail_view(service.sign_agreement(ref, number, body.partner, body.name, uow_factory=desk.uow_factory,
                                              renderer=desk.renderer, store=desk.store, actor=user.username,
                                              now=desk.now(), title=body.title, method=body.method))


@router.post("/agreements/verify", response_model=VerificationRead,
             summary="Is this PDF a version pppflow generated (or a signed revision of one), and is every "
                     "signature in it intact?")
async def verify(request: Request, file: UploadFile = File(...), user: User = Depends(legal),
                 desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    from pppflow.services.agreement_signatures import SignaturePolicy, verify_signatures
    from pppflow.services.agreement_signatures import signature_view as pdf_signature_view

    data = await read_upload(file, limits_of(request).upload_bytes)
    result = await run_in_threadpool(verify_signatures, data, uow=desk.uow(),
                                     policy=desk.signature_policy or SignaturePolicy())
    r = result.document
    return {"genuine": r.genuine, "sha256": r.sha256, "ref": r.ref, "version": r.version, "status": r.status,
            "copy": r.copy, "signatures": [signature_view(s) for s in r.signatures], "ok": result.ok,
            "pdf_signatures": [pdf_signature_view(c, result.trust_list) for c in result.signatures]}


from pppflow.web.api import agreement_signing  # noqa: E402 - its routes join this router

router.include_router(agreement_signing.router)
