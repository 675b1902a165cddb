"""`pppflow audit checkpoint` and `audit verify --checkpoint` through the real command (issue 9 §1)."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

from test_cli import EXAMPLE, PARTNERS, REF


def _tamper(db: Path, *statements: str) -> None:
    """Someone who may change the schema: every audit trigger dropped, then plain SQL."""
    with sqlite3.connect(db) as conn:
        for name in ("audit_entries_no_update", "audit_entries_no_delete", "audit_entries_append_at_end",
                     "audit_chain_head_no_insert", "audit_chain_head_no_delete", "audit_chain_head_advance_only"):
            conn.execute(f"DROP TRIGGER {name}")
        for s in statements:
            conn.execute(s)


def test_checkpoint_then_truncation_is_reported_from_the_log_and_from_a_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    for partner in PARTNERS:
        assert cli("goal", "agree", REF, "modules", "--partner", partner).code == 0
    out = tmp_path / "anchor.json"
    r = cli("audit", "checkpoint", "--out", str(out))
    assert r.code == 0, r.err
    assert "checkpoint of entry 5 signed" in r.out
    key = cli.home / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    saved = json.loads(out.read_text())
    assert saved["seq"] == 5 and len(saved["mac"]) == 64
    assert json.loads((cli.home / "audit-checkpoints.log").read_text().splitlines()[-1]) == saved

    r = cli("audit", "verify")
    assert r.code == 0 and "5 entries, every link verified; 1 checkpoint(s) match" in r.out

    db = cli.home / "pppflow.db"
    with sqlite3.connect(db) as conn:
        h3 = conn.execute("SELECT hash FROM audit_entries WHERE seq = 3").fetchone()[0]
    _tamper(db, "DELETE FROM audit_entries WHERE seq > 3", f"UPDATE audit_chain_head SET seq = 3, hash = '{h3}'")
    (cli.home / "audit-checkpoints.log").unlink()  # the attacker also removed the log; the saved file remains
    r = cli("audit", "verify")
    assert r.code == 0  # from inside the database alone, truncation is invisible
    r = cli("audit", "verify", "--checkpoint", str(out))
    assert r.code == 1 and "truncated: checkpoint 5 is past the last entry 3" in r.out

    bad = tmp_path / "bad.json"
    bad.write_text("not a checkpoint\n")
    r = cli("audit", "verify", "--checkpoint", str(bad))
    assert r.code == 2 and f"{bad}:1: not a pppflow audit checkpoint" in r.err


def test_an_audited_command_on_a_damaged_chain_refuses_naming_audit_verify(cli) -> None:  # type: ignore[no-untyped-def]
    cli("partnership", "import", EXAMPLE)
    _tamper(cli.home / "pppflow.db", "DELETE FROM audit_chain_head")
    r = cli("goal", "agree", REF, "modules", "--partner", "hanze")
    assert r.code == 1
    assert "the audit trail is damaged: its chain head is missing" in r.err and "audit verify" in r.err
    assert "internal error" not in r.err
    r = cli("audit", "verify")
    assert r.code == 1 and "the chain head is missing" in r.out
    r = cli("audit", "checkpoint")
    assert r.code == 1 and "no checkpoint was written" in r.err
