"""Partnerships whose framework is agreed (their check-ins planned), built through the real services."""

from __future__ import annotations

import dataclasses
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from factories import example_raw
from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.reminders import CheckinItem, ObligationItem, PartnerContact, PartnershipReminderView
from pppflow.services import changes, partnerships

# Before the example's term (1 January 2027): every one of its 36 monthly check-ins gets planned.
AGREED_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REF = "smart-industry-technician-pact"
COORDINATOR = "m.jansen@smartindustrypact.example"
CONTACTS = ["p.devries@noorderpoort.example", "e.mulder@hanze.example", "s.smit@techbedrijf.example",
            "l.deboer@provincie.example"]


def with_report(raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """The example spec plus a research plan owed by hanze on 31 March 2027."""
    raw = raw or example_raw()
    raw["obligations"].append({"key": "report", "title": "Deliver the research plan", "owner": "hanze",
                               "type": "result", "phase": "investment", "due": date(2027, 3, 31),
                               "acceptance_criteria": "Approved by the steering group"})
    return raw


def in_english(raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """The example spec (or `raw`) with English as its language: the example's own is Dutch, so is its mail."""
    raw = raw or example_raw()
    raw["language"] = "en"
    return raw


def agreed(uow_factory: Callable[[], UnitOfWork], lifecycles: LifecycleRegistry, raw: dict[str, Any] | None = None,
           *, now: datetime = AGREED_AT, name: str | None = None) -> str:
    """Import the spec, let every partner agree every goal, define the goals and agree the framework."""
    raw = raw or example_raw()
    if name:
        raw["name"] = name
    ref = partnerships.import_partnership(raw, uow=uow_factory(), lifecycles=lifecycles, actor="marieke", now=now).ref
    for goal in raw["goals"]:
        for partner in raw["partners"]:
            changes.agree_goal(ref, goal["key"], partner["key"], uow=uow_factory(), actor="marieke", now=now)
    for trigger in ("define_goals", "agree_framework"):
        partnerships.advance(ref, trigger, uow=uow_factory(), lifecycles=lifecycles, actor="marieke", now=now)
    return ref


def morning(day: date) -> datetime:
    """The moment the daily job runs on `day`."""
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


def afternoon(day: date) -> datetime:
    """When check-ins are recorded on `day`, after the morning's job."""
    return datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)


# A day in a portfolio where nothing was held: the steering mail for 15 April, the research plan overdue.
AS_OF = date(2027, 4, 22)
PARTNERSHIPS = 6


@dataclass
class RecordingMailer:
    """Appends each message's key to a file shared by the processes (one write per line: atomic)."""

    path: str
    delay: float = 0.02

    def send(self, message: EmailMessage) -> None:
        time.sleep(self.delay)  # a mail server is not instant: widens the window for a race
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, f"{os.getpid()} {message['X-Pppflow-Key']}\n".encode())
        finally:
            os.close(fd)


def portfolio(uow_factory: Any, lifecycles: Any) -> list[str]:
    """PARTNERSHIPS copies of the example with the research plan, each with its framework agreed."""
    return [agreed(uow_factory, lifecycles, with_report(), name=f"Pact {n}") for n in range(PARTNERSHIPS)]


def sent_keys(path: Path) -> Counter[str]:
    """How often each reminder key was sent, from a RecordingMailer's file."""
    return Counter(line.split(" ", 1)[1] for line in path.read_text().splitlines())


def reminder_view(*, name: str = "Smart Industry Technician Pact", checkin: date = date(2027, 1, 15),
                  obligation_title: str = "Develop and deliver three smart-industry modules",
                  **changes: Any) -> PartnershipReminderView:
    """A partnership as the reminder rules see it: two partners, one check-in, one result obligation due
    1 September 2027, a 36-month term from 1 January 2027; keyword arguments replace any other field."""
    view = PartnershipReminderView(
        ref="SIP-2027-001", name=name, coordinator_name="Marieke Jansen", coordinator_email=COORDINATOR,
        partners=(PartnerContact("noorderpoort", "Pieter de Vries", CONTACTS[0], "Anja Bakker"),
                  PartnerContact("hanze", "Erik Mulder", CONTACTS[1], "Henk Visser")),
        checkins=(CheckinItem(checkin),),
        obligations=(ObligationItem("modules", obligation_title, "noorderpoort", date(2027, 9, 1), "pending",
                                    "result"),),
        term_start=date(2027, 1, 1), term_months=36)
    return dataclasses.replace(view, **changes)


def first_five_months(ref: str) -> dict[str, date]:
    """What the example pact with a research report due 31 March 2027 is sent from January to May 2027, by key: a
    reminder a week before each check-in, escalations for the two not held (March after its grace, April also
    to the steering group) and the report's due-soon and overdue notices."""
    return {
        f"{ref}:2027-01-15:checkin:reminder": date(2027, 1, 8),
        f"{ref}:2027-02-15:checkin:reminder": date(2027, 2, 8),
        f"{ref}:2027-03-15:checkin:reminder": date(2027, 3, 8),
        f"{ref}:2027-03-15:checkin:escalation": date(2027, 3, 19),
        f"{ref}:report@2027-03-31:obligation:due_soon": date(2027, 3, 24),
        f"{ref}:report@2027-03-31:obligation:overdue": date(2027, 4, 1),
        f"{ref}:2027-04-15:checkin:reminder": date(2027, 4, 8),
        f"{ref}:2027-04-15:checkin:escalation": date(2027, 4, 19),
        f"{ref}:2027-04-15:checkin:steering": date(2027, 4, 22),
        f"{ref}:2027-05-15:checkin:reminder": date(2027, 5, 8),
    }

