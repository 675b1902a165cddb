"""Plain dictionaries of agreement versions and signatures: what `--json` and the API show (one shape)."""

from __future__ import annotations

from typing import Any

from pppflow.domain.agreement import versions as av
from pppflow.domain.model import AgreementVersion, SignOff


def version_view(v: AgreementVersion) -> dict[str, Any]:
    return {"version": v.number, "status": v.status, "stage": v.stage, "language": v.language,
            "template": v.template_name, "template_hash": v.template_hash, "content_hash": v.content_hash,
            "pdf_sha256": v.pdf_sha256, "path": v.document_path, "signed_pdf_sha256": v.signed_pdf_sha256,
            "signed_path": v.signed_document_path, "revisions": v.revisions or [], "created_by": v.created_by,
            "created_at": v.created_at, "draft_reasons": list(v.draft_reasons or []), "status_text": av.draft_text(v),
            "translation_of": v.translation_of}


def version_item_view(d: Any) -> dict[str, Any]:
    """A version in a list (a `VersionDetail`): with why it is out of date."""
    return {**version_view(d.version), "stale": d.stale}


def signature_view(s: SignOff) -> dict[str, Any]:
    return {"partner": s.partner_key, "name": s.signatory_name, "title": s.signatory_title,
            "signed_at": s.signed_at, "method": s.method, "certificate": s.certificate}


def detail_view(d: Any) -> dict[str, Any]:
    """One version (a `VersionDetail`): its signatures, who has not signed, why it is out of date."""
    return {**version_item_view(d), "signatures": [signature_view(s) for s in d.signatures], "unsigned": d.unsigned}


def verification_view(result: Any) -> dict[str, Any]:
    """What a PDF is (a known version, a signed copy, unknown) and every PAdES signature in it."""
    from pppflow.services.agreement_signatures import signature_view as pdf_signature_view

    r = result.document
    return {"genuine": r.genuine, "sha256": r.sha256, "ref": r.ref, "version": r.version, "status": r.status,
            "copy": r.copy, "signatures": [signature_view(s) for s in r.signatures], "ok": result.ok,
            "pdf_signatures": [pdf_signature_view(c, result.trust_list) for c in result.signatures]}
