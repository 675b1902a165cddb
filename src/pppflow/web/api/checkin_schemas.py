"""Request and response bodies of the REST API for check-ins and the outbox (`XCreate` in, `XRead` out)."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from pppflow.web.api.schemas import _In, _Out


class CheckinRead(_Out):
    date: date
    status: str = Field(description="upcoming, due (within the grace days), missed, held or closed (the partnership "
                                    "ended), on today's date")
    held_on: dt.date | None = None  # `date` is a field above: name the type through its module
    notes: str | None = None
    feedback: str | None = None
    recorded_by: str | None = None


class EffortRead(_Out):
    checkin: date
    obligation: str
    activities: list[str]
    hours: Decimal


class CheckinsRead(_Out):
    ref: str
    as_of: date
    checkins: list[CheckinRead]
    effort_log: list[EffortRead]


class CheckinCreate(_In):
    held_on: date | None = Field(default=None, description="the day it was held (default: today)")
    checkin: date | None = Field(default=None, description="the planned date it counts for (default: the nearest "
                                                            "open one on or before held_on, else the next)")
    notes: str | None = Field(default=None, max_length=20_000)
    feedback: str | None = Field(default=None, max_length=20_000)
    progress: dict[str, Any] | None = Field(default=None, description="per-obligation progress, as the CLI's "
                                                                      "--progress file: {obligations: [...]}")


class CheckinRecordRead(_Out):
    ref: str
    checkin: date
    status: str
    held_on: date | None = None
    efforts: list[dict[str, Any]]
    results: list[dict[str, Any]]


class AgendaItemRead(_Out):
    kind: Literal["checkin", "obligation"]
    ref: str
    name: str
    day: date
    status: str
    obligation: str | None = None
    title: str | None = None
    owner: str | None = None


class OutboxMessageRead(_Out):
    id: int | None = None
    key: str
    partnership_ref: str
    kind: str
    step: str
    about: str
    send_on: date
    recipients: list[dict[str, str]]
    subject: str
    status: str
    attempts: int
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    created_at: datetime
    sent_at: datetime | None = None
