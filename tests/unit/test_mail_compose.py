"""Reminder mail in the partnership's language: subject, text and HTML bodies, and the calendar invitation."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from email.message import EmailMessage

import pytest
from icalendar import Calendar

from pppflow.adapters.mail.compose import compose, letter
from pppflow.domain.reminders import (
    PartnershipReminderView,
    ReminderDue,
    reminders_due,
)
from scheduling import reminder_view

NAME = "Slimme Maakindustrie Pact"
COORDINATOR_EMAIL = "m.jansen@smartindustrypact.example"
NOW = datetime(2027, 1, 8, 6, 30, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & {title}'
VIEW = reminder_view(name=NAME, checkin=date(2027, 1, 12), obligation_title=HOSTILE, language="nl")
STEPS = [(date(2027, 1, 5), "reminder"), (date(2027, 1, 16), "escalation"), (date(2027, 1, 19), "steering"),
         (date(2027, 8, 25), "due_soon"), (date(2027, 9, 2), "overdue"), (date(2029, 9, 26), "notice")]


def due(as_of: date, step: str, view: PartnershipReminderView = VIEW) -> ReminderDue:
    [reminder] = [r for r in reminders_due(view, as_of) if r.step == step]
    return reminder


def composed(reminder: ReminderDue, language: str | None = "nl") -> EmailMessage:
    return compose(reminder, mail_from="pppflow <noreply@pppflow.example>", coordinator_email=COORDINATOR_EMAIL,
                   partnership_name=NAME, now=NOW, language=language)


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return str(part.get_content())


def test_a_dutch_checkin_reminder_is_dutch_in_subject_bodies_and_invitation() -> None:
    message = composed(due(date(2027, 1, 5), "reminder"))
    assert message["Subject"] == f"[pppflow] Herinnering: voortgangsgesprek op 12 januari 2027 — {NAME}"
    assert message["Content-Language"] == "nl"
    text, html = body(message, "plain"), body(message, "html")
    assert text.startswith("Geachte allen,\n\nDe partners van Slimme Maakindustrie Pact komen op dinsdag 12 januari "
                           "2027 bijeen voor hun voortgangsgesprek.\n")
    assert "Voortgangsgesprek: dinsdag 12 januari 2027\nVastleggen uiterlijk: 15 januari 2027\n" in text
    assert text.endswith(f"-- \npppflow, namens {NAME}\nU bereikt de coördinator door dit bericht te beantwoorden.\n")
    assert '<html lang="nl">' in html and "<p>Geachte allen,</p>" in html and "dinsdag 12 januari 2027" in html
    assert "<th align=\"left\">Vastleggen uiterlijk</th><td>15 januari 2027</td>" in html
    [invitation] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    [event] = Calendar.from_ical(invitation.get_content()).events
    assert str(event["SUMMARY"]) == f"Voortgangsgesprek: {NAME}"
    assert str(event["DESCRIPTION"]) == (f"Voortgangsgesprek van de partners van {NAME}. "
                                         "Leg het in pppflow vast zodra het is gehouden.")
    assert event["SUMMARY"].params["LANGUAGE"] == "nl" and event["DESCRIPTION"].params["LANGUAGE"] == "nl"
    assert event.start == date(2027, 1, 12)


def test_a_dutch_escalation_names_the_coordinator_and_the_grace_period() -> None:
    message = composed(due(date(2027, 1, 16), "escalation"))
    assert message["Subject"] == f"[pppflow] Voortgangsgesprek van 12 januari 2027 niet gehouden — {NAME}"
    text = body(message, "plain")
    assert text.startswith("Geachte Marieke Jansen,\n\nHet voortgangsgesprek van 12 januari 2027 is niet als gehouden "
                           "vastgelegd. De termijn van 3 dagen om het vast te leggen is op 15 januari 2027 verstreken.")
    assert not list(message.iter_attachments())


def test_a_grace_period_of_one_day_is_singular() -> None:
    view = dataclasses.replace(VIEW, grace_days=1)
    assert "De termijn van 1 dag " in body(composed(due(date(2027, 1, 14), "escalation", view)), "plain")
    assert "grace period of 1 day ended" in body(composed(due(date(2027, 1, 14), "escalation", view), "en"), "plain")


def test_a_dutch_steering_mail_asks_contacts_to_pass_it_on_to_their_signatory() -> None:
    content = letter(due(date(2027, 1, 19), "steering"), NAME, language="nl")
    assert content.subject == (
        f"[pppflow] Stuurgroep: voortgangsgesprek van 12 januari 2027 nog steeds niet gehouden — {NAME}")
    assert content.paragraphs[-1] == ("Aan de contactpersonen: wilt u dit bericht doorsturen naar de tekenbevoegde "
                                      "van uw organisatie: Anja Bakker (via Pieter de Vries), Henk Visser (via Erik "
                                      "Mulder).")
    assert content.facts[0] == ("Samenwerking", NAME)


@pytest.mark.parametrize(("renewal", "subject", "paragraph"), [
    ("manual", f"[pppflow] Besluit over verlenging uiterlijk 3 oktober 2029 — {NAME}",
     f"De looptijd van {NAME} eindigt na 31 december 2029. Wij verzoeken de partners over verlenging te besluiten; "
     "een eventuele opzegging moet uiterlijk op 3 oktober 2029 worden gedaan."),
    ("automatic", f"[pppflow] Stilzwijgende verlenging, tenzij uiterlijk 3 oktober 2029 wordt opgezegd — {NAME}",
     f"De overeenkomst van {NAME} wordt na 31 december 2029 stilzwijgend verlengd, tenzij uiterlijk op "
     "3 oktober 2029 wordt opgezegd."),
])
def test_a_dutch_renewal_notice(renewal: str, subject: str, paragraph: str) -> None:
    message = composed(due(date(2029, 9, 26), "notice", dataclasses.replace(VIEW, renewal=renewal)))
    assert message["Subject"] == subject
    text = body(message, "plain")
    assert paragraph in text
    assert ("Einde looptijd: 31 december 2029 (laatste dag)\nOpzegtermijn: 90 dagen\n"
            "Uiterlijk opzeggen op: 3 oktober 2029\n") in text


def test_dutch_obligation_mail_escapes_the_title_in_html_only() -> None:
    soon, overdue = composed(due(date(2027, 8, 25), "due_soon")), composed(due(date(2027, 9, 2), "overdue"))
    assert soon["Subject"] == f"[pppflow] Uiterlijk 1 september 2027: {HOSTILE} — {NAME}"
    assert overdue["Subject"] == f"[pppflow] Termijn verstreken op 1 september 2027: {HOSTILE} — {NAME}"
    assert f"De verplichting “{HOSTILE}” moet uiterlijk op woensdag 1 september 2027 zijn nagekomen." in \
        body(soon, "plain")
    assert "Soort: resultaatsverplichting" in body(soon, "plain")
    assert "had uiterlijk op 1 september 2027 moeten zijn nagekomen en staat nog open." in body(overdue, "plain")
    html = body(soon, "html")
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; {title}" in html


@pytest.mark.parametrize("language", ["fr", None, ""])
def test_an_unknown_language_gets_the_english_mail(language: str | None) -> None:
    reminder = due(date(2027, 1, 5), "reminder")
    english, other = composed(reminder, "en"), composed(reminder, language)
    assert other["Subject"] == english["Subject"] == f"[pppflow] Check-in on 12 January 2027 — {NAME}"
    assert body(other, "plain") == body(english, "plain") and other["Content-Language"] == "en"
    assert "Dear all," in body(other, "plain") and "Tuesday 12 January 2027" in body(other, "plain")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("as_of", "step"), STEPS)
def test_every_step_is_worded_in_every_language_without_a_placeholder_left(
        language: str, as_of: date, step: str) -> None:
    message = composed(due(as_of, step), language)
    for text in (message["Subject"], body(message, "plain"), body(message, "html")):
        assert "{" not in text.replace("{title}", "")  # the hostile title's own braces stay
    assert message["Content-Language"] == language


def test_the_dutch_and_english_mail_differ_only_in_words() -> None:
    reminder = due(date(2027, 1, 5), "reminder")
    dutch, english = composed(reminder, "nl"), composed(reminder, "en")
    for header in ("Message-ID", "X-Pppflow-Key", "To", "Reply-To", "Date"):
        assert dutch[header] == english[header]


def test_an_escalation_to_the_coordinator_does_not_tell_them_to_reply_to_reach_the_coordinator() -> None:
    view = reminder_view(name=NAME, checkin=date(2027, 1, 12), language="en")
    escalation = next(r for r in reminders_due(view, date(2027, 1, 16)) if r.step == "escalation")
    assert [r.email for r in escalation.recipients] == [COORDINATOR_EMAIL]
    message = composed(escalation, language="en")
    assert "reach the coordinator" not in body(message, "plain") + body(message, "html")
    assert message["Reply-To"] is None
    reminder = next(r for r in reminders_due(view, date(2027, 1, 5)) if r.step == "reminder")
    assert "Reply to this message to reach the coordinator." in body(composed(reminder, language="en"), "plain")


def test_the_invitation_uses_the_checkin_time_length_and_location_when_the_spec_gives_them() -> None:
    view = reminder_view(name=NAME, checkin=date(2027, 1, 12), language="en", checkin_time="14:30",
                         checkin_minutes=90, checkin_location="Hanze, Zernikeplein 11, room 2.14")
    invitation = composed(due(date(2027, 1, 5), "reminder", view), language="en")
    [event] = Calendar.from_ical(invitation_part(invitation)).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2027, 1, 12, 14, 30)
    assert event.decoded("DTEND") == datetime(2027, 1, 12, 16, 0)
    assert str(event["LOCATION"]) == "Hanze, Zernikeplein 11, room 2.14"
    [all_day] = Calendar.from_ical(invitation_part(composed(due(date(2027, 1, 5), "reminder")))).walk("VEVENT")
    assert all_day.decoded("DTSTART") == date(2027, 1, 12) and "LOCATION" not in all_day


def invitation_part(message: EmailMessage) -> bytes:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part.get_payload(decode=True)  # type: ignore[no-any-return]
