"""Agreement versions and their signatures: which version is current, signed, stale or superseded.

A version is signed against its PDF's SHA-256. It stays valid only while the partnership's agreement content
(the pppflow/v1 spec: partners, goals, obligations, contributions, term, ...) is unchanged and no trigger that
invalidates agreements (a renewal) has fired since; otherwise a new version must be generated and signed.

Versions are per language: a courtesy translation (`translation_of` set) never supersedes its original nor is it
signed; its status follows its original's (set together here), and the guard looks at originals only.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pppflow.domain.agreement.languages import NAMES, governing_language, is_translation, languages_of
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


def originals(p: Partnership) -> list[AgreementVersion]:
    """The versions that can be signed (in the governing language, alone or beside others), oldest first."""
    return [v for v in p.agreements if not is_translation(v)]


def translations(p: Partnership, number: int) -> list[AgreementVersion]:
    return [v for v in p.agreements if v.translation_of == number]


def set_status(p: Partnership, v: AgreementVersion, status: AgreementStatus) -> None:
    """Change an original's status; its translations follow it."""
    for x in (v, *translations(p, v.number)):
        x.status = status.value


def original_to_translate(p: Partnership, *, content: str, epoch: int) -> AgreementVersion:
    """The newest original a translation of today's content translates; NotAllowed when there is none."""
    for v in sorted(originals(p), key=lambda x: -x.number):
        if v.status != AgreementStatus.SUPERSEDED and v.content_hash == content and v.agreement_epoch == epoch:
            return v
    lang = governing_language(p)
    raise NotAllowed(f"there is no current version in the governing language ({lang}) to translate",
                     details=[f"a version in another language is a translation of the {NAMES.get(lang, lang)} "
                              "original: generate that first", f"pppflow agreement generate {p.ref} --lang {lang}"],
                     hint="generate_agreement")


def add_version(p: Partnership, v: AgreementVersion, *, actor: str, now: datetime) -> None:
    """Store a newly generated version. A new original supersedes the earlier unsigned originals (and their
    translations); a translation supersedes only earlier translations of its original into the same language."""
    if v.number != next_number(p):
        raise NotAllowed(f"agreement version {v.number} is out of sequence (next is {next_number(p)})")
    if is_translation(v):
        original = version(p, v.translation_of)  # type: ignore[arg-type]
        if is_translation(original) or original.content_hash != v.content_hash:
            raise NotAllowed(f"version {v.number} cannot translate version {original.number}: not the same content")
        for old in translations(p, original.number):
            if old.language == v.language:
                old.status = AgreementStatus.SUPERSEDED.value
        v.status, v.draft_reasons = original.status, list(original.draft_reasons or [])
    else:
        for old in originals(p):
            if old.status in (AgreementStatus.DRAFT, AgreementStatus.FINAL):
                set_status(p, old, AgreementStatus.SUPERSEDED)
    p.agreements.append(v)
    p.record("agreement.generate", actor=actor, now=now, before=None,
             after={"version": v.number, "status": v.status, "language": v.language, "pdf_sha256": v.pdf_sha256,
                    "template": v.template_name, "template_hash": v.template_hash,
                    **({"draft_reasons": v.draft_reasons} if v.draft_reasons else {}),
                    **({"translation_of": v.translation_of} if is_translation(v) else {})})


def latest_signable(p: Partnership) -> AgreementVersion:
    """The newest original awaiting signatures."""
    for v in sorted(originals(p), key=lambda x: -x.number):
        if v.status == AgreementStatus.FINAL:
            return v
    raise NotAllowed(f"partnership {p.ref!r} has no agreement version awaiting signatures",
                     details=["generate one once the framework is complete"], hint="generate_agreement")


def signable(p: Partnership, number: int) -> AgreementVersion:
    """Version `number` if it can be signed now (final and up to date); else NotAllowed saying why."""
    v = version(p, number)
    if is_translation(v):
        original = version(p, v.translation_of)  # type: ignore[arg-type]
        names = "/".join(NAMES.get(x, x) for x in languages_of(original))
        raise NotAllowed(f"version {number} is a translation of version {original.number} and cannot be signed",
                         details=[f"sign version {original.number} (the {names} original): the "
                                  f"{NAMES.get(governing_language(p), governing_language(p))} text governs",
                                  f"version {original.number} is {original.status}"])
    if v.status == AgreementStatus.DRAFT:
        raise NotAllowed(f"version {number} is a draft and cannot be signed",
                         details=[draft_text(v), "fix that, then generate a new version"])
    if v.status in (AgreementStatus.SUPERSEDED, AgreementStatus.SIGNED):
        raise NotAllowed(f"version {number} is {v.status} and cannot be signed",
                         details=[f"the newest version is {max(x.number for x in originals(p))}"])
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
        for old in originals(p):
            if old.status == AgreementStatus.SIGNED:
                set_status(p, old, AgreementStatus.SUPERSEDED)
        set_status(p, v, AgreementStatus.SIGNED)
        p.record("agreement.signed", actor=actor, now=now, before={"version": v.number, "status": "final"},
                 after={"version": v.number, "status": v.status, "pdf_sha256": v.pdf_sha256})
    return signoff


def signed_agreement_reasons(p: Partnership) -> list[str]:
    """Why there is no valid, fully signed agreement; empty when there is one (translations do not count)."""
    if not originals(p):
        return ["no agreement has been generated yet" if not p.agreements else
                f"no version in the governing language ({governing_language(p)}) has been generated yet"]
    signed = [v for v in originals(p) if v.status == AgreementStatus.SIGNED]
    if signed:
        current = max(signed, key=lambda v: v.number)
        stale = stale_reasons(p, current)
        if not stale:
            return []
        pending = [v for v in originals(p) if v.status == AgreementStatus.FINAL]
        if not pending:
            return [f"signed version {current.number} is out of date: {r}; generate and sign a new version"
                    for r in stale]
    try:
        v = latest_signable(p)
    except NotAllowed:
        newest = max(originals(p), key=lambda x: x.number)
        why = f" ({draft_text(newest)})" if newest.status == AgreementStatus.DRAFT else ""
        return [f"version {newest.number} is a {newest.status}{why}; generate a final version and have it signed"]
    reasons = stale_reasons(p, v)
    reasons += [f"version {v.number} is not yet signed for '{k}' ({p.partner(k).signatory_name or 'no signatory'})"
                for k in unsigned_partners(p, v)]
    return reasons
