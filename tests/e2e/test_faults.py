"""Fault injection (marker `faults`): the real `pppflow` process killed with SIGKILL at named points
(`PPPFLOW_FAULT_AT`), the mail server down; afterwards the audit trail verifies and no message reached the
mail server twice without an operator asking for it (issue 9 §8 and "Also")."""

from __future__ import annotations

import signal
import socket
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller

from factories import example_raw
from scheduling import REF

pytestmark = pytest.mark.faults
KILLED = -signal.SIGKILL
DAY = "2027-01-08"  # one check-in reminder is due


@dataclass
class Sink:
    """An SMTP server that counts deliveries per Message-ID (the day's reminders; the partners' digests, sent after
    them by the same run, are not what these tests count)."""

    port: int = 0
    delivered: Counter[str] = field(default_factory=Counter)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        if not str(message.get("X-Pppflow-Key", "")).startswith("digest:"):
            self.delivered[str(message["Message-ID"])] += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sink() -> Iterator[Sink]:
    s = Sink(port=free_port())
    controller = Controller(s, hostname="127.0.0.1", port=s.port)
    controller.start()  # returns once the server answers
    try:
        yield s
    finally:
        controller.stop()


def smtp_env(cli: Any, port: int) -> None:
    cli.env.update({"PPPFLOW_SMTP_HOST": "127.0.0.1", "PPPFLOW_SMTP_PORT": str(port),
                    "PPPFLOW_SMTP_SECURITY": "none", "PPPFLOW_MAIL_FROM": "pppflow <noreply@pact.example>"})


def lease_ends(cli: Any) -> None:
    """Time passes beyond the 15-minute lease of the killed sender."""
    with sqlite3.connect(cli.home / "pppflow.db") as conn:
        conn.execute("UPDATE outbox SET claimed_until = '2000-01-01 00:00:00.000000' WHERE claimed_until IS NOT NULL")


def statuses(cli: Any) -> list[str]:
    return [m["status"] for m in cli("outbox", "list", "--json").json() if m["kind"] != "digest"]


@pytest.mark.parametrize(("point", "arrived"), [("before_data", 0), ("after_250", 1), ("before_commit", 1)])
def test_a_sender_killed_in_the_hand_off_never_sends_twice_by_itself(agreed_cli: Any, sink: Sink, point: str,
                                                                     arrived: int) -> None:
    cli = agreed_cli
    smtp_env(cli, sink.port)
    cli.env["PPPFLOW_FAULT_AT"] = point
    assert cli("remind", "--as-of", DAY).code == KILLED
    assert sum(sink.delivered.values()) == arrived
    del cli.env["PPPFLOW_FAULT_AT"]
    assert statuses(cli) == ["handed"]

    lease_ends(cli)
    r = cli("remind", "--as-of", DAY)
    assert r.code == 1 and "1 message(s) are uncertain" in r.out
    assert sum(sink.delivered.values()) == arrived  # not resent blindly
    [row] = cli("outbox", "list", "--uncertain", "--json").json()
    assert row["status"] == "uncertain" and "may have arrived" in row["last_error"]

    r = cli("outbox", "retry", str(row["id"]))  # the operator's choice, after checking with the recipients
    assert r.code == 0 and "1 message(s) retried: 1 sent" in r.out
    assert list(sink.delivered.values()) == [arrived + 1]  # one Message-ID: a duplicate mail clients recognise
    assert cli("remind", "--as-of", DAY).code == 0
    assert sum(sink.delivered.values()) == arrived + 1
    assert cli("audit", "verify").code == 0


def test_without_a_fault_a_message_is_delivered_once(agreed_cli: Any, sink: Sink) -> None:
    smtp_env(agreed_cli, sink.port)
    assert agreed_cli("remind", "--as-of", DAY).code == 0
    lease_ends(agreed_cli)
    assert agreed_cli("remind", "--as-of", DAY).code == 0
    assert list(sink.delivered.values()) == [1] and statuses(agreed_cli) == ["sent"]


def test_with_the_mail_server_down_the_message_waits_and_retry_sends_it_once(agreed_cli: Any) -> None:
    cli = agreed_cli
    port = free_port()  # nothing listens yet
    smtp_env(cli, port)
    assert cli("remind", "--as-of", DAY).code == 1
    assert cli("outbox", "list", "--failed", "--json").json()[0]["attempts"] == 1
    s = Sink(port=port)
    controller = Controller(s, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        r = cli("outbox", "retry", "--failed")
        assert r.code == 0 and "0 failed, 0 uncertain" in r.out  # the reminder (and the partners' digests) sent
        assert cli("outbox", "retry", "--failed").out.startswith("0 message(s) retried")
        assert cli("remind", "--as-of", DAY).code == 0
    finally:
        controller.stop()
    assert list(s.delivered.values()) == [1] and statuses(cli) == ["sent"]
    assert cli("audit", "verify").code == 0


@pytest.mark.parametrize("command", [
    ["partnership", "import", "FIXTURE"],
    ["obligation", "set-status", REF, "report", "fulfilled", "--evidence", "sent"],
    ["checkin", "record", REF, "--date", "2026-11-20", "--notes", "Kick-off"],
])
def test_a_command_killed_just_before_its_commit_leaves_nothing_half_written(agreed_cli: Any, tmp_path: Path,
                                                                             command: list[str]) -> None:
    cli = agreed_cli
    spec = example_raw()
    spec["name"] = "Second Technician Pact"  # not a duplicate of the partnership already there
    (tmp_path / "second.yaml").write_text(yaml.safe_dump(spec))
    command = [str(tmp_path / "second.yaml") if a == "FIXTURE" else a for a in command]
    before = cli("audit", "verify", "--json").json()["entries"]
    shown = cli("partnership", "list", "--json").out
    cli.env["PPPFLOW_FAULT_AT"] = "uow_commit"
    assert cli(*command).code == KILLED
    del cli.env["PPPFLOW_FAULT_AT"]
    after = cli("audit", "verify", "--json")
    assert after.code == 0 and after.json()["entries"] == before  # nothing of the change, and the chain intact
    assert cli("partnership", "list", "--json").out == shown
    r = cli(*command)  # and the command then simply works
    assert r.code == 0, r.err
    assert cli("audit", "verify", "--json").json()["entries"] > before
