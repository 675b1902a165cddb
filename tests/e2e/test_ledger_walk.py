"""The ledger walk through the real `pppflow` command, as issue 11 lists it: a partnership under the rif-mbo scheme,
blocked by co-financing with the reason, commitments amended, signed, check-in hours booked, cash and equipment added,
an entry corrected, the month-13 report in Dutch as PDF, CSV and XLSX with totals that match `ledger summary`, and the
report-due reminder in the outbox.

The command runs on the real clock, so the term lies in the past: it started on 1 October 2025.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from factories import example_raw

REF = "smart-industry-technician-pact"
SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra"}


def _spec(public: int) -> dict[str, Any]:
    raw = example_raw()
    raw["term"]["start"] = "2025-10-01"
    raw["checkins"]["first"] = "2025-10-15"
    raw["obligations"][0]["due"] = "2026-09-01"
    raw["funding"] = {"scheme": "rif-mbo", "public_contribution": public}
    raw["rates"] = [{"unit": "hours", "eur": "60"}, {"unit": "hours", "eur": "85", "role": "lecturer"}]
    return raw


def _write(path: Path, raw: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return str(path)


def patient(cli: Any) -> Any:
    """The `cli` fixture's command, with room for its PDF renders on a busy machine (10 minutes a call)."""
    result = type(cli("--help"))  # the fixture's own Result class, whichever conftest module defines it

    def call(*args: str) -> Any:
        proc = subprocess.run([sys.executable, "-m", "pppflow", *args], env=cli.env, capture_output=True, text=True,
                              timeout=600)
        assert "Traceback" not in proc.stderr, proc.stderr
        return result(proc.returncode, proc.stdout, proc.stderr)

    return call


@pytest.mark.slow
def test_the_ledger_walk(cli: Any, tmp_path: Path) -> None:
    cli = patient(cli)
    # committed: 150,000 cash + 60,000 equipment + 1,800 hours × 60 = 318,000 against 230,000 public: 58.0 %
    assert cli("partnership", "import", _write(tmp_path / "pact.yaml", _spec(230000))).code == 0
    for goal in ("modules", "lifelong"):
        for partner in SIGNATORIES:
            assert cli("goal", "agree", REF, goal, "--partner", partner).code == 0
    assert cli("partnership", "advance", REF, "define_goals").code == 0
    blocked = cli("partnership", "advance", REF, "agree_framework")
    assert blocked.code == 1
    assert "committed co-financing is 58.0 % of the budget; rif-mbo requires at least 66.7 %" in blocked.err

    amended = cli("partnership", "amend", REF, _write(tmp_path / "amended.yaml", _spec(159000)), "--json")
    assert amended.code == 0 and amended.json()["changed"] == ["funding"], amended.err
    assert cli("partnership", "advance", REF, "agree_framework").code == 0
    version = cli("agreement", "generate", REF, "--json").json()["version"]
    for partner, name in SIGNATORIES.items():
        assert cli("agreement", "sign", REF, str(version), "--partner", partner, "--name", name).code == 0
    assert cli("partnership", "advance", REF, "start_investment").code == 0

    progress = tmp_path / "progress.yaml"
    progress.write_text(yaml.safe_dump({"obligations": [{"key": "research", "activities": ["Lab visit"],
                                                         "hours": "12.5"}]}), encoding="utf-8")
    # check-ins are planned from the day the framework is agreed (today): held today, it counts for the next one
    held = cli("checkin", "record", REF, "--progress", str(progress), "--json")
    assert held.code == 0, held.err
    checkin = held.json()["checkin"]
    booked = cli("ledger", "book-checkin", REF, "--checkin", checkin, "--role", "lecturer", "--json").json()
    assert [(e["partner"], e["quantity"], e["value_eur"]) for e in booked["entries"]] == [("hanze", "12.5", "1062.50")]
    twice = cli("ledger", "book-checkin", REF, "--checkin", checkin)
    assert twice.code == 1 and "already in the ledger" in twice.err

    cash = cli("ledger", "add", REF, "--partner", "provincie", "--phase", "investment", "--kind", "cash",
               "--quantity", "75000", "--unit", "EUR", "--date", "2026-01-15", "--evidence", "bank statement", "--json")
    assert cash.code == 0 and cash.json()["value_eur"] == "75000.00"
    wrong = cli("ledger", "add", REF, "--partner", "techbedrijf", "--phase", "investment", "--kind", "equipment",
                "--quantity", "2", "--unit", "items", "--value", "6000", "--date", "2026-02-01", "--json").json()
    fix = cli("ledger", "correct", REF, str(wrong["id"]), "--reason", "invoice is 60,000, not 6,000", "--json")
    assert fix.code == 0 and fix.json()["corrects"] == wrong["id"] and fix.json()["value_eur"] == "-6000.00"
    again = cli("ledger", "correct", REF, str(wrong["id"]), "--reason", "again")
    assert again.code == 2 and "already been corrected" in again.err
    assert cli("ledger", "add", REF, "--partner", "techbedrijf", "--phase", "investment", "--kind", "equipment",
               "--quantity", "2", "--unit", "items", "--value", "60000", "--date", "2026-02-01").code == 0
    for bad, field in ((["--quantity", "0"], "--quantity"), (["--partner", "acme"], "--partner"),
                       (["--kind", "gift"], "--kind"), (["--date", "2030-01-01"], "--date"),
                       (["--unit", "FTE-months", "--value", "10"], "--unit")):
        args = {"--partner": "provincie", "--phase": "investment", "--kind": "cash", "--quantity": "5",
                "--unit": "EUR", "--date": "2026-03-01"}
        args.update(dict(zip(bad[::2], bad[1::2], strict=True)))
        r = cli("ledger", "add", REF, *[x for kv in args.items() for x in kv])
        assert r.code == 2 and field in r.err, (bad, r.err)
    assert len(cli("ledger", "list", REF, "--json").json()["entries"]) == 5

    everything = cli("ledger", "summary", REF, "--json").json()
    assert Decimal(everything["totals"]["realised_eur"]) == Decimal("1062.50") + 75000 + 6000 - 6000 + 60000
    summary = cli("ledger", "summary", REF, "--as-of", "2026-10-31", "--json").json()
    total = Decimal(summary["totals"]["realised_eur"])
    assert total == 75000 + 60000  # the hours were booked when the check-in was held: after the period
    reports = {}
    for fmt in ("pdf", "csv", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        r = cli("report", "funder", REF, "--period-end", "2026-10-31", "--lang", "nl", "--format", fmt,
                "--out", str(out))
        assert r.code == 0, r.err
        reports[fmt] = out.read_bytes()

    import pypdf
    from openpyxl import load_workbook

    pdf = pypdf.PdfReader(io.BytesIO(reports["pdf"]))
    assert b"pdfaid" in pdf.trailer["/Root"]["/Metadata"].get_object().get_data()
    embedded = json.loads(pdf.attachments["funder-report.json"][0])
    assert embedded["lang"] == "nl" and embedded["finances"] == summary
    assert "Voortgangsrapportage aan de financier" in pdf.pages[0].extract_text()
    rows = list(csv.DictReader(io.StringIO(reports["csv"].decode())))
    assert sum(Decimal(x["realised_eur"]) for x in rows if x["section"] == "line") == total
    ws = load_workbook(io.BytesIO(reports["xlsx"]))["Finances"]
    header = [c.value for c in ws[1]]
    lines = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("section")] == "line"]
    assert sum(Decimal(str(r[header.index("realised_eur")])) for r in lines) == total

    # the month-13 report (due 1 November 2026) is an obligation of the coordinator's organisation: reminded
    assert cli("remind", "--as-of", "2026-10-25").code == 0
    keys = [m["key"] for m in cli("outbox", "list", "--json").json()]
    assert f"{REF}:funder-report-m13:2026-11-01:obligation:due_soon" in keys or \
        any("funder-report-m13" in k for k in keys), keys
