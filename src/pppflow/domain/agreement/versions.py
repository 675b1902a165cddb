"""Agreement versions and their signatures: which version is current, signed, stale or superseded.

A version is signed against its PDF's SHA-256. It stays valid only while the partnership's agreement content
(the pppflow/v1 spec: partners, goals, obligations, contributions, term, ...) is unchanged and no trigger that
invalidates agreements (a renewal) has fired since; otherwise a new version must be generated and signed.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pppflow.domain.audit import canonical_json
from pppflow.domain.model import AgreementStatus, AgreementVersion, Partnership, SignOff
from pppflow.errors import NotAllowed, NotFound


def content_hash(p: Partnership) -> str:
    """SHA-256 of the agreement content as canonical JSON (workflow state is not content)."""
    from pppflow.domain.interchange import partnership_to_spec  # the spec's models only when content is hashed

    return hashlib.sha256(canonical_json(partnership_to_spec(p)).encode()).hexdigest()


def draft_text(v: AgreementVersion) -> str:
    """`draft: <why>` for a draft version (the reasons recorded when it was generated); '' for any other."""
    if v.status != AgreementStatus.DRAFT:
        return ""
    return "draft: " + ("; ".join(v.draft_reasons) if v.draft_reasons
                        else "generated before the framework was complete")


def version(p: Partnership, number: int) -> AgreementVersion:
    for v in p.agreements:
        if v.number == number:
            return v
    raise NotFound(f"partnership {p.ref!r} has no agreement version {number}",
                   details=[f"versions: {', '.join(str(v.number) for v in p.agreements) or 'none yet'}"])


def next_number(p: Partnership) -> int:
    return max((v.number for v in p.agreements), default=0) + 1


def stale_reasons(p: Partnership, v: AgreementVersion) -> list[str]:
    """Why version `v` no longer describes the partnership; empty while it does."""
    reasons = []
    if v.content_hash != content_hash(p):
        reasons.append(f"the partnership changed after version {v.number} was generated "
                       "(partners, goals, obligations, contributions or term)")
    if v.agreement_epoch != p.agreement_epoch:
        reasons.append(f"the partnership was renewed after version {v.number} was generated")
    return reasons


def signatures(p: Partnership, v: AgreementVersion) -> list[SignOff]:
    return [s for s in p.signoffs if s.agreement_version == v.number and s.document_hash == v.pdf_sha256]


def unsigned_partners(p: Partnership, v: AgreementVersion) -> list[str]:
    signed = {s.partner_key for s in signatures(p, v)}
    return [k for k in p.partner_keys if k not in signed]


def add_version(p: Partnership, v: AgreementVersion, *, actor: str, now: datetime) -> None:
    """Store a newly generated version; earlier unsigned versions are superseded."""
    if v.number != next_number(p):
        raise NotAllowed(f"agreement version {v.number} is out of sequence (next is {next_number(p)})")
    for old in p.agreements:
        if old.status in (AgreementStatus.DRAFT, AgreementStatus.FINAL):
            old.status = AgreementStatus.SUPERSEDED.value
    p.agreements.append(v)
    p.record("agreement.generate", actor=actor, now=now, before=None,
             after={"version": v.number, "status": v.status, "language": v.language, "pdf_sha256": v.pdf_sha256,
                    "template": v.template_name, "template_hash": v.template_hash,
                    **({"draft_reasons": v.draft_reasons} if v.draft_reasons else {})})


def latest_signable(p: Partnership) -> AgreementVersion:
    """The newest version awaiting signatures."""
    for v in sorted(p.agreements, key=lambda x: -x.number):
        if v.status == AgreementStatus.FINAL:
            return v
    raise NotAllowed(f"partnership {p.ref!r} has no agreement version awaiting signatures",
                     details=["generate one once the framework is complete"], hint="generate_agreement")


def signable(p: Partnership, number: int) -> AgreementVersion:
    """Version `number` if it can be signed now (final and up to date); else NotAllowed saying why."""
    v = version(p, number)
    if v.status == AgreementStatus.DRAFT:
        raise NotAllowed(f"version {number} is a draft and cannot be signed",
                         details=[draft_text(v), "fix that, then generate a new version"])
    if v.status in (AgreementStatus.SUPERSEDED, AgreementStatus.SIGNED):
        raise NotAllowed(f"version {number} is {v.status} and cannot be signed",
                         details=[f"the newest version is {max(x.number for x in p.agreements)}"])
    stale = stale_reasons(p, v)
    if stale:
        raise NotAllowed(f"version {number} is out of date and cannot be signed",
                         details=[*stale, "generate a new version"], hint="generate_agreement")
    return v


def signatory_partner(p: Partnership, signer: str) -> str | None:
    """The partner whose signatory has this name (a certificate's common name), if any."""
    for x in p.partners:
        if x.signatory_name and x.signatory_name.strip().casefold() == signer.strip().casefold():
            return x.key
    return None


def latest_revision(v: AgreementVersion) -> tuple[str, str, int | None]:
    """The newest signed revision of a version's PDF (path, SHA-256, length), or the PDF as generated."""
    if v.revisions:
        r = v.revisions[-1]
        return r["path"], r["sha256"], r["length"]
    return v.document_path, v.pdf_sha256, None


def add_revision(v: AgreementVersion, *, sha256: str, path: str, length: int, partner: str, signer: str) -> None:
    """Keep the hash of a newly signed revision (a new list: the JSON column sees only assignments)."""
    v.revisions = [*(v.revisions or []), {"sha256": sha256, "path": path, "length": length, "partner": partner,
                                          "signer": signer}]


def sign(p: Partnership, number: int, partner: str, name: str, title: str | None, *, actor: str, now: datetime,
         method: str = "recorded", certificate: str | None = None) -> SignOff:
    """Record a signatory's signature on one version; the version becomes signed when all partners signed."""
    v = signable(p, number)
    signoff = p.record_signoff(partner, name, title, actor=actor, now=now, method=method,
                               agreement_version=v.number, document_hash=v.pdf_sha256, certificate=certificate)
    if not unsigned_partners(p, v):
        for old in p.agreements:
            if old.status == AgreementStatus.SIGNED:
                old.status = AgreementStatus.SUPERSEDED.value
        v.status = AgreementStatus.SIGNED.value
        p.record("agreement.signed", actor=actor, now=now, before={"version": v.number, "status": "final"},
                 after={"version": v.number, "status": v.status, "pdf_sha256": v.pdf_sha256})
    return signoff


def signed_agreement_reasons(p: Partnership) -> list[str]:
    """Why there is no valid, fully signed agreement; empty when there is one."""
    if not p.agreements:
        return ["no agreement has been generated yet"]
    signed = [v for v in p.agreements if v.status == AgreementStatus.SIGNED]
    if signed:
        current = max(signed, key=lambda v: v.number)
        stale = stale_reasons(p, current)
        if not stale:
            return []
        pending = [v for v in p.agreements if v.status == AgreementStatus.FINAL]
        if not pending:
            return [f"signed version {current.number} is out of date: {r}; generate and sign a new version"
                    for r in stale]
    try:
        v = latest_signable(p)
    except NotAllowed:
        newest = max(p.agreements, key=lambda x: x.number)
        why = f" ({draft_text(newest)})" if newest.status == AgreementStatus.DRAFT else ""
        return [f"version {newest.number} is a {newest.status}{why}; generate a final version and have it signed"]
    reasons = stale_reasons(p, v)
    reasons += [f"version {v.number} is not yet signed for '{k}' ({p.partner(k).signatory_name or 'no signatory'})"
                for k in unsigned_partners(p, v)]
    return reasons
