"""Which reminder messages are due on one day: pure rules, data in and decisions out.

A message is due on `as_of` when its `send_on <= as_of` and it is still relevant then, so a run that missed
a day (downtime) catches up. What "still relevant" means per step:

- check-in reminder: until the check-in date, while the check-in is not held;
- escalation: from the day after the grace period until the steering step takes over, while not held;
- steering escalation: for STEERING_CATCH_UP_DAYS after its day, while not held;
- obligation due soon: until the due date, while pending; overdue: from the day after, while pending or breached;
- renewal notice: until the notice deadline (automatic renewal) or the end of the term (manual renewal).

The same message may be due on several days in a row: `ReminderDue.key` is the dedupe key of the outbox,
so a caller sends each key once. A check-in counts as held on `as_of` only when `held_on <= as_of`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from pppflow.domain.checkins.schedule import term_end
from pppflow.domain.model import Partnership

STEERING_CATCH_UP_DAYS = 30

# Recipient roles: `cc` goes in the Cc header, every other role in To.
CONTACT, COORDINATOR, OWNER, SIGNATORY, STEERING, CC = "contact", "coordinator", "owner", "signatory", "steering", "cc"


@dataclass(frozen=True)
class Recipient:
    """One addressee; `on_behalf_of` names the signatory a `steering` contact receives the mail for."""

    name: str
    email: str
    role: str
    on_behalf_of: str = ""


@dataclass(frozen=True)
class ReminderDue:
    """A message the rules say is due; `context` holds JSON-safe values (dates as ISO strings)."""

    kind: str
    subject: str
    step: str
    send_on: date
    recipients: tuple[Recipient, ...]
    partnership_ref: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The unique dedupe key of the outbox."""
        return f"{self.partnership_ref}:{self.subject}:{self.kind}:{self.step}"


class PartnerContact(NamedTuple):
    """A partner as the rules see it: who to write to, and the signatory to reach through them."""

    key: str
    contact_name: str
    contact_email: str
    signatory_name: str
    signatory_email: str | None = None


class CheckinItem(NamedTuple):
    """One scheduled check-in and the day it was held, if it was."""

    due: date
    held_on: date | None = None


class ObligationItem(NamedTuple):
    """One obligation; one without a due date never produces a reminder."""

    key: str
    title: str
    owner: str
    due: date | None
    status: str
    type: str


@dataclass(frozen=True)
class PartnershipReminderView:
    """Exactly what the reminder rules read of one partnership; tuples may be plain or the NamedTuples above.

    Signatories have no e-mail address in the spec format: the steering escalation goes to each partner's
    contact with role `steering` and `on_behalf_of` set to the signatory, unless a signatory e-mail is given.
    """

    ref: str
    name: str
    coordinator_name: str
    coordinator_email: str
    partners: tuple[PartnerContact, ...] = ()
    checkins: tuple[CheckinItem, ...] = ()
    obligations: tuple[ObligationItem, ...] = ()
    remind_days_before: int = 7
    grace_days: int = 3
    term_start: date | None = None
    term_months: int | None = None
    notice_days: int = 90
    renewal: str = "manual"
    language: str = "en"  # of the partnership: the messages are worded in it
    checkin_time: str | None = None  # HH:MM of the check-ins; None: all-day
    checkin_minutes: int | None = None
    checkin_location: str | None = None

    @property
    def coordinator(self) -> Recipient:
        """The coordinator as a To recipient."""
        return Recipient(self.coordinator_name, self.coordinator_email, COORDINATOR)

    def contact_of(self, partner_key: str) -> Recipient | None:
        """The contact of a partner as the owner of an obligation; None for an unknown partner."""
        for key, name, email, *_ in self.partners:
            if key == partner_key:
                return Recipient(name, email, OWNER)
        return None


def reminder_view(partnership: Partnership,
                  checkins: Iterable[tuple[date, date | None]]) -> PartnershipReminderView:
    """The view of a loaded partnership; `checkins` are the (date, held_on) rows the caller selected."""
    p = partnership
    return PartnershipReminderView(
        ref=p.ref, name=p.name, coordinator_name=p.coordinator_name, coordinator_email=p.coordinator_email,
        partners=tuple(PartnerContact(x.key, x.contact_name, x.contact_email, x.signatory_name)
                       for x in p.partners),
        checkins=tuple(CheckinItem(when, held_on) for when, held_on in checkins),
        obligations=tuple(ObligationItem(o.key, o.title, o.owner, o.due, o.status, o.type)
                          for o in p.obligations),
        remind_days_before=p.remind_days_before, grace_days=p.grace_days, term_start=p.term_start,
        term_months=p.term_months, notice_days=p.term_notice_days, renewal=p.term_renewal, language=p.language)


def candidate_window(as_of: date, remind_days_before: int, grace_days: int) -> tuple[date, date]:
    """Inclusive range of check-in dates that can produce a message on `as_of` (for a database pre-select)."""
    earliest = as_of - timedelta(days=2 * grace_days + 1 + STEERING_CATCH_UP_DAYS)
    return earliest, as_of + timedelta(days=remind_days_before)


def checkin_reminder(view: PartnershipReminderView, checkin: tuple[date, date | None],
                     as_of: date) -> ReminderDue | None:
    """Reminder to every partner contact and the coordinator, `remind_days_before` the check-in."""
    when, held_on = checkin
    send_on = when - timedelta(days=view.remind_days_before)
    if not send_on <= as_of <= when or held(held_on, as_of):
        return None
    recipients = [Recipient(name, email, CONTACT) for _, name, email, *_ in view.partners]
    return due(view, "checkin", when.isoformat(), "reminder", send_on, [*recipients, view.coordinator],
               checkin_context(view, when))


def checkin_escalation(view: PartnershipReminderView, checkin: tuple[date, date | None],
                       as_of: date) -> ReminderDue | None:
    """Escalation to the coordinator the day after the grace period, until the steering step takes over."""
    when, held_on = checkin
    send_on = when + timedelta(days=view.grace_days + 1)
    until = send_on + timedelta(days=max(view.grace_days, 1))
    if not send_on <= as_of < until or held(held_on, as_of):
        return None
    return due(view, "checkin", when.isoformat(), "escalation", send_on, [view.coordinator],
               checkin_context(view, when))


def steering_escalation(view: PartnershipReminderView, checkin: tuple[date, date | None],
                        as_of: date) -> ReminderDue | None:
    """Escalation to the steering group (every signatory, coordinator in cc) after twice the grace period."""
    when, held_on = checkin
    send_on = when + timedelta(days=2 * view.grace_days + 1)
    if not send_on <= as_of <= send_on + timedelta(days=STEERING_CATCH_UP_DAYS) or held(held_on, as_of):
        return None
    recipients = []
    for _, contact_name, contact_email, signatory_name, *rest in view.partners:
        signatory_email = rest[0] if rest else None
        if signatory_email:
            recipients.append(Recipient(signatory_name, signatory_email, SIGNATORY))
        else:
            recipients.append(Recipient(contact_name, contact_email, STEERING, on_behalf_of=signatory_name))
    cc = Recipient(view.coordinator_name, view.coordinator_email, CC)
    return due(view, "checkin", when.isoformat(), "steering", send_on, [*recipients, cc],
               checkin_context(view, when))


def obligation_due_soon(view: PartnershipReminderView, obligation: tuple[Any, ...],
                        as_of: date) -> ReminderDue | None:
    """Reminder to the owner's contact `remind_days_before` a pending obligation falls due."""
    key, _title, owner, due_on, status, _type = obligation
    if due_on is None or status != "pending":
        return None
    send_on = due_on - timedelta(days=view.remind_days_before)
    if not send_on <= as_of <= due_on:
        return None
    return due(view, "obligation", obligation_subject(key, due_on), "due_soon", send_on,
               [r for r in [view.contact_of(owner)] if r],
               obligation_context(view, obligation))


def obligation_overdue(view: PartnershipReminderView, obligation: tuple[Any, ...],
                       as_of: date) -> ReminderDue | None:
    """Notice to the owner's contact and the coordinator the day after an obligation was due, while open."""
    key, _title, owner, due_on, status, _type = obligation
    if due_on is None or status not in ("pending", "breached"):
        return None
    send_on = due_on + timedelta(days=1)
    if as_of < send_on:
        return None
    return due(view, "obligation", obligation_subject(key, due_on), "overdue", send_on,
               [r for r in [view.contact_of(owner)] if r] + [view.coordinator],
               obligation_context(view, obligation))


def renewal_notice(view: PartnershipReminderView, as_of: date) -> ReminderDue | None:
    """Notice to the coordinator and every signatory, `remind_days_before` the notice deadline of the term.

    The deadline is `term_end - notice_days`; the notice goes out that many reminder days earlier so that
    partners can still act on it.
    """
    if view.term_start is None or not view.term_months:
        return None
    end = term_end(view.term_start, view.term_months)
    deadline = end - timedelta(days=view.notice_days)
    send_on = deadline - timedelta(days=view.remind_days_before)
    automatic = view.renewal == "automatic"
    if as_of < send_on or as_of > (deadline if automatic else end - timedelta(days=1)):
        return None
    recipients = [view.coordinator]
    for _, contact_name, contact_email, signatory_name, *rest in view.partners:
        signatory_email = rest[0] if rest else None
        recipients.append(Recipient(signatory_name, signatory_email, SIGNATORY) if signatory_email else
                          Recipient(contact_name, contact_email, STEERING, on_behalf_of=signatory_name))
    context = {"term_start": view.term_start.isoformat(), "term_end": end.isoformat(),
               "last_day": (end - timedelta(days=1)).isoformat(), "notice_deadline": deadline.isoformat(),
               "notice_days": view.notice_days, "renewal": "automatic" if automatic else "manual"}
    return due(view, "renewal", f"term-{end.isoformat()}", "notice", send_on, recipients, context)


def reminders_due(view: PartnershipReminderView, as_of: date) -> list[ReminderDue]:
    """Every message due for one partnership on `as_of`, ordered by send date and key."""
    found: list[ReminderDue | None] = []
    for checkin in view.checkins:
        for rule in (checkin_reminder, checkin_escalation, steering_escalation):
            found.append(rule(view, checkin, as_of))
    for obligation in view.obligations:
        found.append(obligation_due_soon(view, obligation, as_of))
        found.append(obligation_overdue(view, obligation, as_of))
    found.append(renewal_notice(view, as_of))
    return sorted((r for r in found if r is not None), key=lambda r: (r.send_on, r.key))


def held(held_on: date | None, as_of: date) -> bool:
    """Whether a check-in had been held by `as_of`."""
    return held_on is not None and held_on <= as_of


def obligation_subject(key: str, due_on: date) -> str:
    """The due date is part of the subject so that moving the date makes its reminders due again."""
    return f"{key}@{due_on.isoformat()}"


def checkin_context(view: PartnershipReminderView, when: date) -> dict[str, Any]:
    """What the wording of a check-in message needs."""
    grace_end = when + timedelta(days=view.grace_days)
    return {"checkin_date": when.isoformat(), "grace_days": view.grace_days, "grace_end": grace_end.isoformat(),
            "checkin_time": view.checkin_time, "checkin_minutes": view.checkin_minutes,
            "checkin_location": view.checkin_location}


def obligation_context(view: PartnershipReminderView, obligation: tuple[Any, ...]) -> dict[str, Any]:
    """What the wording of an obligation message needs."""
    key, title, owner, due_on, status, type_ = obligation
    return {"obligation": key, "title": title, "owner": owner, "due": due_on.isoformat(), "status": status,
            "type": type_}


def due(view: PartnershipReminderView, kind: str, subject: str, step: str, send_on: date,
        recipients: Iterable[Recipient], context: dict[str, Any]) -> ReminderDue | None:
    """Build the decision, dropping recipients without an address and repeated addresses; none left: None."""
    seen: set[str] = set()
    kept: list[Recipient] = []
    for recipient in recipients:
        address = (recipient.email or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            kept.append(recipient)
    if not kept:
        return None
    return ReminderDue(kind, subject, step, send_on, tuple(kept), view.ref, context)
