"""Read schemas of agreement versions, their signatures and the verification of a PDF."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from pppflow.services.read_models.base import ReadModel


class AgreementVersionRead(ReadModel):
    version: int
    status: Literal["draft", "final", "signed", "superseded"]
    stage: str
    language: str = Field(description="nl, en, or for a bilingual version both in order: nl,en")
    translation_of: int | None = Field(default=None, description="a courtesy translation: the version it "
                                       "translates (only that one is signed; this one follows its validity)")
    template: str
    template_hash: str
    content_hash: str
    pdf_sha256: str
    path: str = Field(description="the PDF in the document store, relative to its root")
    signed_pdf_sha256: str | None = None
    signed_path: str | None = Field(None, description="the executed (signed) copy in the document store")
    revisions: list[dict[str, Any]] = Field(default_factory=list,
                                            description="every signed revision's SHA-256 and length")
    created_by: str
    created_at: datetime
    draft_reasons: list[str] = Field(default_factory=list,
                                     description="why it is a draft (the framework gaps when it was generated)")
    status_text: str = Field("", description="for a draft: 'draft: <why>', e.g. \"draft: goal 'hydrogen' is not "
                                             "yet agreed by hanze (Hanze University)\"; empty otherwise")


class AgreementVersionItemRead(AgreementVersionRead):
    stale: list[str] = Field(description="why this version no longer describes the partnership")


class SignatureRead(ReadModel):
    partner: str
    name: str
    title: str
    signed_at: datetime
    method: str
    certificate: str | None = Field(default=None, description="the signing certificate's subject (digital)")


class AgreementVersionDetailRead(AgreementVersionItemRead):
    signatures: list[SignatureRead]
    unsigned: list[str] = Field(description="partners whose signatory has not signed this version")


class GeneratedRead(AgreementVersionRead):
    ref: str
    created: bool = Field(description="false when the newest version already matched data and templates")


class SignedRead(AgreementVersionDetailRead):
    """A version after one partner's signatory signed it."""

    ref: str
    partner: str = Field(description="the partner that signed")


class SignedCopyRead(AgreementVersionDetailRead):
    """A version after a copy signed elsewhere was attached."""

    ref: str
    signed_for: list[str] = Field(description="the partners whose signatures the copy carries")


class PdfSignatureRead(ReadModel):
    field: str
    signer: str = Field(description="the certificate subject's common name")
    subject: str
    signed_at: datetime | None = None
    intact: bool
    coverage: str = Field(description="entire file, entire revision or partial")
    modifications_after: str
    trusted: bool | None = Field(default=None, description="None: no trust list configured")
    trust: str
    timestamped: bool


class VerificationRead(ReadModel):
    genuine: bool
    sha256: str
    ref: str | None = None
    version: int | None = None
    status: str | None = None
    copy_kind: str | None = Field(default=None, alias="copy",
                                  description="version (as generated for signature) or executed (the signed copy)")
    signatures: list[SignatureRead] = []  # noqa: RUF012 - pydantic copies a default per instance
    ok: bool = Field(default=False, description="a known version and every signature in the PDF intact")
    pdf_signatures: list[PdfSignatureRead] = Field(default=[], description="the PAdES signatures inside the PDF")

    model_config = ConfigDict(from_attributes=True, populate_by_name=True, serialize_by_alias=True)


class VersionDiffRead(ReadModel):
    article: str
    change: str
    lines: list[str]
