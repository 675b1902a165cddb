"""The check-in invitation carries the spec's time, length and location through import, the reminder job's SQL
reads and export (issue 13), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar

from pppflow.adapters.mail import FakeMailer
from pppflow.services import partnerships
from pppflow.services.reminders import send_due_reminders
from scheduling import REF, agreed, morning, with_report


def test_a_timed_checkin_with_a_location_reaches_the_invitation_and_the_export(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    raw = with_report()
    raw["checkins"].update(time="09:15", minutes=45, location="Teams: weekly pact call")
    agreed(uow_factory, lifecycles, raw)
    mailer = FakeMailer()
    run = send_due_reminders(date(2027, 1, 8), uow_factory=uow_factory, mailer=mailer, lifecycles=lifecycles,
                             now=morning(date(2027, 1, 8)))
    assert run.sent == 1
    [part] = [p for p in mailer.sent[0].walk() if p.get_content_type() == "text/calendar"]
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2027, 1, 15, 9, 15)
    assert event.decoded("DTEND") == datetime(2027, 1, 15, 10, 0)
    assert str(event["LOCATION"]) == "Teams: weekly pact call"
    exported = partnerships.export_partnership(REF, uow=uow_factory())
    assert {k: exported["checkins"][k] for k in ("time", "minutes", "location")} == {
        "time": "09:15", "minutes": 45, "location": "Teams: weekly pact call"}
