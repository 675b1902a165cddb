"""Problems of a document in the user's words: the path as written in the file and a short message per kind.

Pydantic's own English ("Input should be a valid decimal") and Python reprs (`datetime.date(2027, 2, 20)`) never
reach a user: every error type a document can meet has its own message here, and anything else says what was
expected in general terms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any


def written(part: object) -> str:
    """A key or index as the user wrote it (a date key as 2027-02-20, not a Python repr)."""
    return part.isoformat() if isinstance(part, date) else str(part)


def problem_path(loc: tuple[Any, ...]) -> str:
    """`obligations[1].due` from pydantic's location."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{written(part)}" if out else written(part))
    return out or "(document)"


def _number(value: object) -> str:
    return format(value, ",") if isinstance(value, int) else str(value)


def _literal(ctx: dict[str, Any]) -> str:
    return "must be one of " + str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")


def _pattern(ctx: dict[str, Any]) -> str:
    pattern = str(ctx.get("pattern", ""))
    if "@" in pattern:
        return "has an invalid form (an e-mail address)"
    if "A-Z" in pattern:
        return "must be a three-letter currency code in capitals, such as EUR"
    return "has an invalid form (lower-case letters, digits, - and _)"


AMOUNT = "must be an amount with at most 15 digits before the point and 2 after it"
MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda c: "is required",
    "extra_forbidden": lambda c: "is not a field of the pppflow/v1 format",
    "literal_error": _literal,
    "string_pattern_mismatch": _pattern,
    "string_type": lambda c: "must be text",
    "string_too_short": lambda c: "must not be empty",
    "string_too_long": lambda c: f"must be at most {_number(c.get('max_length'))} characters long",
    "string_unicode": lambda c: "must be text",
    "too_short": lambda c: f"must have at least {_number(c.get('min_length'))} item(s)",
    "too_long": lambda c: f"must have at most {_number(c.get('max_length'))} items",
    "list_type": lambda c: "must be a list",
    "dict_type": lambda c: "must be a mapping (key: value lines)",
    "model_type": lambda c: "must be a mapping (key: value lines)",
    "model_attributes_type": lambda c: "must be a mapping (key: value lines)",
    "invalid_key": lambda c: "a key must be text",
    "bool_type": lambda c: "must be true or false",
    "bool_parsing": lambda c: "must be true or false",
    "int_type": lambda c: "must be a whole number",
    "int_parsing": lambda c: "must be a whole number",
    "int_parsing_size": lambda c: "must be a whole number of sensible size",
    "int_from_float": lambda c: "must be a whole number",
    "greater_than_equal": lambda c: f"must be at least {_number(c.get('ge'))}",
    "greater_than": lambda c: f"must be more than {_number(c.get('gt'))}",
    "less_than_equal": lambda c: f"must be at most {_number(c.get('le'))}",
    "less_than": lambda c: f"must be less than {_number(c.get('lt'))}",
    "finite_number": lambda c: "must be a finite number",
    "decimal_type": lambda c: "must be a number (such as 1200 or 1200.50)",
    "decimal_parsing": lambda c: "must be a number (such as 1200 or 1200.50)",
    "decimal_max_digits": lambda c: AMOUNT,
    "decimal_whole_digits": lambda c: AMOUNT,
    "decimal_max_places": lambda c: AMOUNT,
    "float_type": lambda c: "must be a number",
    "float_parsing": lambda c: "must be a number",
}


def problem_message(err: Any) -> str:
    """The short message for one pydantic error (our own words, by error type)."""
    kind = str(err["type"])
    ctx = err.get("ctx") or {}
    if kind in MESSAGES:
        return MESSAGES[kind](ctx)
    if kind.startswith(("date", "datetime")):
        return "must be a date (YYYY-MM-DD)"
    if kind == "value_error":  # our own validators' words
        return str(ctx.get("error") or err.get("msg", "")).removeprefix("Value error, ")
    return "has a value that is not valid here"


def key_problems(value: Any, loc: tuple[int | str, ...] = ()) -> list[str]:
    """Mapping keys that are not text (YAML reads `2027-02-20:` or `1:` as a date or a number), by path."""
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                out.append(f"{problem_path((*loc, written(k)))}: a key must be text (put it in quotes)")
            else:
                out += key_problems(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += key_problems(v, (*loc, i))
    return out
