"""Digital signatures over the API: sign a version with an uploaded .p12 (never stored), attach a signed copy;
and the Word export of a version."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pppflow.domain.accounts import Permission, User
from pppflow.services import agreement_signatures as signing
from pppflow.services.agreement_views import detail_view
from pppflow.services.read_models.agreements import SignedCopyRead, SignedRead
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.documents import limits_of, read_upload

router = APIRouter(tags=["agreements"])
legal = api_permit(Permission.LEGAL)
Number = Path(ge=1, le=1_000_000, description="the version number")
reader = api_permit(Permission.READ)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/partnerships/{ref}/agreements/{number}/docx", response_class=Response,
            summary="The version as a Word document (same articles, tables and signature blocks), for redlining",
            responses={200: {"content": {DOCX: {}}}})
def download_docx(ref: str, number: int = Number, user: User = Depends(reader),
                  desk: Desk = Depends(desk_of)) -> Response:
    name, data = signing.agreement_word(ref, number, uow=desk.uow(), store=desk.store)
    return Response(data, media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
MAX_P12_BYTES = 64 * 1024


@router.post("/partnerships/{ref}/agreements/{number}/digital-signatures", response_model=SignedRead,
             summary="Sign the version's PDF (PAdES) with the signatory's PKCS#12 certificate; the key is not stored")
async def sign_digitally(ref: str, number: int = Number, partner: str = Form(..., min_length=1, max_length=80),
                         name: str = Form(..., min_length=1, max_length=200),
                         title: str | None = Form(None, max_length=200),
                         passphrase: str | None = Form(None, max_length=1000), certificate: UploadFile = File(...),
                         user: User = Depends(legal), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    p12 = await read_upload(certificate, MAX_P12_BYTES)
    d = await run_in_threadpool(
        signing.sign_with_certificate, ref, number, partner, name, p12=p12,
        passphrase=passphrase.encode() if passphrase else None, uow_factory=desk.uow_factory,
        renderer=desk.renderer, store=desk.store, actor=user.username, now=desk.now(),
        policy=desk.signature_policy or signing.SignaturePolicy(), title=title)
    return {"ref": ref, "partner": partner, **detail_view(d)}


@router.post("/partnerships/{ref}/agreements/{number}/signed-copies", response_model=SignedCopyRead,
             summary="Attach a copy of the version signed elsewhere; signers are read from its certificates")
async def attach_signed(request: Request, ref: str, number: int = Number, file: UploadFile = File(...),
                        user: User = Depends(legal), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    data = await read_upload(file, limits_of(request).upload_bytes)
    d, partners = await run_in_threadpool(
        signing.attach_signed, ref, number, data, uow_factory=desk.uow_factory, renderer=desk.renderer,
        store=desk.store, actor=user.username, now=desk.now(),
        policy=desk.signature_policy or signing.SignaturePolicy())
    return {"ref": ref, "signed_for": partners, **detail_view(d)}
