"""`pppflow ledger add --evidence-file` and `pppflow ledger attach`: files checked by content and size (exit 2,
nothing stored, not even the entry), stored by SHA-256 with an audit entry; the entry itself never changes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import yaml

from factories import example_raw

REF = "smart-industry-technician-pact"
ADD = ("ledger", "add", REF, "--partner", "techbedrijf", "--phase", "investment", "--kind", "equipment",
       "--quantity", "1", "--unit", "items", "--value", "4200", "--date", "2026-03-01")


def _import(cli: Any, tmp_path: Path) -> None:
    raw = example_raw()  # the command runs on the real clock: a term that has started
    raw["term"]["start"] = "2025-10-01"
    raw["checkins"]["first"] = "2025-10-15"
    raw["obligations"][0]["due"] = "2026-09-01"
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    assert cli("partnership", "import", str(spec)).code == 0


def _evidence_actions(cli: Any) -> list[dict[str, Any]]:
    return [e for e in cli("partnership", "history", REF, "--json").json() if e["action"] == "ledger.evidence_file"]


def test_add_with_evidence_files_is_all_or_nothing_and_attach_adds_a_record(cli: Any, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    invoice, sheet, tool = tmp_path / "invoice.pdf", tmp_path / "sheet.txt", tmp_path / "tool.pdf"
    invoice.write_bytes(b"%PDF-1.7\n% invoice\n%%EOF\n")
    sheet.write_text("Delivered and installed on 1 March.\n", encoding="utf-8")
    shutil.copy("/bin/true", tool)  # an executable renamed .pdf

    r = cli(*ADD, "--evidence-file", str(invoice), "--evidence-file", str(tool))
    assert r.code == 2 and "not a PDF, PNG, JPEG or plain-text" in r.err
    r = cli(*ADD[:-1], "2099-01-01", "--evidence-file", str(invoice))
    assert r.code == 2 and "--date" in r.err
    assert cli(*ADD, "--evidence-file", str(tmp_path / "missing.pdf")).code == 2
    assert cli("ledger", "list", REF, "--json").json()["entries"] == []
    assert not (cli.home / "documents" / "evidence").exists() and not _evidence_actions(cli)

    r = cli(*ADD, "--evidence-file", str(invoice), "--json")
    assert r.code == 0, r.err
    entry = r.json()
    sha = hashlib.sha256(invoice.read_bytes()).hexdigest()
    assert [(f["sha256"], f["filename"]) for f in entry["evidence_files"]] == [(sha, "invoice.pdf")]
    assert (cli.home / "documents" / "evidence" / sha[:2] / sha).read_bytes() == invoice.read_bytes()

    assert cli("ledger", "attach", REF, str(entry["id"]), str(tool)).code == 2
    assert cli("ledger", "attach", REF, "99", str(sheet)).code == 2
    r = cli("ledger", "attach", REF, str(entry["id"]), str(sheet), "--json")
    assert r.code == 0, r.err
    assert (r.json()["entry_id"], r.json()["filename"], r.json()["attached_by"]) == \
        (entry["id"], "sheet.txt", "marieke")
    assert cli("ledger", "attach", REF, str(entry["id"]), str(sheet)).code == 1  # attached already
    assert [a["after"]["filename"] for a in _evidence_actions(cli)] == ["invoice.pdf", "sheet.txt"]
    [listed] = cli("ledger", "list", REF, "--json").json()["entries"]
    assert {k: v for k, v in entry.items() if k != "evidence_files"} == listed  # the entry never changed
