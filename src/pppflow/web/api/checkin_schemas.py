"""Request bodies of the REST API for check-ins (`XCreate`); the answers are in services/read_models/checkins.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from pppflow.web.api.schemas import _In


class CheckinCreate(_In):
    held_on: date | None = Field(default=None, description="the day it was held (default: today)")
    checkin: date | None = Field(default=None, description="the planned date it counts for (default: the nearest "
                                                            "open one on or before held_on, else the next)")
    notes: str | None = Field(default=None, max_length=20_000)
    feedback: str | None = Field(default=None, max_length=20_000)
    progress: dict[str, Any] | None = Field(default=None, description="per-obligation progress, as the CLI's "
                                                                      "--progress file: {obligations: [...]}")


