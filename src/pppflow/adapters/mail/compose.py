"""Turn a due reminder into an e-mail: subject, text and HTML bodies, and a calendar invitation.

No clock: the caller passes `now` (the Date header and the DTSTAMP of the invitation). The Message-ID and
the invitation UID derive from the reminder key, so a resend is recognisable and an update replaces the event.
Bodies are rendered with Jinja2; the HTML one autoescapes, because titles and names are user data.
The words come from the mail texts of the partnership's language (`mail_wording`, `mail_texts/<lang>.yaml`):
subject, both bodies and the invitation's SUMMARY and DESCRIPTION; dates in that language's locale.
"""

from __future__ import annotations

import email.errors
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from icalendar import Calendar, Event, vCalAddress
from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

from pppflow.adapters.mail.wording import DEFAULT_LANGUAGE, Wording, wording
from pppflow.domain.reminders import CC, STEERING, Recipient, ReminderDue
from pppflow.errors import BadInput

PRODID = "-//pppflow//check-in reminders//EN"

TEXT_TEMPLATE = """\
{{ greeting }}

{% for paragraph in paragraphs %}{{ paragraph }}

{% endfor %}{% for label, value in facts %}{{ label }}: {{ value }}
{% endfor %}
{{ "-- " }}
{{ signature }}
{% if reply_to %}{{ reply_to }}
{% endif %}"""

HTML_TEMPLATE = """\
<!DOCTYPE html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; line-height: 1.4">
<p>{{ greeting }}</p>
{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>
{% endfor %}<table cellpadding="4">
{% for label, value in facts %}<tr><th align="left">{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
<p style="color: #666">{{ signature }}{% if reply_to %}.
{{ reply_to }}{% endif %}</p>
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
            now: datetime, language: str | None = DEFAULT_LANGUAGE) -> EmailMessage:
    """The e-mail for one due reminder in the partnership's language (English when it has no mail texts).

    Replies go to the coordinator when an address is given.
    """
    words = wording(language)
    partnership = one_line(partnership_name)
    content = letter(reminder, partnership, language=words.language)
    to = [r for r in reminder.recipients if r.role != CC]
    cc = [r for r in reminder.recipients if r.role == CC]
    message = EmailMessage()
    message["Subject"] = content.subject
    message["From"] = mail_from
    message["To"] = [address(r.name, r.email) for r in to]
    if cc:
        message["Cc"] = [address(r.name, r.email) for r in cc]
    # a reply reaches the coordinator, unless the coordinator is the only one written to (an escalation)
    replies_reach_coordinator = bool(coordinator_email) and any(
        r.email.strip().lower() != (coordinator_email or "").strip().lower() for r in to)
    if replies_reach_coordinator:
        message["Reply-To"] = address("", coordinator_email or "")
    message["Date"] = format_datetime(utc(now))
    message["Message-ID"] = message_id(reminder.key, mail_from)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office loops
    message["X-Pppflow-Key"] = reminder.key
    values = {"subject": content.subject, "greeting": greeting(to, language=words.language),
              "paragraphs": content.paragraphs, "facts": content.facts, "language": words.language,
              "signature": words.text("signature", partnership=partnership),
              "reply_to": words.text("reply_to") if replies_reach_coordinator else ""}
    message.set_content(TEMPLATES.get_template("letter.txt").render(values))
    message.add_alternative(TEMPLATES.get_template("letter.html").render(values), subtype="html")
    if reminder.kind == "checkin" and reminder.step == "reminder":
        invitation = calendar_invitation(reminder, organizer=coordinator_email or parseaddr(mail_from)[1],
                                         partnership_name=partnership_name, now=now, language=words.language)
        message.add_attachment(invitation, subtype="calendar", filename=f"checkin-{reminder.subject}.ics",
                               params={"method": "REQUEST"})
    message["Content-Language"] = words.language  # RFC 3282; last: set_content would drop it
    return message


def letter(reminder: ReminderDue, partnership: str, *, language: str | None = DEFAULT_LANGUAGE) -> Letter:
    """Subject, paragraphs and facts per kind and step, worded from the mail texts of the language."""
    w = wording(language)
    c = reminder.context
    facts: tuple[tuple[str, str], ...]

    def label(key: str) -> str:
        return w.text("facts", key)

    if reminder.kind == "checkin" and w.has("checkin", reminder.step):
        when = date.fromisoformat(c["checkin_date"])
        grace_end = date.fromisoformat(c["grace_end"])
        values = {"partnership": partnership, "date": w.date(when), "weekday_date": w.date(when, weekday=True),
                  "grace": w.text("days", count=c["grace_days"]), "grace_end": w.date(grace_end)}
        facts = ((label("partnership"), partnership), (label("checkin"), w.date(when, weekday=True)),
                 (label("record_by"), w.date(grace_end)))
        extra = attention(reminder, language=w.language) if reminder.step == "steering" else ()
        return worded(w, ("checkin", reminder.step), values, facts, extra)
    if reminder.kind == "obligation" and w.has("obligation", reminder.step):
        due = date.fromisoformat(c["due"])
        title = one_line(c["title"])
        status = str(c["status"])
        values = {"partnership": partnership, "title": title, "due": w.date(due),
                  "weekday_due": w.date(due, weekday=True),
                  "status": w.text("values", "status", status) if w.has("values", "status", status) else status}
        facts = ((label("partnership"), partnership), (label("obligation"), title), (label("owner"), str(c["owner"])),
                 (label("kind"), w.text("values", "result" if c["type"] == "result" else "effort")),
                 (label("due"), w.date(due)))
        return worded(w, ("obligation", reminder.step), values, facts)
    if reminder.kind == "renewal" and reminder.step == "notice":
        deadline = date.fromisoformat(c["notice_deadline"])
        last_day = date.fromisoformat(c["last_day"])
        values = {"partnership": partnership, "deadline": w.date(deadline), "last_day": w.date(last_day)}
        facts = ((label("partnership"), partnership),
                 (label("term_ends"), w.text("values", "last_day", date=w.date(last_day))),
                 (label("notice_period"), w.text("days", count=c["notice_days"])),
                 (label("notice_deadline"), w.date(deadline)))
        variant = "automatic" if c["renewal"] == "automatic" else "manual"
        return worded(w, ("renewal", "notice", variant), values, facts, attention(reminder, language=w.language))
    raise BadInput(f"no wording for reminder kind {reminder.kind!r}, step {reminder.step!r}")


def worded(w: Wording, path: tuple[str, ...], values: dict[str, Any], facts: tuple[tuple[str, str], ...],
           extra: tuple[str, ...] = ()) -> Letter:
    """The letter of the message at `path` in the mail texts, its placeholders filled with `values`."""
    return Letter(w.text(*path, "subject", **values), (*w.paragraphs(*path, "paragraphs", **values), *extra), facts)


def attention(reminder: ReminderDue, *, language: str | None = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """A line asking contacts to pass the message on to the signatories they receive it for."""
    w = wording(language)
    names = [w.text("attention", "name", signatory=one_line(r.on_behalf_of), contact=one_line(r.name))
             for r in reminder.recipients if r.role == STEERING and r.on_behalf_of]
    return (w.text("attention", "line", names=", ".join(names)),) if names else ()


def calendar_invitation(reminder: ReminderDue, *, organizer: str, partnership_name: str, now: datetime,
                        language: str | None = DEFAULT_LANGUAGE) -> str:
    """An iCalendar REQUEST with one VEVENT on the check-in date: at the spec's time (local, floating) for its
    minutes, else all-day; with the spec's location when given. Its UID is stable per check-in."""
    w = wording(language)
    when = date.fromisoformat(reminder.context["checkin_date"])
    partnership = one_line(partnership_name)
    start: date | datetime = when
    end: date | datetime = when + timedelta(days=1)
    if reminder.context.get("checkin_time"):
        start = datetime.combine(when, time.fromisoformat(reminder.context["checkin_time"]))
        end = start + timedelta(minutes=int(reminder.context.get("checkin_minutes") or 60))
    event = Event.new(
        uid=invitation_uid(reminder),
        start=start,
        end=end,
        stamp=utc(now),
        sequence=0,
        summary=w.text("invitation", "summary", partnership=partnership),
        description=w.text("invitation", "description", partnership=partnership),
        organizer=vCalAddress(f"mailto:{organizer}"),
        attendees=[attendee(r.name, r.email) for r in reminder.recipients if r.role != CC],
    )
    if reminder.context.get("checkin_location"):
        event.add("location", one_line(reminder.context["checkin_location"]))
    for name in ("SUMMARY", "DESCRIPTION"):
        event[name].params["LANGUAGE"] = w.language  # RFC 5545 3.2.10
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


def greeting(to: list[Recipient], *, language: str | None = DEFAULT_LANGUAGE) -> str:
    """`Dear Name,` for one addressee, `Dear all,` for several (in the language's words)."""
    w = wording(language)
    names = [r.name for r in to]
    return w.text("greeting", "one", name=one_line(names[0])) if len(names) == 1 and names[0] else \
        w.text("greeting", "all")


def one_line(text: str) -> str:
    """Collapse whitespace, including line breaks, which must never reach a header."""
    return " ".join(str(text).split())


def long_date(day: date, *, weekday: bool = False, language: str | None = DEFAULT_LANGUAGE) -> str:
    """`15 January 2027` (or `Friday 15 January 2027`); in Dutch `vrijdag 15 januari 2027`."""
    return wording(language).date(day, weekday=weekday)


def utc(moment: datetime) -> datetime:
    """A naive `now` is taken to be UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
