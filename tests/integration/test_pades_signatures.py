"""PAdES signatures on real agreement PDFs: sign, second signature, external copy, tampering, refusals.

The test CA and the signers' certificates are made here with `cryptography` (tests/pki.py, no network). Every
signed file is validated with pyHanko directly, independently of pppflow's own checks, and its PDF/A-3
identification, output intent and embedded agreement.json are read back with pikepdf.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from factories import NOW, SIGNATORIES, ready
from pki import PASSPHRASE, CertificateAuthority
from pppflow.adapters.documents.agreements import WeasyAgreementRenderer
from pppflow.adapters.documents.store import FileDocumentStore
from pppflow.domain.agreement import versions as av
from pppflow.errors import ConflictError, NotAllowed
from pppflow.services import agreement_signatures as sigs
from pppflow.services import agreements

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:HarfBuzz-Subset will be required:DeprecationWarning")]


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create()


@dataclass
class Desk:
    ref: str
    number: int
    uow_factory: Any
    store: FileDocumentStore
    renderer: WeasyAgreementRenderer
    ca: CertificateAuthority
    policy: sigs.SignaturePolicy

    def sign(self, partner: str, name: str | None = None, p12: bytes | None = None) -> agreements.VersionDetail:
        name = name or SIGNATORIES[partner]
        return sigs.sign_with_certificate(
            self.ref, self.number, partner, name, p12=p12 or self.ca.issue_p12(name), passphrase=PASSPHRASE,
            uow_factory=self.uow_factory, renderer=self.renderer, store=self.store, actor="legal", now=NOW,
            policy=self.policy)

    def attach(self, data: bytes) -> tuple[agreements.VersionDetail, list[str]]:
        return sigs.attach_signed(self.ref, self.number, data, uow_factory=self.uow_factory,
                                  renderer=self.renderer, store=self.store, actor="legal", now=NOW,
                                  policy=self.policy)

    def version(self):  # type: ignore[no-untyped-def]
        return agreements.show_version(self.ref, self.number, uow=self.uow_factory()).version

    def latest(self) -> bytes:
        path, _, length = av.latest_revision(self.version())
        return self.store.get(path)[:length]

    def original(self) -> bytes:
        return self.store.get(self.version().document_path)


def _desk(uow_factory: Any, tmp_path: Path, ca: CertificateAuthority, ref: str = "pact") -> Desk:
    with uow_factory() as uow:
        uow.partnerships.add(ready("framework_agreed", ref=ref))
        uow.commit()
    store, renderer = FileDocumentStore(tmp_path / "documents"), WeasyAgreementRenderer()
    g = agreements.generate_agreement(ref, uow_factory=uow_factory, renderer=renderer, store=store, actor="legal",
                                      now=NOW)
    assert g.version.status == "final"
    return Desk(ref, g.version.number, uow_factory, store, renderer, ca, sigs.SignaturePolicy())


@pytest.fixture
def desk(tmp_path: Path, ca: CertificateAuthority) -> Desk:
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork

    factory = session_factory(f"sqlite:///{tmp_path / 'pppflow.db'}")
    yield _desk(lambda: SqlUnitOfWork(factory), tmp_path, ca)
    factory.kw["bind"].dispose()


def independent_check(data: bytes, ca: CertificateAuthority) -> list[Any]:
    """pyHanko's own validation, with the test CA as the only trust root."""
    root = asn1_x509.Certificate.load(ca.cert.public_bytes(__import__("cryptography.hazmat.primitives.serialization",
                                                                      fromlist=["Encoding"]).Encoding.DER))
    reader = PdfFileReader(io.BytesIO(data))
    return [validate_pdf_signature(s, ValidationContext(trust_roots=[root])) for s in reader.embedded_signatures]


def assert_pdfa_survives(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        assert len(pdf.Root.OutputIntents) >= 1
        assert "agreement.json" in pdf.attachments
        assert str(pdf.docinfo.Producer) == meta.get("pdf:Producer")  # PDF/A: Info and XMP agree


def test_two_signatories_sign_as_revisions_and_pyhanko_validates_both(uow_factory: Any, tmp_path: Path,
                                                                      ca: CertificateAuthority) -> None:
    d = _desk(uow_factory, tmp_path, ca)
    original = d.original()
    d.sign("noorderpoort")
    detail = d.sign("hanze")
    data = d.latest()
    assert data[:len(original)] == original  # incremental: the generated PDF is the first revision, untouched
    statuses = independent_check(data, ca)
    assert [s.signing_cert.subject.native["common_name"] for s in statuses] == ["Anja Bakker", "Henk Visser"]
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    assert_pdfa_survives(data)
    v = detail.version
    assert [r["partner"] for r in v.revisions] == ["noorderpoort", "hanze"]
    assert v.revisions[-1]["sha256"] == agreements.sha256(data)
    assert [(s.partner_key, s.method) for s in detail.signatures] == [("noorderpoort", "digital"), ("hanze", "digital")]
    assert "Anja Bakker" in detail.signatures[0].certificate
    with uow_factory() as uow:  # the history says how each partner signed
        events = [json.loads(e.after) for e in uow.audit.entries(d.ref) if e.action == "signoff.record"]
    assert events[-1]["method"] == "digital" and "Henk Visser" in events[-1]["certificate"]

    report = sigs.verify_signatures(data, uow=uow_factory(), policy=d.policy)
    assert report.ok and report.document.version == d.number and report.document.copy == "signed revision"
    assert [c.coverage for c in report.signatures] == ["entire revision", "entire file"]
    assert all(c.trusted is None for c in report.signatures)  # no trust list configured

    flipped = bytearray(data)
    flipped[len(original) // 2] ^= 0x01
    report = sigs.verify_signatures(bytes(flipped), uow=uow_factory(), policy=d.policy)
    assert not report.ok and [c.intact for c in report.signatures] == [False, False]


def test_every_signatory_signing_completes_the_version_and_the_guard(desk: Desk, tmp_path: Path) -> None:
    seal_ca = CertificateAuthority.create("Seal CA")
    from pppflow.adapters.documents import pades

    desk.policy = sigs.SignaturePolicy(seal=pades.load_signer(seal_ca.issue_p12("pppflow desk"), PASSPHRASE))
    for partner in SIGNATORIES:
        detail = desk.sign(partner)
    v = detail.version
    assert v.status == "signed" and detail.unsigned == []
    executed = desk.store.get(v.signed_document_path)
    assert executed.startswith(desk.latest())  # the signed PDF itself, sealed as one more revision
    names = [s.signing_cert.subject.native["common_name"] for s in independent_check(executed, desk.ca)[:4]]
    assert names == list(SIGNATORIES.values())
    assert pades.check_signatures(executed, None)[-1].signer == "pppflow desk"
    with desk.uow_factory() as uow:
        assert av.signed_agreement_reasons(uow.partnerships.get(desk.ref)) == []
    report = sigs.verify_signatures(executed, uow=desk.uow_factory(), policy=desk.policy)
    assert report.ok and report.document.copy == "executed" and len(report.signatures) == 5


def test_a_certificate_of_someone_else_or_a_non_signatory_is_refused(desk: Desk) -> None:
    with pytest.raises(NotAllowed, match="issued to 'Mallory'"):
        desk.sign("hanze", "Henk Visser", p12=desk.ca.issue_p12("Mallory"))
    with pytest.raises(NotAllowed, match="not the signatory"):
        desk.sign("hanze", "Mallory", p12=desk.ca.issue_p12("Mallory"))
    assert desk.version().revisions == []


def test_externally_signed_copy_is_attached_and_signer_read_from_the_certificate(desk: Desk) -> None:
    from pppflow.adapters.documents import pades

    desk.sign("noorderpoort")
    downloaded = desk.latest()
    joost = pades.load_signer(desk.ca.issue_p12("Joost Meijer"), PASSPHRASE)
    signed_elsewhere = pades.sign(downloaded, joost, field_name="QES")
    detail, partners = desk.attach(signed_elsewhere)
    assert partners == ["techbedrijf"]
    assert [s.partner_key for s in detail.signatures] == ["noorderpoort", "techbedrijf"]
    assert desk.latest() == signed_elsewhere
    assert all(s.intact for s in independent_check(signed_elsewhere, desk.ca))
    with pytest.raises(NotAllowed, match="already signed"):
        desk.attach(pades.sign(signed_elsewhere, joost, field_name="QES2"))


def test_attach_refuses_a_non_signatory_a_broken_signature_and_another_version(desk: Desk, tmp_path: Path,
                                                                               ca: CertificateAuthority) -> None:
    from pppflow.adapters.documents import pades

    original = desk.original()
    mallory = pades.load_signer(ca.issue_p12("Mallory"), PASSPHRASE)
    with pytest.raises(NotAllowed, match="'Mallory' is not a signatory"):
        desk.attach(pades.sign(original, mallory, field_name="X"))

    anja = pades.load_signer(ca.issue_p12("Anja Bakker"), PASSPHRASE)
    broken = bytearray(pades.sign(original, anja, field_name="X"))
    at = broken.index(b"/XYZ ", len(original)) + 6  # a digit of a link target in the signed revision
    broken[at:at + 1] = b"3" if broken[at:at + 1] != b"3" else b"4"
    with pytest.raises(NotAllowed, match="not intact: Anja Bakker"):
        desk.attach(bytes(broken))

    with pytest.raises(NotAllowed, match="first revision is not version"):
        other = desk.original().replace(b"%%EOF", b"%%EOF ", 1)  # not byte for byte that version's PDF
        desk.attach(pades.sign(other, anja, field_name="X"))
    assert desk.version().revisions == []

    # a second partnership's version, signed by a genuine signatory: its first revision is another version
    other_desk = _desk(desk.uow_factory, tmp_path / "other", ca, ref="pact-2")
    with pytest.raises(NotAllowed, match="first revision is not version") as refused:
        desk.attach(pades.sign(other_desk.original(), anja, field_name="X"))
    assert "it starts with version 2 of 'pact-2'" in refused.value.details[0]


def test_a_copy_signed_from_an_older_revision_is_a_conflict(desk: Desk, ca: CertificateAuthority) -> None:
    from pppflow.adapters.documents import pades

    original = desk.original()
    desk.sign("noorderpoort")
    henk = pades.load_signer(ca.issue_p12("Henk Visser"), PASSPHRASE)
    with pytest.raises(ConflictError, match="older copy"):
        desk.attach(pades.sign(original, henk, field_name="X"))


def test_a_page_changed_after_a_signature_breaks_it_even_if_someone_signs_after(desk: Desk,
                                                                                ca: CertificateAuthority) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from pppflow.adapters.documents import pades

    desk.sign("noorderpoort")
    writer = IncrementalPdfFileWriter(io.BytesIO(desk.latest()), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[generic.NameObject("/Rotate")] = generic.NumberObject(90)  # content of the signed revision changes
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    henk = pades.load_signer(ca.issue_p12("Henk Visser"), PASSPHRASE)
    tampered = pades.sign(out.getvalue(), henk, field_name="X")
    checks = pades.check_signatures(tampered, None)
    assert [(c.signer, c.intact, c.modifications) for c in checks] == [
        ("Anja Bakker", False, "other"), ("Henk Visser", True, "none")]
    with pytest.raises(NotAllowed, match="not intact: Anja Bakker"):
        desk.attach(tampered)
    assert not sigs.verify_signatures(tampered, uow=desk.uow_factory(), policy=desk.policy).ok


def test_the_indexed_reader_reads_every_object_as_pyhanko_does(desk: Desk) -> None:
    """IndexedPdfReader only finds objects in an object stream faster: every object reads the same."""
    from pyhanko.pdf_utils import generic

    from pppflow.adapters.documents.pades_reader import IndexedPdfReader

    data = desk.original()
    plain, indexed = PdfFileReader(io.BytesIO(data), strict=False), IndexedPdfReader(io.BytesIO(data), strict=False)
    size = int(plain.trailer["/Size"])
    assert size > 500  # a tagged agreement: hundreds of objects, most of them in one object stream
    for number in range(1, size):
        ref = generic.Reference(number, 0)
        assert indexed.get_object(ref) == plain.get_object(ref), number
