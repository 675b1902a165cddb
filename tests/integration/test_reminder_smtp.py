"""The reminder service through a real SMTP server (aiosmtpd on 127.0.0.1); and with the server down."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from pppflow.adapters.db.database import session_factory
from pppflow.adapters.db.unit_of_work import SqlUnitOfWork, UnitOfWork
from pppflow.adapters.mail import SmtpMailer
from pppflow.services.reminders import outbox_messages, send_due_reminders
from scheduling import CONTACTS, COORDINATOR, REF, agreed, in_english, morning

D = date
MAIL_FROM = "pppflow <noreply@pppflow.example>"


@dataclass
class Inbox:
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def uow_factory(tmp_path: Path) -> Iterator[Callable[[], UnitOfWork]]:
    factory = session_factory(f"sqlite:///{tmp_path / 'smtp.db'}")
    yield lambda: SqlUnitOfWork(factory)
    factory.kw["bind"].dispose()


@pytest.fixture
def controller() -> Iterator[Callable[[int], Inbox]]:
    started: list[Controller] = []

    def start(port: int) -> Inbox:
        inbox = Inbox()
        server = Controller(inbox, hostname="127.0.0.1", port=port)
        server.start()
        started.append(server)
        return inbox

    yield start
    for server in started:
        server.stop()


def remind(day: date, port: int, uow_factory: Callable[[], UnitOfWork], lifecycles: Any,
           now_offset: timedelta = timedelta()) -> Any:
    mailer = SmtpMailer("127.0.0.1", port, security="none", timeout=30)  # per socket operation; generous when busy
    return send_due_reminders(day, uow_factory=uow_factory, mailer=mailer, now=morning(day) + now_offset,
                              lifecycles=lifecycles, mail_from=MAIL_FROM)


def test_reminders_arrive_with_a_calendar_invitation_for_the_checkin(
        uow_factory: Any, lifecycles: Any, controller: Any) -> None:
    port = free_port()
    inbox = controller(port)
    agreed(uow_factory, lifecycles, in_english())
    assert remind(D(2027, 1, 8), port, uow_factory, lifecycles).sent == 1
    assert remind(D(2027, 1, 19), port, uow_factory, lifecycles).sent == 1
    [(rcpt, reminder), (rcpt2, escalation)] = inbox.received
    assert sorted(rcpt) == sorted([*CONTACTS, COORDINATOR])
    assert reminder["Subject"] == "[pppflow] Check-in on 15 January 2027 — Smart Industry Technician Pact"
    assert reminder["X-Pppflow-Key"] == f"{REF}:2027-01-15:checkin:reminder"
    assert [a.addr_spec for a in reminder["To"].addresses] == [*CONTACTS, COORDINATOR]
    assert reminder["Reply-To"].addresses[0].addr_spec == COORDINATOR
    assert "Friday 15 January 2027" in reminder.get_body(("plain",)).get_content()
    assert "<p>Dear all,</p>" in reminder.get_body(("html",)).get_content()
    [invitation] = [p for p in reminder.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(invitation.get_content())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == D(2027, 1, 15) and event.decoded("DTEND") == D(2027, 1, 16)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert sorted(str(a).removeprefix("mailto:") for a in event["ATTENDEE"]) == sorted([*CONTACTS, COORDINATOR])
    assert rcpt2 == [COORDINATOR]
    assert escalation["Subject"].startswith("[pppflow] Check-in of 15 January 2027 not held")
    assert not [p for p in escalation.iter_attachments() if p.get_content_type() == "text/calendar"]


def test_with_the_mail_server_down_nothing_is_lost_and_it_is_sent_once_when_back(
        uow_factory: Any, lifecycles: Any, controller: Any) -> None:
    port = free_port()  # nothing listens here yet
    agreed(uow_factory, lifecycles)
    down = remind(D(2027, 1, 8), port, uow_factory, lifecycles)
    assert (down.sent, down.failed, down.waiting) == (0, 1, 1)
    [failed] = outbox_messages(uow=uow_factory(), failed=True)
    assert failed.status == "pending" and failed.attempts == 1
    assert f"through 127.0.0.1:{port}: ConnectionRefusedError" in (failed.last_error or "")
    again = remind(D(2027, 1, 8), port, uow_factory, lifecycles, timedelta(minutes=1))  # within the backoff
    assert (again.sent, again.failed) == (0, 0)

    inbox = controller(port)
    assert remind(D(2027, 1, 8), port, uow_factory, lifecycles, timedelta(minutes=2)).sent == 0  # still waiting
    back = remind(D(2027, 1, 8), port, uow_factory, lifecycles, timedelta(minutes=6))
    assert (back.sent, back.failed, back.waiting) == (1, 0, 0)
    assert remind(D(2027, 1, 9), port, uow_factory, lifecycles).sent == 0
    assert [m["X-Pppflow-Key"] for _, m in inbox.received] == [f"{REF}:2027-01-15:checkin:reminder"]
    assert outbox_messages(uow=uow_factory(), failed=True) == []
    [sent] = outbox_messages(uow=uow_factory())
    assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, morning(D(2027, 1, 8)) + timedelta(minutes=6))
