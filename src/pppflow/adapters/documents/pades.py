"""PAdES signatures in agreement PDFs, with pyHanko: sign as an incremental update, and check every signature.

Importing this module imports pyHanko (about half a second): import it lazily, inside the services that sign or
verify. A signature is added as a new revision, so the bytes signed before stay a byte prefix of the file; the
PDF/A-3 identification, the output intent and the embedded `agreement.json` are left as they were. pyHanko writes
its name into the XMP Producer but appends it to the Info Producer; PDF/A needs both equal, so the Info entry is
set to the same value before signing.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from pppflow.adapters.documents.pades_reader import IndexedPdfReader
from pppflow.errors import BadInput, ConfigError

# Modifications after a signature that keep it binding: none, timestamps/validation data, filling signature fields.
_HARMLESS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
_COVERAGE = {SignatureCoverageLevel.ENTIRE_FILE: "entire file",
             SignatureCoverageLevel.ENTIRE_REVISION: "entire revision"}


@dataclass(frozen=True)
class CertificateSigner:
    """A signing key and its certificate, loaded from a PKCS#12 file (never stored)."""

    signer: signers.SimpleSigner
    common_name: str
    subject: str


@dataclass(frozen=True)
class SignatureCheck:
    """What one embedded signature proves."""

    field: str
    signer: str            # the certificate subject's common name
    subject: str           # the full certificate subject
    signed_at: datetime | None
    intact: bool           # digest matches, signature valid, and nothing but form filling changed after it
    coverage: str          # "entire file", "entire revision" or "partial"
    modifications: str     # what changed after it: none, lta_updates, form_filling, annotations, other
    trusted: bool | None   # None: no trust list configured
    timestamped: bool
    revision_end: int      # byte offset where the revision it signs ends


def load_signer(p12: bytes, passphrase: bytes | None) -> CertificateSigner:
    """The key and certificate in a .p12 file; a wrong passphrase or a file that is not PKCS#12 is bad input."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(p12, passphrase)
    except (ValueError, TypeError) as exc:
        raise BadInput("the certificate file could not be opened",
                       details=["expected a PKCS#12 (.p12/.pfx) file and its passphrase "
                                "(--passphrase-stdin when it has one)"]) from exc
    if key is None or cert is None:
        raise BadInput("the certificate file holds no signing key and certificate")
    der = serialization.NoEncryption()
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, der)
    from asn1crypto import keys

    signing_cert = x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=_registry([c.public_bytes(serialization.Encoding.DER) for c in extra]))
    name = signing_cert.subject.native.get("common_name", "")
    return CertificateSigner(signer, name if isinstance(name, str) else name[0], signing_cert.subject.human_friendly)


def _registry(ders: list[bytes]) -> Any:
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return SimpleCertificateStore.from_certs([x509.Certificate.load(d) for d in ders])


def sign(pdf: bytes, who: CertificateSigner, *, field_name: str, tsa_url: str | None = None,
         reason: str | None = None) -> bytes:
    """Add a PAdES signature (B-B, or B-T with a timestamp from tsa_url) as an incremental update."""
    stream = io.BytesIO(pdf)
    writer = IncrementalPdfFileWriter(stream, prev=IndexedPdfReader(stream, strict=False), strict=False)
    info = generic.DictionaryObject(dict(writer.trailer["/Info"].items())) if "/Info" in writer.trailer \
        else generic.DictionaryObject()
    info[generic.NameObject("/Producer")] = generic.TextStringObject(VENDOR)
    writer.set_info(info)
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES,
                                        reason=reason, use_pades_lta=False)
    stamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    out = signers.sign_pdf(writer, meta, signer=who.signer, timestamper=stamper,
                           new_field_spec=fields.SigFieldSpec(sig_field_name=field_name),
                           bytes_reserved=16384 if tsa_url else 8192)
    signed: bytes = out.getvalue()  # sign_pdf is typed to return an IO of Any
    return signed


def load_trust_roots(path: Path) -> list[x509.Certificate]:
    """The certificates of a PEM (or DER) trust list; a missing or empty file is a configuration error."""
    from pyhanko.keys import load_certs_from_pemder

    try:
        roots = list(load_certs_from_pemder([str(path)]))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"PPPFLOW_TRUST_ROOTS: cannot read certificates from {path}: {exc}") from exc
    if not roots:
        raise ConfigError(f"PPPFLOW_TRUST_ROOTS: {path} holds no certificate")
    return roots


def check_signatures(pdf: bytes, trust_roots: list[x509.Certificate] | None) -> list[SignatureCheck]:
    """Validate every embedded signature (none: an empty list); trusted is None when no trust roots are given.

    The file is parsed once, and one validation context serves every signature. It never fetches anything
    (no revocation checks over the network); without trust roots each signer's own certificate is its root, so
    the cryptographic check still runs and `trusted` says nothing.
    """
    try:
        reader = IndexedPdfReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # a damaged file: report it as bad input, not a traceback
        raise BadInput(f"the file is not a readable PDF: {type(exc).__name__}: {exc}") from exc
    if not embedded:
        return []
    context = ValidationContext(trust_roots=trust_roots or _signer_certs(embedded), allow_fetching=False)
    return [_check(sig, context, bool(trust_roots), reader) for sig in embedded]


# What a later revision may change without touching what an earlier signature signed (PAdES form filling):
_SIGNATURE_TYPES = ("/Sig", "/DocTimeStamp", "/XRef", "/Metadata")
_INFO_KEYS = {"/Producer", "/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/CreationDate", "/ModDate"}
_FORM_KEYS = {"/Fields", "/SigFlags", "/DA", "/DR", "/NeedAppearances"}
_MAY_CHANGE = {"/Catalog": {"/AcroForm", "/Metadata", "/DSS", "/Perms"}, "/Page": {"/Annots"}}


def _same_except(old: Any, new: Any, keys: set[str]) -> bool:
    if not isinstance(old, generic.DictionaryObject):
        return False
    names = (set(old.keys()) | set(new.keys())) - keys
    return all(old.raw_get(k) == new.raw_get(k) if k in old and k in new else False for k in names)


def _harmless_change(ref: Any, old_resolver: Any, new_resolver: Any) -> bool:
    new = new_resolver(ref)
    if not isinstance(new, generic.DictionaryObject):
        return False
    kind = new.get("/Type")
    if kind in _SIGNATURE_TYPES or (kind == "/Annot" and new.get("/FT") == "/Sig"):
        return True
    if kind is None and "/Fields" in new:
        return set(new.keys()) <= _FORM_KEYS
    if kind is None and set(new.keys()) <= _INFO_KEYS:
        return True
    try:
        old = old_resolver(ref)
    except Exception:  # noqa: BLE001 - the object did not exist yet: only signature objects may be new
        return False
    return kind in _MAY_CHANGE and _same_except(old, new, _MAY_CHANGE[kind])


def later_changes(reader: Any, signed_revision: int) -> ModificationLevel:
    """FORM_FILLING when every revision after `signed_revision` only adds signatures; OTHER otherwise.

    pyHanko's own difference analysis does this too, but walks the whole object graph per revision: on a tagged
    PDF (a structure tree of thousands of objects) two signatures took minutes. This check looks only at the
    objects each later revision rewrote.
    """
    total = reader.xrefs.total_revisions
    if signed_revision >= total - 1:
        return ModificationLevel.NONE
    before = reader.get_historical_resolver(signed_revision)
    for rev in range(signed_revision + 1, total):
        after = reader.get_historical_resolver(rev)
        for ref in reader.xrefs.explicit_refs_in_revision(rev):
            if not _harmless_change(ref, lambda r: before(r).get_object(),
                                    lambda r, after=after: after(r).get_object()):
                return ModificationLevel.OTHER
    return ModificationLevel.FORM_FILLING


def _signer_certs(embedded: list[Any]) -> list[x509.Certificate]:
    certs = []
    for sig in embedded:
        try:
            certs.append(sig.signer_cert)
        except Exception:  # noqa: BLE001 - a broken signature has no certificate; _check reports it
            continue
    return certs


def _check(sig: Any, context: ValidationContext, trust_list: bool, reader: Any) -> SignatureCheck:
    try:
        cert = sig.signer_cert
    except Exception:  # noqa: BLE001 - no readable certificate: not intact, signer unknown
        return SignatureCheck(field=str(sig.field_name), signer="(unreadable)", subject="(unreadable)", signed_at=None,
                              intact=False, coverage="partial", modifications="other",
                              trusted=False if trust_list else None, timestamped=False, revision_end=0)
    logger = logging.getLogger("pyhanko_certvalidator")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # an untrusted chain is reported in the result, not as a logged traceback
    try:
        st = validate_pdf_signature(sig, context, skip_diff=True)
        intact, valid, coverage = st.intact, st.valid, st.coverage
        level_mod = later_changes(reader, sig.signed_revision)
        trusted = bool(st.trusted) if trust_list else None
        signed_at = st.signer_reported_dt
        stamped = st.timestamp_validity is not None
    except Exception:  # noqa: BLE001 - a signature pyHanko cannot even evaluate is not intact
        intact = valid = stamped = False
        coverage, level_mod, trusted, signed_at = None, ModificationLevel.OTHER, (False if trust_list else None), None
    finally:
        logger.setLevel(level)
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        level_mod = ModificationLevel.NONE
    modifications = (level_mod or ModificationLevel.OTHER).name.lower()
    name = cert.subject.native.get("common_name", "")
    return SignatureCheck(
        field=sig.field_name, signer=name if isinstance(name, str) else name[0], subject=cert.subject.human_friendly,
        signed_at=signed_at, intact=bool(intact and valid and (level_mod in _HARMLESS)),
        coverage=_COVERAGE.get(coverage, "partial") if coverage is not None else "partial",
        modifications=modifications, trusted=trusted,
        timestamped=bool(stamped), revision_end=int(sig.byte_range[2]) + int(sig.byte_range[3]))
