"""The two statuses of a check-in: the one stored (`CheckinState`) and the one on a given day (`CheckinStatus`)."""

from __future__ import annotations

from enum import StrEnum


class CheckinState(StrEnum):
    """The stored status of a check-in."""

    SCHEDULED = "scheduled"
    HELD = "held"
    MISSED = "missed"
    CLOSED = "closed"  # not held when the partnership ended (concluded or terminated): nothing is owed any more


OPEN_STATES = (CheckinState.SCHEDULED.value, CheckinState.MISSED.value)


class CheckinStatus(StrEnum):
    """Where one check-in stands on a given day."""

    HELD = "held"
    UPCOMING = "upcoming"
    DUE = "due"
    MISSED = "missed"
    CLOSED = "closed"  # the partnership ended before it was held
