"""Pydantic's errors in the user's words: places as written in the file, one line per place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from pppflow.domain.spec_problems import validation_problems

Text = Annotated[str, StringConstraints(min_length=1)]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    activities: list[Text] | Text | None = None
    quantity: str | int | None = None
    hours: Decimal | None = None
    per_day: dict[Annotated[str, StringConstraints(pattern="^[a-z]+$")], int] = {}
    date: date


def problems(raw: dict[str, Any]) -> list[str]:
    try:
        Entry.model_validate(raw)
    except ValidationError as exc:
        return validation_problems(exc.errors(), raw, not_a_field="is not a field of an entry")
    raise AssertionError("valid")


def test_a_union_is_one_line_at_its_place_in_the_file() -> None:
    assert problems({"activities": {"a": 1}, "quantity": {"x": 1}, "date": "2027-01-01"}) == [
        "activities: must be a list or text", "quantity: must be a number (such as 1200 or 1200.50)"]


def test_the_alternative_that_fits_names_the_inner_places() -> None:
    assert problems({"activities": ["ok", 1, {"x": 2}], "date": "2027-01-01"}) == [
        "activities[1]: must be text", "activities[2]: must be text"]


def test_keys_are_named_as_written_and_a_missing_field_named_date_is_required() -> None:
    assert problems({"per_day": {date(2027, 2, 20): 1, "AB": 2}, "hours": "lots", "colour": "red"}) == [
        "per_day.2027-02-20: a key must be text (put it in quotes)",
        "hours: must be a number (such as 1200 or 1200.50)",
        "per_day.AB: the key has an invalid form (lower-case letters, digits, - and _)", "date: is required",
        "colour: is not a field of an entry"]
