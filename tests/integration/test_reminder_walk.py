"""Five months of a partnership, day by day, through the reminder service on a real SQLite database.

Each morning the job runs twice (the second run must send nothing); check-ins are recorded in the afternoon
on the day they were held. Exactly these messages go out, on these days, to these people.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from pppflow.adapters.db.database import session_factory
from pppflow.adapters.db.unit_of_work import SqlUnitOfWork, UnitOfWork
from pppflow.adapters.mail import FakeMailer
from pppflow.services import checkins, partnerships
from pppflow.services.audit import verify_audit
from pppflow.services.reminders import outbox_messages, send_due_reminders, send_renewal_notices
from scheduling import (
    CONTACTS,
    COORDINATOR,
    REF,
    afternoon,
    agreed,
    first_five_months,
    in_english,
    morning,
    with_report,
)

D = date
NAME = "Smart Industry Technician Pact"
HANZE = "e.mulder@hanze.example"
# planned date -> the day it was held (15 April is never held; 15 March is held late, after its escalation)
HELD = {D(2027, 1, 15): D(2027, 1, 15), D(2027, 2, 15): D(2027, 2, 18), D(2027, 3, 15): D(2027, 3, 20),
        D(2027, 5, 15): D(2027, 5, 15)}


@pytest.fixture
def uow_factory(tmp_path: Path) -> Callable[[], UnitOfWork]:
    factory = session_factory(f"sqlite:///{tmp_path / 'walk.db'}")
    yield lambda: SqlUnitOfWork(factory)
    factory.kw["bind"].dispose()


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def addresses(message: EmailMessage, header: str) -> list[str]:
    return [a.addr_spec for a in message[header].addresses] if message[header] else []


def test_five_months_day_by_day(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles, in_english(with_report()))
    mailer = FakeMailer()
    sent_on: dict[str, date] = {}
    for day in days(D(2027, 1, 1), D(2027, 5, 31)):
        for attempt in range(2):
            before = len(mailer.sent)
            run = send_due_reminders(day, uow_factory=uow_factory, mailer=mailer, now=morning(day) + timedelta(
                minutes=attempt), lifecycles=lifecycles, mail_from="pppflow <noreply@pppflow.example>")
            if attempt == 1:
                assert (run.queued, run.sent, len(mailer.sent)) == ([], 0, before), day
        for message in mailer.sent[len(sent_on):]:
            sent_on[message["X-Pppflow-Key"]] = day
        for planned, held_on in HELD.items():
            if held_on == day:
                checkins.record_checkin(REF, uow=uow_factory(), actor="marieke", now=afternoon(day),
                                        checkin=planned if held_on > planned + timedelta(days=3) else None)

    assert sent_on == first_five_months(REF)
    mail = {m["X-Pppflow-Key"]: m for m in mailer.sent}
    reminder = mail[f"{REF}:2027-04-15:checkin:reminder"]
    assert addresses(reminder, "To") == [*CONTACTS, COORDINATOR] and not reminder["Cc"]
    assert reminder["Subject"] == f"[pppflow] Check-in on 15 April 2027 — {NAME}"
    escalation = mail[f"{REF}:2027-04-15:checkin:escalation"]
    assert addresses(escalation, "To") == [COORDINATOR]
    assert escalation["Subject"] == f"[pppflow] Check-in of 15 April 2027 not held — {NAME}"
    steering = mail[f"{REF}:2027-04-15:checkin:steering"]
    assert (addresses(steering, "To"), addresses(steering, "Cc")) == (CONTACTS, [COORDINATOR])
    assert "Anja Bakker (via Pieter de Vries)" in steering.get_body(("plain",)).get_content()
    assert addresses(mail[f"{REF}:report@2027-03-31:obligation:due_soon"], "To") == [HANZE]
    assert addresses(mail[f"{REF}:report@2027-03-31:obligation:overdue"], "To") == [HANZE, COORDINATOR]

    overview = checkins.list_checkins(REF, uow=uow_factory(), as_of=D(2027, 5, 31))
    assert [(c.due.month, c.status, c.held_on) for c in overview.checkins[:5]] == [
        (1, "held", D(2027, 1, 15)), (2, "held", D(2027, 2, 18)), (3, "held", D(2027, 3, 20)),
        (4, "missed", None), (5, "held", D(2027, 5, 15))]
    trail = partnerships.history(REF, uow=uow_factory())
    assert [json.loads(e.after)["checkins"] for e in trail if e.action == "checkin.missed"] == [
        ["2027-03-15"], ["2027-04-15"]]
    assert [e.at[:10] for e in trail if e.action == "checkin.missed"] == ["2027-03-19", "2027-04-19"]
    assert verify_audit(uow=uow_factory()).ok


def test_the_renewal_notice_goes_out_once_before_the_notice_deadline(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles, in_english())
    mailer = FakeMailer()
    for day in days(D(2029, 9, 20), D(2029, 10, 5)):
        for _ in range(2):
            send_renewal_notices(day, uow_factory=uow_factory, mailer=mailer, now=morning(day),
                                 lifecycles=lifecycles)
        if day < D(2029, 9, 26):
            assert mailer.sent == [], day
    [notice] = mailer.sent
    assert notice["X-Pppflow-Key"] == f"{REF}:term-2030-01-01:renewal:notice"
    assert notice["Date"].datetime.date() == D(2029, 9, 26)
    assert addresses(notice, "To") == [COORDINATOR, *CONTACTS]
    assert notice["Subject"] == f"[pppflow] Decide on renewal by 3 October 2029 — {NAME}"


def test_each_partnership_is_reminded_in_its_own_language(uow_factory: Any, lifecycles: Any) -> None:
    dutch = agreed(uow_factory, lifecycles)  # the example's language is nl
    english = agreed(uow_factory, lifecycles, in_english(), name="Technician Pact in English")
    mailer = FakeMailer()
    for day in (D(2027, 1, 8), D(2027, 1, 19), D(2027, 1, 22)):
        send_due_reminders(day, uow_factory=uow_factory, mailer=mailer, now=morning(day), lifecycles=lifecycles)
    send_renewal_notices(D(2029, 9, 26), uow_factory=uow_factory, mailer=mailer, now=morning(D(2029, 9, 26)),
                         lifecycles=lifecycles)
    mail = {m["X-Pppflow-Key"]: m for m in mailer.sent}
    assert len(mail) == 8

    reminder = mail[f"{dutch}:2027-01-15:checkin:reminder"]
    assert reminder["Subject"] == f"[pppflow] Herinnering: voortgangsgesprek op 15 januari 2027 — {NAME}"
    assert reminder["Content-Language"] == "nl"
    text = reminder.get_body(("plain",)).get_content()
    assert text.startswith("Geachte allen,\n") and "op vrijdag 15 januari 2027 bijeen" in text
    assert "pppflow, namens " + NAME in text
    assert '<html lang="nl">' in reminder.get_body(("html",)).get_content()
    [invitation] = [p for p in reminder.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert "SUMMARY;LANGUAGE=nl:Voortgangsgesprek: " in invitation.get_content()

    escalation = mail[f"{dutch}:2027-01-15:checkin:escalation"]
    assert escalation["Subject"] == f"[pppflow] Voortgangsgesprek van 15 januari 2027 niet gehouden — {NAME}"
    text = escalation.get_body(("plain",)).get_content()
    assert text.startswith("Geachte Marieke Jansen,\n") and "van 3 dagen" in text and "18 januari 2027" in text

    steering = mail[f"{dutch}:2027-01-15:checkin:steering"]
    assert steering["Subject"].startswith("[pppflow] Stuurgroep: voortgangsgesprek van 15 januari 2027")
    assert "doorsturen naar de tekenbevoegde van uw organisatie: Anja Bakker (via Pieter de Vries)" in \
        steering.get_body(("plain",)).get_content()

    notice = mail[f"{dutch}:term-2030-01-01:renewal:notice"]
    assert notice["Subject"] == f"[pppflow] Besluit over verlenging uiterlijk 3 oktober 2029 — {NAME}"
    assert "eindigt na 31 december 2029" in notice.get_body(("plain",)).get_content()

    # the other partnership of the same runs keeps English
    assert mail[f"{english}:2027-01-15:checkin:reminder"]["Subject"] == (
        "[pppflow] Check-in on 15 January 2027 — Technician Pact in English")
    assert mail[f"{english}:term-2030-01-01:renewal:notice"]["Subject"].startswith("[pppflow] Decide on renewal")
    # the outbox keeps the composed message, so its listing shows the subject as sent
    rows = {row.key: row for row in outbox_messages(uow=uow_factory(), limit=None)}
    assert rows[f"{dutch}:2027-01-15:checkin:reminder"].subject == reminder["Subject"]
