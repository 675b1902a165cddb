"""Check-ins, reminders and the outbox through the real `pppflow` command."""

from __future__ import annotations

import json
import socket
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from pppflow.domain.checkins.schedule import expand_checkin_dates
from scheduling import COORDINATOR, REF


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_record_a_checkin_and_see_what_is_due(agreed_cli: Any, tmp_path: Path) -> None:
    cli = agreed_cli
    # `show` looks from today: the first planned date whose grace period has not ended
    today = datetime.now(UTC).date()
    plan = expand_checkin_dates("monthly", date(2027, 1, 15), date(2027, 1, 1), 36)
    coming = next((d for d in plan if d + timedelta(days=3) >= today), None)
    shown = cli("partnership", "show", REF, "--json").json()
    assert (shown["checkins"]["next"] or {}).get("date") == (coming.isoformat() if coming else None)
    if coming:
        assert f"next check-in {coming} (monthly" in cli("partnership", "show", REF).out
    due = cli("checkins", "due", "--as-of", "2027-03-20", "--within", "14", "--json").json()
    assert [(i["kind"], i["date"], i["status"], i["days"]) for i in due] == [  # overdue ones at any age
        ("checkin", "2027-01-15", "missed", -64), ("checkin", "2027-02-15", "missed", -33),
        ("checkin", "2027-03-15", "missed", -5), ("obligation", "2027-03-31", "upcoming", 11)]
    assert due[3]["obligation"] == "report" and due[3]["owner"] == "hanze"

    progress = tmp_path / "progress.yaml"
    progress.write_text(yaml.safe_dump({"feedback": "More notice of projects", "obligations": [
        {"key": "research", "activities": ["Literature review", "Company visit"], "hours": 7.5},
        {"key": "report", "status": "fulfilled", "evidence": "Sent to the steering group"}]}))
    # held before the first planned date (and before today): it counts for the first check-in
    r = cli("checkin", "record", REF, "--date", "2026-11-20", "--notes", "Kick-off", "--progress", str(progress))
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        f"{REF}: check-in of 2027-01-15 recorded as held on 2026-11-20",
        "  effort research: 7.5 hours (Literature review; Company visit)",
        "  result report: fulfilled (Sent to the steering group)"]
    listed = cli("checkin", "list", REF, "--as-of", "2027-01-20", "--json").json()
    assert listed["checkins"][0] == {"date": "2027-01-15", "status": "held", "held_on": "2026-11-20",
                                     "notes": "Kick-off", "feedback": "More notice of projects",
                                     "recorded_by": "marieke"}
    assert listed["effort_log"] == [{"checkin": "2027-01-15", "obligation": "research",
                                     "activities": ["Literature review", "Company visit"], "hours": "7.5"}]
    assert [(i["kind"], i["date"]) for i in cli("checkins", "due", "--as-of", "2027-03-20", "--json").json()] == [
        ("checkin", "2027-02-15"), ("checkin", "2027-03-15")]
    history = cli("partnership", "history", REF).out
    assert "check-in of 2027-01-15 held on 2026-11-20" in history and "36 check-ins planned" in history

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"obligations": [{"key": "research", "status": "fulfilled"}]}))
    r = cli("checkin", "record", REF, "--progress", str(bad))
    assert r.code == 2 and "'research' is an effort obligation" in r.err


def test_remind_dry_run_then_send_then_nothing_more(agreed_cli: Any) -> None:
    cli = agreed_cli
    dry = cli("remind", "--as-of", "2027-01-19", "--dry-run", "--json").json()
    assert [(q["step"], q["to"]) for q in dry["would_queue"]] == [("escalation", [COORDINATOR])]
    assert (dry["sent"], dry["missed_checkins"]) == (0, 0)
    assert cli("outbox", "list", "--json").json() == [] and not (cli.home / "outbox").exists()
    text = cli("remind", "--as-of", "2027-01-19", "--dry-run").out
    assert "1 new message(s) would be sent" in text and "nothing was written or sent" in text

    sent = cli("remind", "--as-of", "2027-01-19", "--json")
    assert sent.code == 0
    assert (sent.json()["sent"], sent.json()["missed_checkins"], len(sent.json()["queued"])) == (1, 1, 1)
    again = cli("remind", "--as-of", "2027-01-19")
    assert again.code == 0 and "0 new message(s) queued; 0 sent, 0 failed" in again.out
    rows = cli("outbox", "list", "--json").json()
    [row] = [x for x in rows if x["kind"] != "digest"]
    assert (row["status"], row["kind"], row["step"], [r["email"] for r in row["recipients"]]) == (
        "sent", "checkin", "escalation", [COORDINATOR])
    # the same job mailed each partner contact something awaits one digest; the rerun added none
    digests = [x for x in rows if x["kind"] == "digest"]
    assert digests and {x["status"] for x in digests} == {"sent"}
    assert sent.json()["digests"]["queued"] == len(digests) and again.code == 0
    eml = Path(row["file"])
    assert eml.parent == cli.home / "outbox" and "X-Pppflow-Key: " + row["key"] in eml.read_text()
    assert cli("outbox", "list", "--failed", "--json").json() == []


def test_with_the_mail_server_down_the_failure_is_kept_and_shown(agreed_cli: Any) -> None:
    cli = agreed_cli
    cli.env.update({"PPPFLOW_SMTP_HOST": "127.0.0.1", "PPPFLOW_SMTP_PORT": str(closed_port()),
                    "PPPFLOW_SMTP_SECURITY": "none", "PPPFLOW_SMTP_USER": "pppflow",
                    "PPPFLOW_SMTP_PASSWORD": "s3cret-pw", "PPPFLOW_MAIL_FROM": "pppflow <noreply@pact.example>"})
    r = cli("remind", "--as-of", "2027-01-08")
    assert r.code == 1
    assert "0 sent, 1 failed" in r.out and "pppflow outbox list --failed" in r.out
    [failed] = [x for x in cli("outbox", "list", "--failed", "--json").json() if x["kind"] != "digest"]
    assert (failed["status"], failed["failed"], failed["attempts"]) == ("pending", True, 1)
    assert "ConnectionRefusedError" in failed["last_error"] and failed["next_attempt_at"]
    assert failed["key"] == f"{REF}:2027-01-15:checkin:reminder" and failed["file"] is None
    shown = cli("outbox", "list", "--failed")
    assert "ConnectionRefusedError" in shown.out
    assert failed["key"] in [x["key"] for x in cli("outbox", "list", "--pending", "--json").json()]
    assert "partner digest(s)" in r.out  # the digests failed too, and are kept for a retry
    assert "s3cret-pw" not in r.out + r.err + shown.out + shown.err


@pytest.mark.parametrize(("args", "code", "message"), [
    (["checkin", "record", "no-such-pact"], 3, "no partnership with reference 'no-such-pact'"),
    (["checkin", "record", REF, "--date", "2027-02-30"], 2, "--date must be a date (YYYY-MM-DD)"),
    (["checkin", "record", REF, "--date", "2099-01-01"], 2, "that is after today"),
    (["checkin", "record", REF, "--checkin", "2027-01-16", "--date", "2026-11-20"], 3,
     "has no check-in planned on 2027-01-16"),
    (["checkins", "due", "--as-of", "tomorrow"], 2, "--as-of must be a date (YYYY-MM-DD), not 'tomorrow'"),
    (["checkins", "due", "--within", "-3"], 2, "--within must be zero or more days"),
    (["remind", "--as-of", "2027-13-01"], 2, "--as-of must be a date"),
    (["checkin", "list", "nope"], 3, "no partnership with reference 'nope'"),
    (["flows", "run", "send_everything"], 2, "unknown flow 'send_everything'"),
    (["serve", "--at", "25:00"], 2, "--at must be a time HH:MM"),
    (["serve", "--timezone", "Mars/Olympus"], 2, "unknown time zone 'Mars/Olympus'"),
])
def test_mistakes_are_messages_with_exit_codes(agreed_cli: Any, args: list[str], code: int, message: str) -> None:
    r = agreed_cli(*args)
    assert r.code == code and message in r.err, (r.code, r.err)


def test_errors_are_json_with_json(agreed_cli: Any) -> None:
    r = agreed_cli("checkins", "due", "--as-of", "x", "--json")
    assert r.code == 2 and json.loads(r.out)["error"] == "bad_input"
