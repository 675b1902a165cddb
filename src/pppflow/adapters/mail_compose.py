"""Turn a due reminder into an e-mail: subject, text and HTML bodies, and a calendar invitation.

No clock: the caller passes `now` (the Date header and the DTSTAMP of the invitation). The Message-ID and
the invitation UID derive from the reminder key, so a resend is recognisable and an update replaces the event.
Bodies are rendered with Jinja2; the HTML one autoescapes, because titles and names are user data.
"""

from __future__ import annotations

import email.errors
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from icalendar import Calendar, Event, vCalAddress
from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

from pppflow.domain.reminders import CC, STEERING, Recipient, ReminderDue
from pppflow.errors import BadInput

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PRODID = "-//pppflow//check-in reminders//EN"

TEXT_TEMPLATE = """\
{{ greeting }}

{% for paragraph in paragraphs %}{{ paragraph }}

{% endfor %}{% for label, value in facts %}{{ label }}: {{ value }}
{% endfor %}
{{ "-- " }}
pppflow, on behalf of {{ partnership }}
{% if reply_to %}Reply to this message to reach the coordinator.
{% endif %}"""

HTML_TEMPLATE = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; line-height: 1.4">
<p>{{ greeting }}</p>
{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>
{% endfor %}<table cellpadding="4">
{% for label, value in facts %}<tr><th align="left">{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
<p style="color: #666">pppflow, on behalf of {{ partnership }}{% if reply_to %}.
Reply to this message to reach the coordinator.{% endif %}</p>
</body></html>
"""

TEMPLATES = Environment(
    loader=DictLoader({"letter.txt": TEXT_TEMPLATE, "letter.html": HTML_TEMPLATE}),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Letter:
    """The words of one message, before they become text and HTML."""

    subject: str
    paragraphs: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]


def compose(reminder: ReminderDue, *, mail_from: str, coordinator_email: str | None, partnership_name: str,
            now: datetime) -> EmailMessage:
    """The e-mail for one due reminder; replies go to the coordinator when an address is given."""
    words = letter(reminder, one_line(partnership_name))
    to = [r for r in reminder.recipients if r.role != CC]
    cc = [r for r in reminder.recipients if r.role == CC]
    message = EmailMessage()
    message["Subject"] = words.subject
    message["From"] = mail_from
    message["To"] = [address(r.name, r.email) for r in to]
    if cc:
        message["Cc"] = [address(r.name, r.email) for r in cc]
    if coordinator_email:
        message["Reply-To"] = address("", coordinator_email)
    message["Date"] = format_datetime(utc(now))
    message["Message-ID"] = message_id(reminder.key, mail_from)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office loops
    message["X-Pppflow-Key"] = reminder.key
    values = {"subject": words.subject, "greeting": greeting(to), "paragraphs": words.paragraphs,
              "facts": words.facts, "partnership": one_line(partnership_name), "reply_to": bool(coordinator_email)}
    message.set_content(TEMPLATES.get_template("letter.txt").render(values))
    message.add_alternative(TEMPLATES.get_template("letter.html").render(values), subtype="html")
    if reminder.kind == "checkin" and reminder.step == "reminder":
        invitation = calendar_invitation(reminder, organizer=coordinator_email or parseaddr(mail_from)[1],
                                         partnership_name=partnership_name, now=now)
        message.add_attachment(invitation, subtype="calendar", filename=f"checkin-{reminder.subject}.ics",
                               params={"method": "REQUEST"})
    return message


def letter(reminder: ReminderDue, partnership: str) -> Letter:
    """Subject and wording per kind and step."""
    c = reminder.context
    facts: tuple[tuple[str, str], ...]
    tag = f"— {partnership}"
    if reminder.kind == "checkin":
        when = date.fromisoformat(c["checkin_date"])
        grace_end = date.fromisoformat(c["grace_end"])
        facts = (("Partnership", partnership), ("Check-in", long_date(when, weekday=True)),
                 ("Record it by", long_date(grace_end)))
        if reminder.step == "reminder":
            return Letter(f"[pppflow] Check-in on {long_date(when)} {tag}", (
                f"The partners of {partnership} meet for their check-in on {long_date(when, weekday=True)}.",
                "A calendar invitation is attached. Please record the check-in in pppflow once it has been held.",
            ), facts)
        if reminder.step == "escalation":
            return Letter(f"[pppflow] Check-in of {long_date(when)} not held {tag}", (
                f"The check-in of {long_date(when)} has not been recorded as held, and its grace period of "
                f"{c['grace_days']} days ended on {long_date(grace_end)}.",
                "As coordinator, please arrange the check-in with the partners, or record it if it took place.",
            ), facts)
        if reminder.step == "steering":
                return Letter(f"[pppflow] Steering group: check-in of {long_date(when)} still not held {tag}", (
                f"The check-in of {partnership} on {long_date(when)} is still not recorded as held, although the "
                "coordinator was alerted when its grace period ended.",
                "The steering group is asked to see that the partners meet, or that the check-in is recorded.",
                *attention(reminder),
            ), facts)
    if reminder.kind == "obligation":
        due = date.fromisoformat(c["due"])
        title = one_line(c["title"])
        facts = (("Partnership", partnership), ("Obligation", title), ("Owner", str(c["owner"])),
                 ("Kind", "result (the outcome is owed)" if c["type"] == "result" else
                  "effort (best efforts are owed)"), ("Due", long_date(due)))
        if reminder.step == "due_soon":
            return Letter(f"[pppflow] Due on {long_date(due)}: {title} {tag}", (
                f"The obligation “{title}” falls due on {long_date(due, weekday=True)}.",
                "Please record in pppflow when it has been fulfilled, with the evidence.",
            ), facts)
        if reminder.step == "overdue":
            return Letter(f"[pppflow] Overdue since {long_date(due)}: {title} {tag}", (
                f"The obligation “{title}” was due on {long_date(due)} and is {c['status']}.",
                "The owner is asked to fulfil it or to agree a new date with the coordinator.",
            ), facts)
    if reminder.kind == "renewal" and reminder.step == "notice":
        deadline = date.fromisoformat(c["notice_deadline"])
        last_day = date.fromisoformat(c["last_day"])
        facts = (("Partnership", partnership), ("Term ends", long_date(last_day) + " (last day)"),
                 ("Notice period", f"{c['notice_days']} days"), ("Notice deadline", long_date(deadline)))
        if c["renewal"] == "automatic":
            return Letter(f"[pppflow] Renews automatically unless notice is given by {long_date(deadline)} {tag}", (
                f"The agreement of {partnership} renews automatically after {long_date(last_day)} "
                f"unless notice is given by {long_date(deadline)}.",
                "A partner who does not wish to continue must give notice by that date.",
                *attention(reminder),
            ), facts)
        return Letter(f"[pppflow] Decide on renewal by {long_date(deadline)} {tag}", (
            f"The term of {partnership} ends after {long_date(last_day)}. The partners are asked to decide "
            f"on renewal; notice must be given by {long_date(deadline)}.",
            *attention(reminder),
        ), facts)
    raise BadInput(f"no wording for reminder kind {reminder.kind!r}, step {reminder.step!r}")


def attention(reminder: ReminderDue) -> tuple[str, ...]:
    """A line asking contacts to pass the message on to the signatories they receive it for."""
    names = [f"{one_line(r.on_behalf_of)} (via {one_line(r.name)})" for r in reminder.recipients
             if r.role == STEERING and r.on_behalf_of]
    return (f"Contacts: please pass this message on to your signatory: {', '.join(names)}.",) if names else ()


def calendar_invitation(reminder: ReminderDue, *, organizer: str, partnership_name: str, now: datetime) -> str:
    """An iCalendar REQUEST with one all-day VEVENT on the check-in date; its UID is stable per check-in."""
    when = date.fromisoformat(reminder.context["checkin_date"])
    event = Event.new(
        uid=invitation_uid(reminder),
        start=when,
        end=when + timedelta(days=1),
        stamp=utc(now),
        sequence=0,
        summary=f"Check-in: {one_line(partnership_name)}",
        description=f"Check-in of the partners of {one_line(partnership_name)}. Record it in pppflow when held.",
        organizer=vCalAddress(f"mailto:{organizer}"),
        attendees=[attendee(r.name, r.email) for r in reminder.recipients if r.role != CC],
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


def invitation_uid(reminder: ReminderDue) -> str:
    """Stable per partnership and check-in date: a later invitation for the same check-in replaces it."""
    return f"{token(reminder.partnership_ref)}.{reminder.kind}.{token(reminder.subject)}@pppflow"


def attendee(name: str, email_address: str) -> vCalAddress:
    """An ATTENDEE of the invitation, named by CN."""
    person = vCalAddress(f"mailto:{email_address}")
    person.params["CN"] = one_line(name) or email_address
    person.params["ROLE"] = "REQ-PARTICIPANT"
    return person


def message_id(key: str, mail_from: str) -> str:
    """`<hash.kind.step@sender-domain>`: the same reminder key always gives the same Message-ID.

    Kept within 66 characters so that the header is never folded: Python's parser keeps the fold's space
    in a folded Message-ID, and a resend would then not compare equal.
    """
    domain = token(parseaddr(mail_from)[1].rpartition("@")[2] or "pppflow.invalid")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    kind_step = ".".join(key.split(":")[-2:])
    readable = f"<{digest}.{token(kind_step)}@{domain}>"
    return readable if len(readable) <= 66 else f"<{digest}@{domain}>"


def token(text: str) -> str:
    """Only characters that are safe in a Message-ID, a UID and a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text.replace(":", ".")).strip(".-") or "x"


def address(name: str, email_address: str) -> Address:
    """A header address; BadInput names the bad address instead of a parser error."""
    try:
        if "@" not in email_address:
            raise ValueError("no @")
        return Address(display_name=one_line(name), addr_spec=email_address.strip())
    except (ValueError, IndexError, email.errors.MessageError) as exc:
        raise BadInput(f"not a usable e-mail address: {email_address!r}") from exc


def greeting(to: list[Recipient]) -> str:
    """`Dear Name,` for one addressee, `Dear all,` for several."""
    names = [r.name for r in to]
    return f"Dear {one_line(names[0])}," if len(names) == 1 and names[0] else "Dear all,"


def one_line(text: str) -> str:
    """Collapse whitespace, including line breaks, which must never reach a header."""
    return " ".join(str(text).split())


def long_date(day: date, *, weekday: bool = False) -> str:
    """`15 January 2027` (or `Friday 15 January 2027`), independent of the locale."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def utc(moment: datetime) -> datetime:
    """A naive `now` is taken to be UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
