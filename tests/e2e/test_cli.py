"""The coordinator's CLI end to end, every exit code: 0 done, 1 blocked, 2 bad input, 3 not found, 4 conflict."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import yaml

from factories import FIXTURES
from servers import READY_WITHIN

EXAMPLE = str(FIXTURES / "smart-industry-pact.yaml")
REF = "smart-industry-technician-pact"
PARTNERS = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
            "provincie": "Rob Hoekstra"}


def test_import_show_and_blocked_reasons(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("partnership", "import", EXAMPLE)
    assert (r.code, r.out.strip()) == (0, REF)
    r = cli("partnership", "import", EXAMPLE)
    assert r.code == 1 and f"was imported before, as {REF}" in r.err and "--as-new" in r.err
    assert "Traceback" not in r.err and "UNIQUE" not in r.err and "INSERT" not in r.err
    r = cli("partnership", "import", EXAMPLE, "--json", "--as-new")
    assert r.code == 0 and r.json()["ref"] == f"{REF}-2"
    r = cli("partnership", "show", REF)
    assert r.code == 0
    assert "✗ define_goals -> goals_defined: blocked" in r.out
    assert ("goal 'modules' is not yet agreed by noorderpoort (Noorderpoort College), hanze (Hanze University of "
            "Applied Sciences), techbedrijf (Noordelijk Techbedrijf B.V.), provincie (Provincie Groningen)") \
        in " ".join(r.out.split())
    detail = cli("partnership", "show", REF, "--json").json()
    assert detail["stage"] == "draft"
    assert {t["trigger"]: t["allowed"] for t in detail["triggers"]} == {"define_goals": False, "terminate": True}
    r = cli("partnership", "advance", REF, "define_goals")
    assert r.code == 1
    assert "“Doelen vaststellen” (define_goals) is blocked in stage “Concept”" in r.err
    assert r.err.count("is not yet agreed by") == 2
    listed = cli("partnership", "list", "--json").json()
    assert [p["ref"] for p in listed] == [REF, f"{REF}-2"]
    assert cli("partnership", "list", "--stage", "investment", "--json").json() == []


def test_invalid_file_lists_every_problem_and_stores_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(Path(EXAMPLE).read_text())
    raw["obligations"][1]["type"] = "promise"
    raw["obligations"][0]["owner"] = "acme"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw, default=str))
    r = cli("partnership", "import", str(bad))
    assert r.code == 2
    assert "obligations[1].type: must be one of result, effort" in r.err
    assert "obligations[0].owner: unknown partner 'acme'" in r.err
    assert cli("partnership", "list", "--json").json() == []
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed")
    r = cli("partnership", "import", str(broken))
    assert r.code == 2 and "is not valid YAML" in r.err
    r = cli("partnership", "import", str(tmp_path / "missing.yaml"))
    assert r.code == 2 and "no such file" in r.err
    r = cli("partnership", "import", str(bad), "--json")
    assert r.code == 2 and json.loads(r.out)["error"] == "spec_invalid"


def test_not_found_and_usage_errors(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("partnership", "show", "nope")
    assert r.code == 3 and "no partnership with reference 'nope'" in r.err
    assert cli("partnership", "advance", "nope", "define_goals").code == 3
    assert cli("partnership", "frobnicate").code == 2
    assert cli("partnership", "show").code == 2
    cli("partnership", "import", EXAMPLE)
    r = cli("partnership", "advance", REF, "start_maintenance")
    assert r.code == 1 and ("possible in stage “Concept”: “Doelen vaststellen” (define_goals), "
                            "“Beëindigen” (terminate)") \
        in r.err
    r = cli("goal", "agree", REF, "world-peace", "--partner", "hanze")
    assert r.code == 3
    r = cli("obligation", "set-status", REF, "modules-delivered", "done")
    assert r.code == 1 and "unknown obligation status 'done'" in r.err


def test_walk_through_the_lifecycle_with_history_and_audit(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    for goal in ("modules", "lifelong"):
        for partner in PARTNERS:
            assert cli("goal", "agree", REF, goal, "--partner", partner).code == 0
    r = cli("goal", "agree", REF, "modules", "--partner", "hanze")
    assert r.code == 1 and "already agreed" in r.err
    assert cli("partnership", "advance", REF, "define_goals").code == 0
    assert cli("partnership", "advance", REF, "agree_framework", "--actor", "jan").code == 0
    r = cli("partnership", "advance", REF, "start_investment")
    assert r.code == 1 and "no agreement has been generated yet" in r.err
    r = cli("agreement", "generate", REF, "--json")
    assert r.code == 0 and r.json()["status"] == "final"
    r = cli("signoff", "record", REF, "--partner", "hanze", "--name", "Mallory")
    assert r.code == 1 and "is not the signatory" in r.err
    for partner, name in PARTNERS.items():
        assert cli("signoff", "record", REF, "--partner", partner, "--name", name).code == 0
    assert cli("partnership", "advance", REF, "start_investment").code == 0
    r = cli("partnership", "advance", REF, "start_maintenance")
    assert r.code == 1 and "investment result 'modules-delivered' is pending" in r.err
    assert cli("obligation", "set-status", REF, "modules-delivered", "fulfilled", "--evidence", "taught").code == 0
    assert cli("obligation", "set-status", REF, "modules-delivered", "accepted").code == 0
    r = cli("partnership", "advance", REF, "start_maintenance", "--json")
    assert r.code == 0 and r.json()["stage"] == "maintenance"
    r = cli("partnership", "advance", REF, "suspend")
    assert r.code == 1 and "needs a reason" in r.err and "give the reason with --reason" in r.err  # the CLI's hint
    assert cli("partnership", "advance", REF, "suspend", "--reason", "budget freeze").code == 0
    assert cli("partnership", "advance", REF, "resume").code == 0
    history = cli("partnership", "history", REF, "--json").json()
    transitions = [(h["before"]["stage"], h["after"]["stage"], h["actor"]) for h in history
                   if h["action"] == "transition"]
    assert transitions[1] == ("goals_defined", "framework_agreed", "jan")
    assert transitions[-2:] == [("maintenance", "suspended", "marieke"), ("suspended", "maintenance", "marieke")]
    assert [h["reason"] for h in history if h["after"].get("stage") == "suspended"] == ["budget freeze"]
    assert "History" in cli("partnership", "history", REF).out
    r = cli("lifecycle", "show", "--partnership", REF, "--format", "mermaid")
    assert r.code == 0 and "class maintenance current" in r.out
    assert "▶ maintenance [current]" in cli("lifecycle", "show", "--partnership", REF).out
    assert cli("lifecycle", "show", "--format", "svg").code == 2
    r = cli("audit", "verify", "--json")
    assert r.code == 0 and r.json()["ok"] is True

    db = cli.home / "pppflow.db"
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_entries_no_update")  # someone who may change the schema
        conn.execute("UPDATE audit_entries SET reason = 'nothing to see' WHERE seq = 16")
    r = cli("audit", "verify")
    assert r.code == 1 and "audit trail broken at entry 16" in r.out


def test_admission_export_and_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    candidate = tmp_path / "acme.yaml"
    candidate.write_text(yaml.safe_dump({"key": "acme", "name": "Acme Robotics", "kind": "company",
                                         "contact": {"name": "Ann", "email": "ann@acme.example"},
                                         "signatory": {"name": "Bo", "title": "CEO"},
                                         "responsibility": "Host interns"}))
    r = cli("partner", "admit", REF, str(candidate))
    assert r.code == 1 and "active partnership" in r.err
    for goal in ("modules", "lifelong"):
        for partner in PARTNERS:
            cli("goal", "agree", REF, goal, "--partner", partner)
    cli("partnership", "advance", REF, "define_goals")
    assert cli("partner", "admit", REF, str(candidate)).code == 0
    r = cli("partner", "approve", REF, "acme", "--by", "hanze", "--json")
    assert r.json() == {"ref": REF, "candidate": "acme", "by": "hanze", "admitted": False,
                        "awaiting": ["noorderpoort", "techbedrijf", "provincie"]}
    for by in ("noorderpoort", "techbedrijf", "provincie"):
        r = cli("partner", "approve", REF, "acme", "--by", by)
    assert r.code == 0 and "admitted" in r.out
    out = tmp_path / "export.yaml"
    assert cli("partnership", "export", REF, "--out", str(out)).code == 0
    exported = yaml.safe_load(out.read_text())
    assert exported["partners"][-1]["key"] == "acme"
    r = cli("partnership", "import", str(out), "--json", "--as-new")
    again = r.json()["ref"]
    assert cli("partnership", "export", again).out == out.read_text()
    assert json.loads(cli("partnership", "export", REF, "--format", "json").out)["name"] == exported["name"]


def test_a_busy_database_is_a_conflict(cli) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    db = cli.home / "pppflow.db"
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(READY_WITHIN)  # released by the test below
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    assert locked.wait(READY_WITHIN)
    try:
        started = time.monotonic()
        r = cli("goal", "agree", REF, "modules", "--partner", "hanze")
        assert r.code == 4, r.err
        assert "busy with a concurrent change; nothing was saved" in r.err
        assert time.monotonic() - started < 60  # gave up after its busy timeout; it did not hang
    finally:
        release.set()
        holder.join()
    assert cli("partnership", "show", REF, "--json").json()["goals"][0]["agreed_by"] == []


def test_demo_builds_a_portfolio_at_several_stages(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("demo")
    assert r.code == 0 and "Try next" in r.out
    # progress while it renders, before the table
    assert r.out.index("Smart Industry Technician Pact: generating and signing the agreement") < r.out.index("Try next")
    assert "Care Learning Community Twente: importing" in r.out
    listed = cli("partnership", "list", "--json").json()
    assert {p["ref"]: p["workflow"] for p in listed}["care-learning-community-twente"] == "learning-community"
    stages = {p["ref"]: p["stage"] for p in listed}
    assert stages == {
        "care-learning-community-twente": "learning",
        "chemelot-process-innovation-lab": "innovation_cycle",
        "e-commerce-digital-workplace": "draft",
        "hospitality-lifelong-learning-hub": "suspended",
        "smart-industry-technician-pact": "investment",
        "twente-healthcare-skills-ecosystem": "maintenance",
    }
    r = cli("demo")
    assert r.code == 0 and "0 partnership(s) created, 6 already present" in r.out
    assert cli("audit", "verify").code == 0


def test_help_is_fast_and_lists_the_groups(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--help")
    assert r.code == 0
    for group in ("partnership", "goal", "obligation", "signoff", "partner", "lifecycle", "audit", "demo"):
        assert group in r.out


def test_the_cli_imports_no_heavy_library_to_start() -> None:
    import subprocess
    import sys

    probe = ("import sys, pppflow.cli.app; "
             "print(sorted({m.split('.')[0] for m in sys.modules}"
             " & {'prefect', 'weasyprint', 'sqlalchemy', 'alembic'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_amend_from_an_edited_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    exported = yaml.safe_load(cli("partnership", "export", REF).out)
    exported["obligations"][0]["due"] = "2027-12-01"
    revised = tmp_path / "revised.yaml"
    revised.write_text(yaml.safe_dump(exported))
    r = cli("partnership", "amend", REF, str(revised), "--reason", "delivery moved", "--json")
    assert r.code == 0 and r.json() == {"ref": REF, "changed": ["obligations"]}
    assert cli("partnership", "show", REF, "--json").json()["obligations"][0]["due"] == "2027-12-01"
    assert "nothing to amend" in cli("partnership", "amend", REF, str(revised)).out
    exported["partners"][0]["kind"] = "alien"
    revised.write_text(yaml.safe_dump(exported))
    r = cli("partnership", "amend", REF, str(revised))
    assert r.code == 2 and "partners[0].kind: must be one of" in r.err
    history = cli("partnership", "history", REF, "--json").json()
    assert [h["action"] for h in history] == ["partnership.import", "partnership.amend"]
