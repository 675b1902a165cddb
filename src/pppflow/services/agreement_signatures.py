"""Digital (PAdES) signatures on agreement versions: sign with a certificate, attach a copy signed elsewhere, verify.

Each signature is a new revision of the version's PDF, stored beside it; the version keeps every revision's hash
and length. Signing happens outside any transaction; the revision is then recorded in a transaction that first
checks no other signature was added meanwhile. The key of a signer is used once and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.agreements import AgreementRenderer
from pppflow.adapters.documents.store import DocumentStore
from pppflow.domain.agreement import versions as av
from pppflow.domain.model import AgreementStatus, Partnership
from pppflow.errors import BadInput, ConflictError, NotAllowed
from pppflow.services.agreements import (
    UowFactory,
    Verification,
    VersionDetail,
    issue_executed_copy,
    sha256,
    show_version,
)

DIGITAL = "digital"
NO_TRUST_LIST = "not checked against a trust list"


@dataclass(frozen=True)
class SignaturePolicy:
    """Where timestamps come from, the desk's seal, and the trust list (pyHanko objects, loaded lazily)."""

    tsa_url: str | None = None
    seal: Any = None          # pades.CertificateSigner
    trust_roots: Any = None   # list of asn1crypto certificates


def _revision_bytes(store: DocumentStore, v: Any) -> tuple[bytes, str]:
    path, digest, length = av.latest_revision(v)
    data = store.get(path)
    data = data if length is None else data[:length]
    if sha256(data) != digest:
        raise ConflictError(f"the stored PDF of version {v.number} does not match its recorded hash",
                            details=[f"{path} was changed outside pppflow; nothing was signed"])
    return data, digest


def _record(ref: str, number: int, base: str, data: bytes, signed: list[tuple[str, str, str, int]], *,
            uow_factory: UowFactory, store: DocumentStore, actor: str, now: datetime,
            title: str | None = None) -> str:
    """Store the signed file and record its revisions and sign-offs; remove the file if recording fails."""
    path = f"agreements/{ref}/v{number}-rev-{sha256(data)[:12]}.pdf"
    store.put(path, data)
    try:
        with uow_factory() as uow:
            p = uow.partnerships.get(ref)
            v = av.signable(p, number)
            if av.latest_revision(v)[1] != base:
                raise ConflictError(f"version {number} of {ref!r} was signed by someone else meanwhile; nothing was "
                                    "saved", details=["download the newest copy and sign again"])
            for i, (partner, name, subject, end) in enumerate(signed):
                last = i == len(signed) - 1
                length = len(data) if last else end
                av.add_revision(v, sha256=sha256(data[:length]), path=path, length=length, partner=partner,
                                signer=subject)
                av.sign(p, number, partner, name, title if last else None, actor=actor, now=now, method=DIGITAL,
                        certificate=subject)
            uow.commit()
            status = v.status
    except BaseException:
        store.delete(path)
        raise
    return status


def sign_with_certificate(ref: str, number: int, partner: str, name: str, *, p12: bytes, passphrase: bytes | None,
                          uow_factory: UowFactory, renderer: AgreementRenderer, store: DocumentStore, actor: str,
                          now: datetime, policy: SignaturePolicy, title: str | None = None) -> VersionDetail:
    """Add the signatory's PAdES signature to the version's PDF as a new revision and record the sign-off."""
    from pppflow.adapters.documents import pades

    with uow_factory() as uow:  # a first check, read only: the transaction that records it checks again
        p = uow.partnerships.read(ref)
        v = av.signable(p, number)
        expected = p.partner(partner).signatory_name
        if any(s.partner_key == partner for s in av.signatures(p, v)):
            raise NotAllowed(f"partner {partner!r} has already signed version {number}")
    if expected and name.strip().casefold() != expected.strip().casefold():
        raise NotAllowed(f"{name!r} is not the signatory of {partner!r}",
                         details=[f"the signatory of {partner} is {expected}"])
    who = pades.load_signer(p12, passphrase)
    if who.common_name.strip().casefold() != name.strip().casefold():
        raise NotAllowed(f"the certificate is issued to {who.common_name!r}, not to {name!r}",
                         details=["sign with the signatory's own certificate"])
    current, base = _revision_bytes(store, v)
    signed = pades.sign(current, who, field_name=f"pppflow-{partner}", tsa_url=policy.tsa_url,
                        reason=f"{ref} version {number}")
    status = _record(ref, number, base, signed, [(partner, name, who.subject, len(signed))],
                     uow_factory=uow_factory, store=store, actor=actor, now=now, title=title)
    if status == AgreementStatus.SIGNED:
        issue_executed_copy(ref, number, uow_factory=uow_factory, renderer=renderer, store=store, actor=actor,
                            now=now, seal=policy.seal)
    return show_version(ref, number, uow=uow_factory())


def _prefix_version(data: bytes, uow: UnitOfWork) -> tuple[Partnership, Any, int] | None:
    """The generated version whose PDF this file starts with (its first revision), and that PDF's length."""
    for end in _revision_ends(data):
        found = uow.partnerships.find_agreement(sha256(data[:end]))
        if found is not None and found[1].pdf_sha256 == sha256(data[:end]):
            return found[0], found[1], end
    return None


def _revision_ends(data: bytes) -> list[int]:
    """Where each revision of a PDF may end: after every %%EOF marker (with its end-of-line, or without)."""
    ends, at = [], data.find(b"%%EOF")
    while at != -1:
        end = at + 5
        ends.append(end)
        for eol in (b"\n", b"\r\n", b"\r"):
            if data[end:end + len(eol)] == eol:
                ends.append(end + len(eol))
        at = data.find(b"%%EOF", end)
    return ends


def attach_signed(ref: str, number: int, data: bytes, *, uow_factory: UowFactory, renderer: AgreementRenderer,
                  store: DocumentStore, actor: str, now: datetime, policy: SignaturePolicy) -> tuple[VersionDetail,
                                                                                                     list[str]]:
    """Accept a copy of the version signed outside pppflow: its first revision must be that version's PDF byte for
    byte, it must extend the newest recorded revision, and every signature must be intact and a signatory's."""
    from pppflow.adapters.documents import pades

    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        v = av.signable(p, number)
        original, current = v.pdf_sha256, av.latest_revision(v)
        prefix = _prefix_version(data, uow)
    if prefix is None or prefix[1].pdf_sha256 != original:
        which = f"version {prefix[1].number} of {prefix[0].ref!r}" if prefix else "no version pppflow generated"
        raise NotAllowed(f"the file's first revision is not version {number} of {ref!r}",
                         details=[f"it starts with {which}; sign the PDF of version {number} itself"])
    base, base_len = current[1], current[2] or prefix[2]
    if sha256(data[:base_len]) != base:
        raise ConflictError(f"the file was signed from an older copy of version {number}",
                            details=["download the newest copy (it has the signatures recorded since) and sign that"])
    checks = pades.check_signatures(data, None)
    broken = [c for c in checks if not c.intact]
    if broken:
        raise NotAllowed("the file has a signature that is not intact: "
                         + ", ".join(f"{c.signer} ({c.modifications} after it)" for c in broken))
    added = [c for c in checks if c.revision_end > base_len]
    if not added:
        raise BadInput(f"the file adds no signature to version {number}")
    signed = []
    for c in added:
        partner = av.signatory_partner(p, c.signer)
        if partner is None:
            raise NotAllowed(f"{c.signer!r} is not a signatory of {ref!r}",
                             details=["signatories: " + ", ".join(x.signatory_name or x.key for x in p.partners)])
        signed.append((partner, p.partner(partner).signatory_name or c.signer, c.subject, c.revision_end))
    status = _record(ref, number, base, data, signed, uow_factory=uow_factory, store=store, actor=actor, now=now)
    if status == AgreementStatus.SIGNED:
        issue_executed_copy(ref, number, uow_factory=uow_factory, renderer=renderer, store=store, actor=actor,
                            now=now, seal=policy.seal)
    return show_version(ref, number, uow=uow_factory()), [s[0] for s in signed]


@dataclass(frozen=True)
class SignedVerification:
    """Which version a file is, and what each of its embedded signatures proves."""

    document: Verification
    signatures: list[Any]     # pades.SignatureCheck
    trust_list: bool
    readable: bool = True

    @property
    def ok(self) -> bool:
        return self.document.genuine and self.readable and all(c.intact for c in self.signatures)


def verify_signatures(data: bytes, *, uow: UnitOfWork, policy: SignaturePolicy) -> SignedVerification:
    """Is this a known agreement version (as generated, a signed revision of it, or its executed copy), and is
    every embedded signature intact?"""
    from pppflow.services.agreements import verify_document

    document = verify_document(data, uow=uow)
    if not document.genuine:
        with uow:
            prefix = _prefix_version(data, uow)
            if prefix is not None:
                p, v, _ = prefix
                recorded = any(r["sha256"] == document.sha256 for r in v.revisions or [])
                document = Verification(True, document.sha256, p.ref, v.number, v.status,
                                        "signed revision" if recorded else "signed elsewhere",
                                        tuple(av.signatures(p, v)))
    checks, readable = [], True
    # A signature's /ByteRange is always in the file's plain bytes (its value is patched in place), so a file
    # without one has no signature to check; one with signatures is parsed once, found and checked in one pass.
    if data.startswith(b"%PDF") and b"/ByteRange" in data:
        from pppflow.adapters.documents import pades

        try:
            checks = pades.check_signatures(data, policy.trust_roots)
        except BadInput:
            readable = False  # a damaged file: nothing in it can be relied on
    return SignedVerification(document, checks, bool(policy.trust_roots), readable)


def signature_view(c: Any, trust_list: bool) -> dict[str, Any]:
    """One signature check as JSON-ready data (CLI and API)."""
    return {"field": c.field, "signer": c.signer, "subject": c.subject, "signed_at": c.signed_at,
            "intact": c.intact, "coverage": c.coverage, "modifications_after": c.modifications,
            "trusted": c.trusted, "trust": ("trusted" if c.trusted else "not trusted") if trust_list else NO_TRUST_LIST,
            "timestamped": c.timestamped}


def agreement_word(ref: str, number: int, *, uow: UnitOfWork, store: DocumentStore) -> tuple[str, bytes]:
    """A version as a Word document (same text as its PDF, for redlining): a file name and bytes."""
    from pppflow.adapters.documents.docx_export import agreement_docx
    from pppflow.errors import NotFound

    with uow:
        v = av.version(uow.partnerships.get(ref), number)
    try:
        html = store.get(v.document_path.removesuffix(".pdf") + ".html").decode("utf-8")
    except NotFound:
        raise NotFound(f"the text of version {number} is missing from the document store") from None
    lang = v.language.split(",")[0]  # a bilingual version: the first language names the document's language
    title = f"{v.snapshot.get('name', ref)} — v{number}"
    return f"{ref}-v{number}.docx", agreement_docx(html, lang=lang, title=title)
