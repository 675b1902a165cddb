"""Legal staff's CLI end to end: generate, list, show, sign, verify, diff, batch; real PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from factories import FIXTURES

pytestmark = pytest.mark.slow
EXAMPLE = str(FIXTURES / "smart-industry-pact.yaml")
REF = "smart-industry-technician-pact"
SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra"}


def framework_agreed(cli) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    for goal in ("modules", "lifelong"):
        for partner in SIGNATORIES:
            cli("goal", "agree", REF, goal, "--partner", partner)
    assert cli("partnership", "advance", REF, "define_goals").code == 0
    assert cli("partnership", "advance", REF, "agree_framework").code == 0


def test_generate_sign_verify_and_advance(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    framework_agreed(cli)
    out = tmp_path / "agreement.pdf"
    r = cli("agreement", "generate", REF, "--out", str(out), "--json")
    assert r.code == 0, r.err
    v1 = r.json()
    assert (v1["version"], v1["status"], v1["language"], v1["created"]) == (1, "final", "nl", True)
    assert out.read_bytes().startswith(b"%PDF")
    stored = cli.home / "documents" / v1["path"]
    assert stored.read_bytes() == out.read_bytes()
    again = cli("agreement", "generate", REF, "--json").json()
    assert (again["version"], again["created"]) == (1, False)

    r = cli("agreement", "verify", str(out), "--json")
    assert r.code == 0 and r.json()["genuine"] and r.json()["version"] == 1
    altered = tmp_path / "altered.pdf"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    r = cli("agreement", "verify", str(altered))
    assert r.code == 1 and "not genuine" in r.out
    assert cli("agreement", "verify", str(tmp_path / "nothing.pdf")).code == 2

    r = cli("partnership", "advance", REF, "start_investment")
    assert r.code == 1 and "version 1 is not yet signed for 'hanze' (Henk Visser)" in r.err
    assert cli("agreement", "sign", REF, "1", "--partner", "hanze", "--name", "Mallory").code == 1
    assert cli("agreement", "sign", REF, "7", "--partner", "hanze", "--name", "Henk Visser").code == 3
    for partner, name in SIGNATORIES.items():
        r = cli("agreement", "sign", REF, "1", "--partner", partner, "--name", name, "--method", "wet-ink")
        assert r.code == 0, r.err
    assert "signed by every partner" in r.out
    shown = cli("agreement", "show", REF, "1", "--json").json()
    assert shown["status"] == "signed" and shown["unsigned"] == []
    assert [s["partner"] for s in shown["signatures"]] == list(SIGNATORIES)
    executed = cli.home / "documents" / shown["signed_path"]
    r = cli("agreement", "verify", str(executed), "--json")
    assert r.code == 0 and r.json()["copy"] == "executed" and len(r.json()["signatures"]) == 4
    assert cli("partnership", "advance", REF, "start_investment").code == 0
    listed = cli("agreement", "list", REF, "--json").json()
    assert [(v["version"], v["status"]) for v in listed] == [(1, "signed")]


def test_admission_makes_the_signed_version_stale_and_diff_shows_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    framework_agreed(cli)
    cli("agreement", "generate", REF)
    candidate = tmp_path / "acme.yaml"
    candidate.write_text(yaml.safe_dump({"key": "acme", "name": "Acme Robotics B.V.", "kind": "company",
                                         "contact": {"name": "Ann", "email": "ann@acme.example"},
                                         "signatory": {"name": "Bo Bakker", "title": "CEO"},
                                         "responsibility": "Host interns"}))
    assert cli("partner", "admit", REF, str(candidate)).code == 0
    for partner in SIGNATORIES:
        cli("partner", "approve", REF, "acme", "--by", partner)
    r = cli("agreement", "sign", REF, "1", "--partner", "hanze", "--name", "Henk Visser")
    assert r.code == 1 and "out of date" in r.err
    assert cli("agreement", "generate", REF, "--json").json()["version"] == 2
    r = cli("agreement", "diff", REF, "1", "2", "--json")
    assert r.code == 0
    diffs = {d["article"]: d for d in r.json()}
    added = [line for d in diffs.values() for line in d["lines"] if line.startswith("+")]
    assert any("Acme Robotics B.V." in line for line in added)
    assert cli("agreement", "diff", REF, "1", "9").code == 3
    assert "Acme Robotics B.V." in cli("agreement", "diff", REF, "1", "2").out


def test_batch_generates_every_partnership_in_parallel(cli) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    cli("partnership", "import", EXAMPLE, "--as-new")
    r = cli("agreement", "batch", "--workers", "2", "--json")
    assert r.code == 0, r.err
    assert sorted((x["ref"], x["version"], x["created"]) for x in r.json()) == [
        (REF, 1, True), (f"{REF}-2", 1, True)]
    r = cli("agreement", "batch", "--stage", "draft")
    assert r.code == 0 and "2 partnership(s): 0 new version(s), 2 unchanged, 0 failed" in r.out
    assert cli("agreement", "generate", REF, "--lang", "fr").code == 2
    assert cli("agreement", "generate", "nope").code == 3


def test_a_broken_organisation_template_is_reported_by_file_and_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "collaboration_agreement.html.j2").write_text("<html>\n<body>\n{{ agreement.name | nosuchfilter }}\n")
    cli.env["PPPFLOW_TEMPLATES_DIR"] = str(templates)
    cli("partnership", "import", EXAMPLE)
    r = cli("agreement", "generate", REF)
    assert r.code == 1
    assert "collaboration_agreement.html.j2" in r.err and "line 3" in r.err
    assert cli("agreement", "list", REF, "--json").json() == []
    assert not (cli.home / "documents" / "agreements").exists() or not any(
        (cli.home / "documents" / "agreements").rglob("*.pdf"))
    assert json.loads(cli("audit", "verify", "--json").out)["ok"]
