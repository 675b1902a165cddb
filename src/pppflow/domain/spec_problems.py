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


SCALAR_TAGS = {"str", "int", "float", "decimal", "bool", "date", "datetime", "none", "list", "dict"}


def _without_union_tags(loc: tuple[Any, ...], raw: Any, *, missing: bool = False) -> tuple[Any, ...] | None:
    """The location as written in the file, without pydantic's union member tags (`list[constrained-str]`,
    `decimal`) and `[key]` marks; None for a key that is not text (key_problems names it as written)."""
    out: list[Any] = []
    value = raw
    for at, part in enumerate(loc):
        tag = _looks_like_tag(part) or (part in SCALAR_TAGS and not (missing and at == len(loc) - 1))
        if isinstance(part, int):
            out.append(part)
            value = value[part] if isinstance(value, list) and -len(value) <= part < len(value) else None
        elif part == "[key]":
            continue
        elif isinstance(value, dict) and (part in value or not tag):
            if part not in value and any((not isinstance(k, str) and str(k) == part) or repr(k) == part
                                         for k in value):
                return None
            out.append(part)
            value = value.get(part)
        elif value is None and not (tag if raw is not None else _looks_like_tag(part)):
            out.append(part)
        # else: a union member's tag (the value here is text, a number or a list), not a place in the file
    return tuple(out)


def _looks_like_tag(part: object) -> bool:
    text = str(part)
    return "[" in text or text.startswith(("constrained-", "function-", "lax-", "json-or-python"))


def validation_problems(errors: list[Any], raw: Any = None, *,
                        not_a_field: str = "is not a field of the pppflow/v1 format") -> list[str]:
    """Pydantic's errors of `raw` as `path: message` lines in our words: keys that are not text named as written,
    union alternatives at one place merged into one line ("must be a list or text"), each line once."""
    merged: dict[str, list[str]] = {}
    alternatives: set[str] = set()  # places where a union's alternative failed as a whole
    for e in errors:
        loc = _without_union_tags(tuple(e["loc"]), raw, missing=e["type"] == "missing")
        if e["type"] == "invalid_key" or loc is None:
            continue  # a key that is not text: named as written by key_problems
        what = not_a_field if e["type"] == "extra_forbidden" else problem_message(e)
        if "[key]" in e["loc"]:
            what = f"the key {what}"
        path = problem_path(loc)
        if len(loc) < len(e["loc"]) - ("[key]" in e["loc"]):
            alternatives.add(path)
        messages = merged.setdefault(path, [])
        if what not in messages:
            messages.append(what)
    inner = {p for p in alternatives if any(q.startswith((f"{p}[", f"{p}.")) for q in merged)}
    return key_problems(raw) + [f"{path}: {_either(messages)}" for path, messages in merged.items()
                                if path not in inner]  # the alternative that matched names the inner places


def _either(messages: list[str]) -> str:
    """`must be a list` and `must be text` as `must be a list or text`."""
    if len(messages) > 1 and "must be text" in messages and any("number" in m for m in messages):
        return "must be a number (such as 1200 or 1200.50)"  # a number given as a number or as text
    if len(messages) > 1 and all(m.startswith("must be ") for m in messages):
        return "must be " + " or ".join(m.removeprefix("must be ") for m in messages)
    return "; ".join(messages)
