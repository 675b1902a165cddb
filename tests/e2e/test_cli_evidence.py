"""`pppflow obligation attach`: the file is checked by content and size (exit 2, nothing stored), a partner's
obligation only for that partner (exit 1), and an accepted file is stored by its SHA-256 and audited."""

from __future__ import annotations

import hashlib
import shutil

from factories import FIXTURES

EXAMPLE = str(FIXTURES / "smart-industry-pact.yaml")
REF = "smart-industry-technician-pact"


def test_attach_refuses_bad_files_and_stores_a_good_one(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert cli("partnership", "import", EXAMPLE).code == 0
    tool = tmp_path / "report.pdf"
    shutil.copy("/bin/true", tool)  # an executable renamed .pdf
    report = tmp_path / "progress.pdf"
    report.write_bytes(b"%PDF-1.7\n% progress\n%%EOF\n")
    r = cli("obligation", "attach", REF, "research", str(tool))
    assert r.code == 2 and "not a PDF, PNG, JPEG or plain-text" in r.err
    cli.env["PPPFLOW_EVIDENCE_MAX_BYTES"] = "10"
    r = cli("obligation", "attach", REF, "research", str(report))
    assert r.code == 2 and "too big" in r.err
    del cli.env["PPPFLOW_EVIDENCE_MAX_BYTES"]
    r = cli("obligation", "attach", REF, "research", str(report), "--partner", "noorderpoort")
    assert r.code == 1 and "owned by 'hanze'" in r.err
    assert cli("obligation", "attach", REF, "research", str(tmp_path / "missing.pdf")).code == 2
    assert not (cli.home / "documents" / "evidence").exists()
    assert not [e for e in cli("partnership", "history", REF, "--json").json()
                if e["action"] == "obligation.evidence_file"]

    r = cli("obligation", "attach", REF, "research", str(report), "--partner", "hanze", "--json")
    assert r.code == 0, r.err
    sha = hashlib.sha256(report.read_bytes()).hexdigest()
    assert r.json()["sha256"] == sha and r.json()["media_type"] == "application/pdf"
    assert (cli.home / "documents" / "evidence" / sha[:2] / sha).read_bytes() == report.read_bytes()
    [entry] = [e for e in cli("partnership", "history", REF, "--json").json()
               if e["action"] == "obligation.evidence_file"]
    assert entry["after"]["sha256"] == sha and entry["actor"] == "marieke"
