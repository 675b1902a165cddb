"""Request and response bodies of the REST API for agreement documents (`XCreate` in, `XRead` out)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from pppflow.web.api.schemas import _In, _Out


class AgreementVersionRead(_Out):
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
    signed_pdf_sha256: str | None = None
    created_by: str
    created_at: datetime
    draft_reasons: list[str] = Field(default_factory=list,
                                     description="why it is a draft (the framework gaps when it was generated)")
    status_text: str = Field("", description="for a draft: 'draft: <why>', e.g. \"draft: goal 'hydrogen' is not "
                                             "yet agreed by hanze (Hanze University)\"; empty otherwise")


class SignatureRead(_Out):
    partner: str
    name: str
    title: str
    signed_at: datetime
    method: str
    certificate: str | None = Field(default=None, description="the signing certificate's subject (digital)")


class AgreementVersionDetailRead(AgreementVersionRead):
    signatures: list[SignatureRead]
    unsigned: list[str] = Field(description="partners whose signatory has not signed this version")
    stale: list[str] = Field(description="why this version no longer describes the partnership")


class AgreementGenerateCreate(_In):
    lang: (Annotated[str, StringConstraints(pattern=r"^(en|nl)(,(en|nl))?$")]
           | Annotated[list[Literal["en", "nl"]], Field(min_length=1, max_length=2)] | None) = Field(
        default=None, description="en or nl, or both for one bilingual version (\"nl,en\" or [\"nl\", \"en\"]); "
                                  "default: the governing language (the partnership's unless its spec names "
                                  "another); a version without the governing language is a courtesy translation")
    force: bool = Field(default=False, description="a new version even if nothing changed")


class GeneratedRead(AgreementVersionRead):
    created: bool = Field(description="false when the newest version already matched data and templates")


class SignatureCreate(_In):
    partner: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200, description="the partner's signatory")
    title: str | None = Field(default=None, max_length=200)
    method: str = Field(default="recorded", min_length=1, max_length=40, examples=["wet-ink", "e-signature"])


class PdfSignatureRead(_Out):
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


class VerificationRead(_Out):
    genuine: bool
    sha256: str
    ref: str | None = None
    version: int | None = None
    status: str | None = None
    copy_kind: str | None = Field(default=None, alias="copy",
                                  description="version (as generated for signature) or executed (the signed copy)")
    signatures: list[SignatureRead] = []
    ok: bool = Field(default=False, description="a known version and every signature in the PDF intact")
    pdf_signatures: list[PdfSignatureRead] = Field(default=[], description="the PAdES signatures inside the PDF")

    model_config = ConfigDict(from_attributes=True, populate_by_name=True, serialize_by_alias=True)
