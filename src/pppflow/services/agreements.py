"""Agreement documents: generate a version, sign it, verify a PDF, compare versions.

Rendering (about a second for the PDF) happens outside any transaction: the partnership is read, the document
rendered and stored, then the version is recorded in a second transaction that first checks nothing changed
meanwhile. If recording fails, the stored files are removed: an interrupted generation leaves no file and no
record. A process killed between the two leaves files no version records; the next generation of that partnership
deletes them first (`sweep_orphans`), under a lock on the partnership's folder held from writing to committing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.agreements import AgreementRenderer
from pppflow.adapters.documents.store import DocumentStore
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.agreement import languages as al
from pppflow.domain.agreement import versions as av
from pppflow.domain.agreement.diff import ArticleDiff, diff_articles
from pppflow.domain.agreement.view_model import build_editions
from pppflow.domain.audit import canonical_json
from pppflow.domain.interchange import partnership_to_spec
from pppflow.domain.model import AgreementStatus, AgreementVersion, Partnership, SignOff
from pppflow.domain.spec import parse_spec
from pppflow.errors import ConflictError, NotAllowed, NotFound

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class Generated:
    version: AgreementVersion
    created: bool  # False when the newest version already matched the data and templates


def _render_inputs(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The stored JSON snapshot back to typed spec data (dates, decimals) for the templates."""
    return parse_spec(snapshot).model_dump(exclude_none=True)


def _context(snapshot: dict[str, Any], *, lang: str, number: int, stage: str, created_at: datetime,
             signoffs: list[SignOff] | None, final: bool = False, translation_of: int | None = None) -> dict[str, Any]:
    """The view model of a version in its language(s): `lang` is `nl` or, for a bilingual version, `nl,en`."""
    signed = signoffs is not None
    return build_editions(
        _render_inputs(snapshot), languages=lang.split(","), version=number, stage=stage, signed=signed,
        signoffs=[{"partner": s.partner_key, "name": s.signatory_name, "title": s.signatory_title,
                   "signed_at": s.signed_at, "method": s.method} for s in signoffs or []],
        generated_on=created_at.date(), final=final, translation_of=translation_of)


def _attachment(ref: str, number: int, snapshot: dict[str, Any], content: str) -> str:
    return canonical_json({"ref": ref, "version": number, "content_hash": content, "partnership": snapshot})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unchanged(latest: AgreementVersion | None, *, content: str, epoch: int, template: str, status: str,
               gaps: list[str], translation_of: int | None) -> bool:
    """Whether the newest version in these languages already says all a new one would; a draft only while its
    reasons still hold; a translation only while it translates the same original."""
    return (latest is not None and latest.status != AgreementStatus.SUPERSEDED and latest.content_hash == content
            and latest.agreement_epoch == epoch and latest.template_hash == template
            and latest.translation_of == translation_of
            and (latest.status != AgreementStatus.DRAFT
                 or (status == AgreementStatus.DRAFT and list(latest.draft_reasons) == gaps)))


def generate_agreement(ref: str, *, uow_factory: UowFactory, renderer: AgreementRenderer, store: DocumentStore,
                       actor: str, now: datetime, lifecycles: LifecycleRegistry | None = None,
                       lang: str | Sequence[str] | None = None, force: bool = False) -> Generated:
    """Render and store a new agreement version; reuse the newest one in the same language(s) if nothing it
    depends on changed.

    It is final when the lifecycle's `agreement_final_when` guards hold, else a draft carrying their reasons.
    `lang` is one language, or several (`nl,en`) for one bilingual version; by default the governing language
    (the spec's agreement.governing_language, else the partnership's language). A version without the governing
    language is a courtesy translation of the current original (NotAllowed when there is none): it takes the
    original's status and is never signed. Without `lifecycles`, the shipped lifecycle definitions decide.
    """
    if lifecycles is None:
        from pppflow.adapters.workflow_files import load_registry

        lifecycles = load_registry()
    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        snapshot = json.loads(canonical_json(partnership_to_spec(p)))
        lang = al.code(al.parse_languages(lang, al.governing_language(p)))
        number, stage, epoch, content = av.next_number(p), p.stage, p.agreement_epoch, av.content_hash(p)
        gaps = lifecycles.get(p.workflow).agreement_gaps(p)
        status = AgreementStatus.DRAFT if gaps else AgreementStatus.FINAL
        original = None
        if al.governing_language(p) not in lang.split(","):
            original = av.original_to_translate(p, content=content, epoch=epoch)
            status, gaps = AgreementStatus(original.status), list(original.draft_reasons or [])
        translation_of = original.number if original else None
        latest = max((v for v in p.agreements if v.language == lang), key=lambda v: v.number, default=None)
    rendered = renderer.html(_context(snapshot, lang=lang, number=number, stage=stage, created_at=now, signoffs=None,
                                      final=status != AgreementStatus.DRAFT, translation_of=translation_of))
    if not force and latest is not None and _unchanged(latest, content=content, epoch=epoch,
                                                       template=rendered.template_hash, status=status, gaps=gaps,
                                                       translation_of=translation_of):
        return Generated(latest, False)
    pdf = renderer.pdf(rendered.html, attachment_json=_attachment(ref, number, snapshot, content),
                       title=f"{snapshot['name']} — v{number}")
    pdf_hash = sha256(pdf)
    base = f"agreements/{ref}/v{number}-{pdf_hash[:12]}"
    version = AgreementVersion(
        number=number, stage=stage, language=lang, template_name=rendered.template_name,
        template_hash=rendered.template_hash, content_hash=content, agreement_epoch=epoch,
        html_sha256=sha256(rendered.html.encode()), pdf_sha256=pdf_hash, document_path=f"{base}.pdf",
        created_by=actor, created_at=now, snapshot=snapshot, status=status.value, draft_reasons=gaps,
        translation_of=translation_of)
    paths = [(f"{base}.html", rendered.html.encode()), (f"{base}.pdf", pdf)]
    try:
        with store.locked(_folder(ref)):  # files and version row together; orphans of a killed run are swept
            sweep_orphans(ref, uow_factory=uow_factory, store=store)
            for path, data in paths:
                store.put(path, data)
            with uow_factory() as uow:
                p = uow.partnerships.get(ref)
                if av.content_hash(p) != content or av.next_number(p) != number or p.agreement_epoch != epoch \
                        or (translation_of is None and lifecycles.get(p.workflow).agreement_gaps(p) != gaps):
                    raise ConflictError(f"{ref!r} changed while its agreement was being generated; nothing was "
                                        "saved", details=["generate again"])
                av.add_version(p, version, actor=actor, now=now)
                uow.commit()
    except BaseException:
        for path, _ in paths:
            store.delete(path)
        raise
    return Generated(version, True)


def _folder(ref: str) -> str:
    return f"agreements/{ref}"


def sweep_orphans(ref: str, *, uow_factory: UowFactory, store: DocumentStore) -> list[str]:
    """Delete the partnership's document files that no version records: left by a process killed between writing
    them and committing the version. Call with the folder locked (no other generation is between the two)."""
    with uow_factory() as uow:
        kept = set()
        for v in uow.partnerships.get(ref).agreements:
            kept |= {v.document_path, v.document_path.removesuffix(".pdf") + ".html", v.signed_document_path}
    orphans = [path for path in store.listing(_folder(ref)) if path not in kept]
    for path in orphans:
        store.delete(path)
    return orphans


def list_versions(ref: str, *, uow: UnitOfWork) -> tuple[Partnership, list[AgreementVersion]]:
    with uow:
        p = uow.partnerships.get(ref)
        return p, sorted(p.agreements, key=lambda v: v.number)


@dataclass(frozen=True)
class VersionDetail:
    partnership: Partnership
    version: AgreementVersion
    signatures: list[SignOff]
    unsigned: list[str]
    stale: list[str]


def show_version(ref: str, number: int, *, uow: UnitOfWork) -> VersionDetail:
    """One version with its signatures, read for display (a detached copy: cheaper than loading it for a change)."""
    with uow:
        p = uow.partnerships.read(ref)
        v = av.version(p, number)
        return VersionDetail(p, v, av.signatures(p, v), av.unsigned_partners(p, v), av.stale_reasons(p, v))


def sign_agreement(ref: str, number: int | None, partner: str, name: str, *, uow_factory: UowFactory,
                   renderer: AgreementRenderer, store: DocumentStore, actor: str, now: datetime,
                   title: str | None = None, method: str = "recorded", seal: Any = None) -> VersionDetail:
    """Record a signature on a version (default: the newest awaiting signatures).

    When it completes the signatures, the executed copy (no DRAFT mark, dated signature blocks) is rendered and
    stored beside the signed PDF.
    """
    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        number = number if number is not None else av.latest_signable(p).number
        av.sign(p, number, partner, name, title, actor=actor, now=now, method=method)
        uow.commit()
        v = av.version(p, number)
    if v.status == AgreementStatus.SIGNED:
        issue_executed_copy(ref, number, uow_factory=uow_factory, renderer=renderer, store=store, actor=actor, now=now,
                            seal=seal)
    return show_version(ref, number, uow=uow_factory())


def issue_executed_copy(ref: str, number: int, *, uow_factory: UowFactory, renderer: AgreementRenderer,
                        store: DocumentStore, actor: str, now: datetime, seal: Any = None) -> AgreementVersion:
    """Render the signed version without its DRAFT mark and with the signatures; idempotent.

    A version signed digitally keeps its signed PDF as the executed copy (a new render would drop the
    signatures). With a seal certificate (PPPFLOW_SEAL_P12) the copy is sealed as one more revision.
    """
    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        v = av.version(p, number)
        if v.status != AgreementStatus.SIGNED:
            raise NotAllowed(f"version {number} is {v.status}, not signed")
        if v.signed_document_path and store.exists(v.signed_document_path):
            return v
        signoffs = av.signatures(p, v)
    if v.revisions:
        path, _, length = av.latest_revision(v)
        pdf = store.get(path)[:length]
    else:
        html = renderer.html(_context(v.snapshot, lang=v.language, number=v.number, stage=v.stage,
                                      created_at=v.created_at, signoffs=signoffs)).html
        pdf = renderer.pdf(html, attachment_json=_attachment(ref, v.number, v.snapshot, v.content_hash),
                           title=f"{v.snapshot['name']} — v{v.number} (signed)")
    if seal is not None:
        from pppflow.adapters.documents import pades

        pdf = pades.sign(pdf, seal, field_name="pppflow-seal", reason=f"executed copy of {ref} version {number}")
    path = f"agreements/{ref}/v{v.number}-signed-{sha256(pdf)[:12]}.pdf"
    try:
        with store.locked(_folder(ref)):  # a generation's sweep must not take this file for an orphan
            store.put(path, pdf)
            with uow_factory() as uow:
                p = uow.partnerships.get(ref)
                v = av.version(p, number)
                v.signed_pdf_sha256, v.signed_document_path = sha256(pdf), path
                p.record("agreement.executed_copy", actor=actor, now=now, before=None,
                         after={"version": number, "signed_pdf_sha256": v.signed_pdf_sha256})
                uow.commit()
    except BaseException:
        store.delete(path)
        raise
    return v


@dataclass(frozen=True)
class Verification:
    genuine: bool
    sha256: str
    ref: str | None = None
    version: int | None = None
    status: str | None = None
    copy: str | None = None  # "version" (as generated, for signature) or "executed" (the signed copy)
    signatures: tuple[SignOff, ...] = ()


def verify_document(data: bytes, *, uow: UnitOfWork) -> Verification:
    """Is this PDF one that pppflow generated, byte for byte? If so, which version, and who signed it."""
    return verify_digest(sha256(data), uow=uow)


def verify_digest(digest: str, *, uow: UnitOfWork) -> Verification:
    """As verify_document, for a file hashed by the caller (a large file is hashed as it streams)."""
    with uow:
        found = uow.partnerships.find_agreement(digest)
        if found is None:
            return Verification(False, digest)
        p, v = found
        copy = "executed" if v.signed_pdf_sha256 == digest else "version"
        return Verification(True, digest, p.ref, v.number, v.status, copy, tuple(av.signatures(p, v)))


def diff_versions(ref: str, old: int, new: int, *, uow: UnitOfWork, store: DocumentStore) -> list[ArticleDiff]:
    """The articles whose text differs between two versions."""
    with uow:
        p = uow.partnerships.get(ref)
        a, b = av.version(p, old), av.version(p, new)
    html = []
    for v in (a, b):
        path = v.document_path.removesuffix(".pdf") + ".html"
        try:
            html.append(store.get(path).decode("utf-8"))
        except NotFound:
            raise NotFound(f"the text of version {v.number} is missing from the document store") from None
    return diff_articles(html[0], html[1], old_label=f"v{old}", new_label=f"v{new}",
                         lang=b.language.split(",")[0])  # a bilingual version: its first language's words


def agreement_document(ref: str, number: int, *, uow: UnitOfWork, store: DocumentStore,
                       executed: bool = False) -> tuple[str, bytes]:
    """A version's PDF as generated (for signature), or its executed copy once signed: a file name and bytes."""
    with uow:
        v = av.version(uow.partnerships.get(ref), number)
    path = v.document_path
    if executed:
        if not v.signed_document_path:
            raise NotFound(f"version {number} of {ref!r} has no executed copy",
                           details=[f"it is {v.status}; the executed copy is made when every partner has signed"])
        path = v.signed_document_path
    return f"{ref}-v{number}{'-signed' if executed else ''}.pdf", store.get(path)


def version_details(ref: str, *, uow: UnitOfWork) -> tuple[Partnership, list[VersionDetail]]:
    """Every version, newest first, with its signatures, who has not signed and why it is out of date."""
    with uow:
        p = uow.partnerships.get(ref)
        return p, [VersionDetail(p, v, av.signatures(p, v), av.unsigned_partners(p, v), av.stale_reasons(p, v))
                   for v in sorted(p.agreements, key=lambda x: -x.number)]
