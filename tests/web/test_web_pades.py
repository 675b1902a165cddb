"""Digital signatures in the web app: a .p12 upload in the signing form and the API, a copy signed elsewhere,
and the verify page and API listing each signature in the PDF. Real PDFs (WeasyPrint), a test CA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pki import PASSPHRASE, CertificateAuthority
from pppflow.adapters.documents.agreements import WeasyAgreementRenderer
from webapp import REF, close, csrf, make_web

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:HarfBuzz-Subset will be required:DeprecationWarning")]


@pytest.fixture
def real_web(tmp_path: Path) -> Any:
    w = make_web(tmp_path, renderer=WeasyAgreementRenderer())
    yield w
    close(w)


def test_sign_with_an_uploaded_certificate_attach_a_signed_copy_and_verify(real_web: Any) -> None:
    from pppflow.adapters.documents import pades

    web, ca = real_web, CertificateAuthority.create()
    web.import_example()
    web.agree_all_goals(REF)
    lex = web.api("lex")
    assert lex.post(f"/api/v1/partnerships/{REF}/agreements").json()["status"] == "final"

    r = lex.post(f"/api/v1/partnerships/{REF}/agreements/1/digital-signatures",
                 data={"partner": "hanze", "name": "Henk Visser", "passphrase": PASSPHRASE.decode()},
                 files={"certificate": ("x.p12", ca.issue_p12("Mallory"), "application/x-pkcs12")})
    assert r.status_code == 409 and "issued to 'Mallory'" in r.json()["message"]
    r = lex.post(f"/api/v1/partnerships/{REF}/agreements/1/digital-signatures",
                 data={"partner": "hanze", "name": "Henk Visser", "passphrase": PASSPHRASE.decode()},
                 files={"certificate": ("h.p12", ca.issue_p12("Henk Visser"), "application/x-pkcs12")})
    assert r.status_code == 200, r.text
    [sig] = r.json()["signatures"]
    assert sig["method"] == "digital" and "Henk Visser" in sig["certificate"]

    # the signing form: a certificate upload signs the PDF itself
    c = web.browser("lex")
    token = csrf(c.get(f"/partnerships/{REF}/agreements"))
    r = c.post(f"/partnerships/{REF}/agreements/signoffs",
               data={"csrf_token": token, "partner": "noorderpoort", "name": "Anja Bakker",
                     "passphrase": "wrong"},
               files={"certificate": ("a.p12", ca.issue_p12("Anja Bakker"), "application/x-pkcs12")})
    assert r.status_code == 422 and "could not be opened" in r.text
    r = c.post(f"/partnerships/{REF}/agreements/signoffs",
               data={"csrf_token": token, "partner": "noorderpoort", "name": "Anja Bakker",
                     "passphrase": PASSPHRASE.decode()},
               files={"certificate": ("a.p12", ca.issue_p12("Anja Bakker"), "application/x-pkcs12")})
    assert r.status_code == 200 and "noorderpoort signed version 1" in r.text

    detail = lex.get(f"/api/v1/partnerships/{REF}/agreements/1").json()
    assert [s["method"] for s in detail["signatures"]] == ["digital", "digital"]
    with web.desk.uow_factory() as uow:
        v = uow.partnerships.get(REF).agreements[0]
        latest = web.store.get(v.revisions[-1]["path"])
    joost = pades.load_signer(ca.issue_p12("Joost Meijer"), PASSPHRASE)
    elsewhere = pades.sign(latest, joost, field_name="Techbedrijf")
    r = c.post(f"/partnerships/{REF}/agreements/signed-copy", data={"csrf_token": token},
               files={"file": ("s.pdf", elsewhere, "application/pdf")})
    assert r.status_code == 200 and "signed for techbedrijf" in r.text
    mallory = pades.load_signer(ca.issue_p12("Mallory"), PASSPHRASE)
    r = lex.post(f"/api/v1/partnerships/{REF}/agreements/1/signed-copies",
                 files={"file": ("m.pdf", pades.sign(elsewhere, mallory, field_name="M"), "application/pdf")})
    assert r.status_code == 409 and "'Mallory' is not a signatory" in r.json()["message"]

    report = lex.post("/api/v1/agreements/verify", files={"file": ("s.pdf", elsewhere)}).json()
    assert report["ok"] and report["version"] == 1
    assert [s["signer"] for s in report["pdf_signatures"]] == ["Henk Visser", "Anja Bakker", "Joost Meijer"]
    assert {s["trust"] for s in report["pdf_signatures"]} == {"not checked against a trust list"}
    flipped = bytearray(elsewhere)
    flipped[len(flipped) // 3] ^= 0x01
    report = lex.post("/api/v1/agreements/verify", files={"file": ("f.pdf", bytes(flipped))}).json()
    assert report["ok"] is False
    r = c.post(f"/partnerships/{REF}/agreements/verify", data={"csrf_token": token},
               files={"file": ("s.pdf", elsewhere, "application/pdf")})
    assert r.status_code == 200 and "Signatures in the PDF" in r.text and "Joost Meijer" in r.text
    assert "not checked against a trust list" in r.text
