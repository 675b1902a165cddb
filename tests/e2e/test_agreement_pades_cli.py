"""`pppflow agreement sign --certificate`, `attach-signed` and `verify` on real PDFs, through the real command."""

from __future__ import annotations

from pathlib import Path

import pytest

from pki import PASSPHRASE, CertificateAuthority
from test_agreement_cli import REF, SIGNATORIES, framework_agreed

pytestmark = [pytest.mark.slow]


def test_sign_with_certificates_verify_tamper_and_attach_a_copy_signed_elsewhere(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ca = CertificateAuthority.create()
    cli.env["PPPFLOW_TRUST_ROOTS"] = str(ca.write_pem(tmp_path / "roots.pem"))
    framework_agreed(cli)
    assert cli("agreement", "generate", REF).code == 0
    anja = tmp_path / "anja.p12"
    anja.write_bytes(ca.issue_p12("Anja Bakker"))

    r = cli("agreement", "sign", REF, "1", "--partner", "noorderpoort", "--name", "Anja Bakker",
            "--certificate", str(anja), "--passphrase-stdin", stdin="wrong\n")
    assert r.code == 2 and "could not be opened" in r.err
    r = cli("agreement", "sign", REF, "1", "--partner", "hanze", "--name", "Henk Visser",
            "--certificate", str(anja), "--passphrase-stdin", stdin=PASSPHRASE.decode() + "\n")
    assert r.code == 1 and "issued to 'Anja Bakker'" in r.err
    r = cli("agreement", "sign", REF, "1", "--partner", "noorderpoort", "--name", "Anja Bakker",
            "--certificate", str(anja), "--passphrase-stdin", stdin=PASSPHRASE.decode() + "\n")
    assert r.code == 0, r.err
    shown = cli("agreement", "show", REF, "1", "--json").json()
    [revision] = shown["revisions"]
    assert (revision["partner"], shown["signatures"][0]["method"]) == ("noorderpoort", "digital")
    signed = [cli.home / "documents" / revision["path"]]

    r = cli("agreement", "verify", str(signed[0]), "--json")
    assert r.code == 0, r.out
    report = r.json()
    assert (report["version"], report["copy"], report["ok"]) == (1, "signed revision", True)
    [sig] = report["pdf_signatures"]
    assert (sig["signer"], sig["intact"], sig["coverage"], sig["trusted"]) == ("Anja Bakker", True, "entire file", True)
    r = cli("agreement", "verify", str(signed[0]))
    assert r.code == 0 and "Anja Bakker" in r.out and "intact" in r.out and "trusted" in r.out

    tampered = tmp_path / "tampered.pdf"
    data = bytearray(signed[0].read_bytes())
    data[len(data) // 3] ^= 0x01
    tampered.write_bytes(bytes(data))
    r = cli("agreement", "verify", str(tampered), "--json")
    assert r.code == 1 and not r.json()["ok"]

    del cli.env["PPPFLOW_TRUST_ROOTS"]
    r = cli("agreement", "verify", str(signed[0]))
    assert r.code == 0 and "not checked against a trust list" in r.out

    # Henk signs with his own tool; pppflow reads who signed from the certificate
    from pppflow.adapters.documents import pades

    henk = pades.load_signer(ca.issue_p12("Henk Visser"), PASSPHRASE)
    elsewhere = tmp_path / "from-hanze.pdf"
    elsewhere.write_bytes(pades.sign(signed[0].read_bytes(), henk, field_name="Hanze"))
    r = cli("agreement", "attach-signed", REF, "1", str(elsewhere), "--json")
    assert r.code == 0, r.err
    assert r.json()["signed_for"] == ["hanze"]
    shown = cli("agreement", "show", REF, "1", "--json").json()
    assert shown["status"] == "final"
    r = cli("agreement", "attach-signed", REF, "1", str(signed[0]))
    assert r.code == 4  # an older copy: the newest one has Henk's signature too

    for partner in ("techbedrijf", "provincie"):
        r = cli("agreement", "sign", REF, "1", "--partner", partner, "--name", SIGNATORIES[partner],
                "--method", "wet-ink")
        assert r.code == 0, r.err
    assert cli("partnership", "advance", REF, "start_investment").code == 0


def test_export_a_version_as_word(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    framework_agreed(cli)
    assert cli("agreement", "generate", REF).code == 0
    out = tmp_path / "pact.docx"
    r = cli("agreement", "export", REF, "1", "--format", "docx", "--out", str(out))
    assert r.code == 0, r.err
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Artikel 1 Begripsbepalingen" in text and "Noordelijk Techbedrijf B.V." in text
    assert cli("agreement", "export", REF, "1", "--format", "odt").code == 2
    assert cli("agreement", "export", REF, "9").code == 3
