"""Read schemas of the health score and the maturity self-assessment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from pppflow.services.read_models.base import ReadModel


class HealthComponentRead(ReadModel):
    key: str
    value: int | None = Field(description="0-100; null when not counted (no facts yet)")
    weight: int
    counted: bool
    sentence: str = Field(description="why, in plain words")


class HealthRead(ReadModel):
    ref: str
    name: str
    stage: str
    as_of: date
    score: int = Field(description="0-100")
    band: str = Field(description="healthy, attention or at_risk")
    weakest: str | None = Field(description="the key of the weakest counted component")
    components: list[HealthComponentRead]


class PortfolioHealthRead(ReadModel):
    as_of: date
    partnerships: list[HealthRead] = Field(description="every partnership not in a final stage, worst first")


class MaturityStationRead(ReadModel):
    station: int
    title: str
    partners: dict[str, dict[str, Any]] = Field(description="per partner: the latest level, its change, the spread")


class MaturityRead(ReadModel):
    ref: str
    framework: str
    rounds: int
    stations: list[MaturityStationRead]
    disagreements: list[str]


class AnswerRead(ReadModel):
    key: str
    station: int
    level: str
    evidence: str = ""


class MaturityRoundRead(ReadModel):
    ref: str
    round: int
    partner: str
    framework: str
    recorded_by: str
    on_behalf_of: str | None = None
    recorded_at: datetime
    answers: list[AnswerRead]
