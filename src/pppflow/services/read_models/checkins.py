"""Read schemas of check-ins (the calendar, one held, the effort log), the portfolio's agenda and the outbox."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from pppflow.services.read_models.base import ReadModel


class CheckinRead(ReadModel):
    date: date
    status: str = Field(description="upcoming, due (within the grace days), missed, held or closed (the partnership "
                                    "ended), on the day looked from")
    held_on: dt.date | None = None  # `date` is a field above: name the type through its module
    notes: str | None = None
    feedback: str | None = None
    recorded_by: str | None = None


class EffortRead(ReadModel):
    obligation: str
    activities: list[str]
    hours: Decimal


class EffortLogRead(EffortRead):
    checkin: date


class CheckinsRead(ReadModel):
    ref: str
    as_of: date
    checkins: list[CheckinRead]
    effort_log: list[EffortLogRead]


class ResultRead(ReadModel):
    obligation: str
    status: str
    evidence: str | None = None


class CheckinRecordRead(ReadModel):
    ref: str
    checkin: date = Field(description="the planned date of the check-in held")
    status: str
    held_on: date | None = None
    notes: str | None = None
    feedback: str | None = None
    efforts: list[EffortRead]
    results: list[ResultRead]


class AgendaItemRead(ReadModel):
    kind: Literal["checkin", "obligation"]
    ref: str
    name: str
    date: date
    days: int = Field(description="days from the day looked from (negative: overdue)")
    status: str
    obligation: str | None = None
    title: str | None = None
    owner: str | None = None


class RecipientRead(ReadModel):
    email: str
    name: str = ""
    role: str = ""


class OutboxMessageRead(ReadModel):
    id: int | None = None
    key: str
    ref: str = Field(description="the partnership's reference")
    kind: str
    step: str
    about: str
    send_on: date
    recipients: list[RecipientRead]
    subject: str
    status: str
    failed: bool = Field(description="given up, or waiting for a retry after a failed attempt")
    attempts: int
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    created_at: datetime
    sent_at: datetime | None = None
    handed_at: datetime | None = None
    pruned_at: datetime | None = None
    message_id: str
    file: str | None = Field(None, description="the .eml written by the file mailer (none when sent by SMTP)")
