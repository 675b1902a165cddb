"""Composed reminder mail through a real SMTP server (aiosmtpd on 127.0.0.1), a file directory and the fake."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import logging
import os
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from icalendar import Calendar

from pppflow.adapters.mail import FakeMailer, FileMailer, MailDeliveryError, SmtpMailer, compose
from pppflow.domain.reminders import (
    ReminderDue,
    reminders_due,
)
from pppflow.errors import BadInput
from scheduling import reminder_view

NAME = "Smart Industry Technician Pact"
MAIL_FROM = "pppflow <noreply@pppflow.example>"
COORDINATOR_EMAIL = "m.jansen@smartindustrypact.example"
NOW = datetime(2027, 1, 8, 6, 30, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'
VIEW = reminder_view(name=NAME, obligation_title=HOSTILE)


def due(as_of: date, step: str) -> ReminderDue:
    [reminder] = [r for r in reminders_due(VIEW, as_of) if r.step == step]
    return reminder


def composed(reminder: ReminderDue) -> EmailMessage:
    return compose(reminder, mail_from=MAIL_FROM, coordinator_email=COORDINATOR_EMAIL, partnership_name=NAME,
                   now=NOW)


@dataclass
class Inbox:
    """What the SMTP server received: (envelope sender, envelope recipients, parsed message)."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} body"
    return str(part.get_content())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_checkin_reminder_arrives_with_text_html_and_a_calendar_invitation(
        smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    reminder = due(date(2027, 1, 8), "reminder")
    SmtpMailer("127.0.0.1", port, security="none").send(composed(reminder))

    [(mail_from, rcpt_tos, message)] = inbox.received
    assert mail_from == "noreply@pppflow.example"
    assert sorted(rcpt_tos) == sorted(["p.devries@noorderpoort.example", "e.mulder@hanze.example",
                                       COORDINATOR_EMAIL])
    assert message["Subject"] == f"[pppflow] Check-in on 15 January 2027 — {NAME}"
    assert [a.addr_spec for a in message["To"].addresses] == [
        "p.devries@noorderpoort.example", "e.mulder@hanze.example", COORDINATOR_EMAIL]
    assert message["Reply-To"].addresses[0].addr_spec == COORDINATOR_EMAIL
    assert message["Message-ID"] == composed(reminder)["Message-ID"]  # stable: a resend is recognisable
    assert message["X-Pppflow-Key"] == "SIP-2027-001:2027-01-15:checkin:reminder"

    text = body(message, "plain")
    html = body(message, "html")
    assert "Dear all," in text and "Friday 15 January 2027" in text
    assert "<p>Dear all,</p>" in html and "Friday 15 January 2027" in html

    [invitation] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert invitation.get_param("method") == "REQUEST"
    assert invitation.get_filename() == "checkin-2027-01-15.ics"
    calendar = Calendar.from_ical(invitation.get_content())
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.events
    assert event.start == date(2027, 1, 15) and not isinstance(event.start, datetime)
    assert event.end == date(2027, 1, 16)
    assert event.DTSTAMP == NOW
    assert str(event["UID"]) == "SIP-2027-001.checkin.2027-01-15@pppflow"
    assert str(event["SUMMARY"]) == f"Check-in: {NAME}"
    assert sorted(str(a) for a in event.attendees) == sorted(
        f"mailto:{r.email}" for r in reminder.recipients)


def test_steering_mail_goes_to_the_contacts_for_their_signatories_with_the_coordinator_in_cc(
        smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    SmtpMailer("127.0.0.1", port, security="none").send(composed(due(date(2027, 1, 22), "steering")))
    [(_, rcpt_tos, message)] = inbox.received
    assert COORDINATOR_EMAIL in rcpt_tos and len(rcpt_tos) == 3
    assert [a.addr_spec for a in message["Cc"].addresses] == [COORDINATOR_EMAIL]
    assert message["Subject"].startswith("[pppflow] Steering group: check-in of 15 January 2027 still not held")
    text = body(message, "plain")
    assert "Anja Bakker (via Pieter de Vries)" in text and "Henk Visser (via Erik Mulder)" in text
    assert not list(message.iter_attachments())


def test_hostile_titles_are_escaped_in_html_and_kept_verbatim_in_text(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    SmtpMailer("127.0.0.1", port, security="none").send(composed(due(date(2027, 8, 25), "due_soon")))
    [(_, rcpt_tos, message)] = inbox.received
    assert rcpt_tos == ["p.devries@noorderpoort.example"]
    assert message["Subject"] == f"[pppflow] Due on 1 September 2027: {HOSTILE} — {NAME}"
    html = body(message, "html")
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert HOSTILE in body(message, "plain")


def test_a_line_break_in_a_title_cannot_inject_a_header() -> None:
    reminder = due(date(2027, 8, 25), "due_soon")
    context = dict(reminder.context, title="Plan\r\nBcc: victim@example.org")
    message = composed(ReminderDue(**{**reminder.__dict__, "context": context}))
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]


def test_smtp_down_raises_mail_delivery_error() -> None:
    mailer = SmtpMailer("127.0.0.1", free_port(), security="none", timeout=2)
    with pytest.raises(MailDeliveryError) as caught:
        mailer.send(composed(due(date(2027, 1, 8), "reminder")))
    assert isinstance(caught.value.__cause__, OSError)
    assert "127.0.0.1" in caught.value.message


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made with `cryptography` (a dependency of the stack)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = dt.datetime.now(UTC) - dt.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_starttls_and_login(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cert_file, key_file = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    client_tls = ssl.create_default_context(cafile=str(cert_file))

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"pppflow", b"s3cret!")
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=server_tls,
                            require_starttls=True, authenticator=authenticator, auth_required=True)
    controller.start()
    try:
        message = composed(due(date(2027, 1, 8), "reminder"))
        with caplog.at_level(logging.DEBUG):
            SmtpMailer("127.0.0.1", controller.port, security="starttls", user="pppflow", password="s3cret!",
                       ssl_context=client_tls).send(message)
            assert len(inbox.received) == 1
            wrong = SmtpMailer("127.0.0.1", controller.port, security="starttls", user="pppflow",
                               password="wrong-Pa55", ssl_context=client_tls)
            with pytest.raises(MailDeliveryError, match="refused the login") as caught:
                wrong.send(message)
            # Without STARTTLS the server refuses to go on.
            with pytest.raises(MailDeliveryError):
                SmtpMailer("127.0.0.1", controller.port, security="none").send(message)
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    for text in (str(caught.value), repr(caught.value.details), repr(wrong), caplog.text):
        assert "wrong-Pa55" not in text and "s3cret!" not in text


def test_file_mailer_writes_a_parseable_eml_atomically(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    mailer = FileMailer(outbox)
    message = composed(due(date(2027, 1, 8), "reminder"))
    mailer.send(message)
    mailer.send(message)  # a resend replaces the file
    [written] = list(outbox.iterdir())
    assert written == mailer.path_of(message)
    assert written.name == message["Message-ID"].strip("<>") + ".eml"
    assert written.name.endswith(".checkin.reminder@pppflow.example.eml")
    parsed = BytesParser(policy=policy.default).parsebytes(written.read_bytes())
    assert parsed["Message-ID"] == message["Message-ID"]
    assert parsed["Subject"] == message["Subject"]
    [invitation] = [p for p in parsed.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert Calendar.from_ical(invitation.get_content()).events[0].start == date(2027, 1, 15)


def test_file_mailer_leaves_nothing_behind_when_the_rename_fails(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_replace(source: str, target: str) -> None:
        raise PermissionError("read-only mail directory")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(MailDeliveryError) as caught:
        FileMailer(tmp_path).send(composed(due(date(2027, 1, 8), "reminder")))
    assert isinstance(caught.value.__cause__, PermissionError)
    assert list(tmp_path.iterdir()) == []


def test_fake_mailer_simulates_an_outage_then_delivers() -> None:
    mailer = FakeMailer(fail_times=2)
    message = composed(due(date(2027, 1, 8), "reminder"))
    for _ in range(2):
        with pytest.raises(MailDeliveryError):
            mailer.send(message)
    mailer.send(message)
    assert mailer.sent == [message] and mailer.attempts == 3


@pytest.mark.parametrize(("as_of", "step", "subject"), [
    (date(2027, 1, 8), "reminder", f"[pppflow] Check-in on 15 January 2027 — {NAME}"),
    (date(2027, 1, 19), "escalation", f"[pppflow] Check-in of 15 January 2027 not held — {NAME}"),
    (date(2027, 1, 22), "steering",
     f"[pppflow] Steering group: check-in of 15 January 2027 still not held — {NAME}"),
    (date(2027, 8, 25), "due_soon", f"[pppflow] Due on 1 September 2027: {HOSTILE} — {NAME}"),
    (date(2027, 9, 2), "overdue", f"[pppflow] Overdue since 1 September 2027: {HOSTILE} — {NAME}"),
    (date(2029, 9, 26), "notice", f"[pppflow] Decide on renewal by 3 October 2029 — {NAME}"),
])
def test_every_step_has_its_own_subject_and_only_checkin_reminders_carry_an_invitation(
        as_of: date, step: str, subject: str) -> None:
    message = composed(due(as_of, step))
    assert message["Subject"] == subject
    invitations = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(invitations) == (1 if step == "reminder" else 0)
    assert len(message["Message-ID"]) <= 66


def test_automatic_renewal_names_the_notice_deadline() -> None:
    view = dataclasses.replace(VIEW, renewal="automatic")
    [notice] = [r for r in reminders_due(view, date(2029, 9, 26)) if r.kind == "renewal"]
    message = composed(notice)
    assert message["Subject"] == (
        f"[pppflow] Renews automatically unless notice is given by 3 October 2029 — {NAME}")
    text = body(message, "plain")
    assert "renews automatically after 31 December 2029" in text
    assert "Anja Bakker (via Pieter de Vries)" in text


def test_an_unknown_step_is_refused_rather_than_worded_as_another() -> None:
    reminder = due(date(2027, 1, 19), "escalation")
    with pytest.raises(BadInput, match="no wording"):
        composed(ReminderDue(**{**reminder.__dict__, "step": "final_warning"}))
