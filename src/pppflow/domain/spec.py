"""The `pppflow/v1` partnership interchange format: validation, and conversion to and from the model.

An invalid spec is rejected whole with every problem named by its path
(`obligations[1].type: must be one of result, effort`). Pydantic checks the shape; cross-references
(owners, partner keys) are checked on the raw data so that they are reported alongside shape errors.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pppflow.errors import SpecInvalid

SPEC_VERSION = "pppflow/v1"
Key = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PersonSpec(_Strict):  # the lengths are the columns'
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    title: str | None = Field(default=None, max_length=200)


class PartnerSpec(_Strict):
    key: Key = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["education", "company", "government", "knowledge_institution", "other"]
    contact: PersonSpec
    signatory: PersonSpec
    address: str | None = None
    registration_number: str | None = Field(default=None, min_length=1, max_length=40,
                                            description="e.g. the Chamber of Commerce (KvK) number")


class EntitySpec(_Strict):
    """The partnership's own legal entity (a cooperative, a foundation), when it has one."""

    name: str = Field(min_length=1, max_length=200)
    registration_number: str | None = Field(default=None, min_length=1, max_length=40)


class GoalSpec(_Strict):
    key: Key = Field(min_length=1)
    statement: str = Field(min_length=1)
    indicators: list[str] = Field(default_factory=list)
    target_date: date | None = None
    owners: list[Key] = Field(default_factory=list)


class ResponsibilitySpec(_Strict):
    partner: Key
    role: str = Field(min_length=1)


class ChannelSpec(_Strict):
    kind: str = Field(min_length=1)
    description: str = Field(min_length=1)


class CheckinPlanSpec(_Strict):
    cadence: str = Field(min_length=1)
    first: date
    remind_days_before: int = Field(default=7, ge=0, le=365)
    grace_days: int = Field(default=3, ge=0, le=365)


class MoneySpec(_Strict):
    amount: Decimal = Field(ge=0)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")


class ObligationSpec(_Strict):
    key: Key = Field(min_length=1)
    title: str = Field(min_length=1)
    owner: Key
    type: Literal["result", "effort"]
    phase: Literal["investment", "maintenance"]
    due: date | None = None
    acceptance_criteria: str | None = None
    payment: MoneySpec | None = None
    quality_guarantee: str | None = None
    effort: str | None = None


class ContributionSpec(_Strict):
    partner: Key
    kind: Literal["in_kind_hours", "equipment", "facilities", "cash", "staff_release"]
    phase: Literal["investment", "maintenance"]
    amount: Decimal = Field(ge=0)
    unit: str = Field(min_length=1)
    description: str = ""


class TermSpec(_Strict):
    start: date
    months: int = Field(ge=1, le=600)
    notice_days: int = Field(default=90, ge=0, le=3650)
    renewal: Literal["manual", "automatic"] = "manual"


class PartnershipSpec(_Strict):
    spec: Literal["pppflow/v1"]
    name: str = Field(min_length=1, max_length=200)
    workflow: str = "ppp-lifecycle"
    building_block: Literal["network", "professional_innovation", "learning_community"] | None = None
    region: str | None = None
    legal_form: Literal["cooperative", "foundation", "association", "consortium", "none"] = "none"
    entity: EntitySpec | None = None
    language: Literal["en", "nl"] = "en"
    coordinator: PersonSpec
    partners: list[PartnerSpec] = Field(min_length=1)
    goals: list[GoalSpec] = Field(default_factory=list)
    responsibilities: list[ResponsibilitySpec] = Field(default_factory=list)
    channels: list[ChannelSpec] = Field(default_factory=list)
    checkins: CheckinPlanSpec | None = None
    obligations: list[ObligationSpec] = Field(default_factory=list)
    contributions: list[ContributionSpec] = Field(default_factory=list)
    term: TermSpec | None = None


def problem_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def problem_message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        options = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {options}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of the pppflow/v1 format"
    if kind.startswith("date"):
        return "must be a date (YYYY-MM-DD)"
    if kind == "string_pattern_mismatch":
        return "has an invalid form" + (" (an e-mail address)" if "@" in str(ctx.get("pattern")) else
                                        " (lower-case letters, digits, - and _)")
    return str(err["msg"]).removeprefix("Value error, ")


def _cross_reference_problems(raw: dict[str, Any]) -> list[str]:
    """Unknown partner keys, duplicate keys and missing result-obligation fields, from the raw data."""
    problems: list[str] = []

    def items(name: str) -> list[tuple[int, dict[str, Any]]]:
        value = raw.get(name)
        return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)] if isinstance(value, list) else []

    partners = [p.get("key") for _, p in items("partners")]
    known = {k for k in partners if isinstance(k, str)}
    for name in ("partners", "goals", "obligations"):
        seen: set[str] = set()
        for i, x in items(name):
            key = x.get("key")
            if isinstance(key, str) and key in seen:
                problems.append(f"{name}[{i}].key: duplicate key '{key}'")
            seen.add(key) if isinstance(key, str) else None

    def check(path: str, key: Any) -> None:
        if isinstance(key, str) and key not in known:
            problems.append(f"{path}: unknown partner '{key}'")

    for i, g in items("goals"):
        for j, owner in enumerate(g.get("owners") or [] if isinstance(g.get("owners"), list) else []):
            check(f"goals[{i}].owners[{j}]", owner)
    for name, field_ in (("responsibilities", "partner"), ("obligations", "owner"), ("contributions", "partner")):
        for i, x in items(name):
            check(f"{name}[{i}].{field_}", x.get(field_))
    for i, o in items("obligations"):
        if o.get("type") == "effort" and not o.get("effort"):
            problems.append(f"obligations[{i}].effort: an effort obligation states the effort committed")
    return problems


def _control_character_problems(value: Any, loc: tuple[int | str, ...] = ()) -> list[str]:
    """Text holding a NUL character: no document or mail may carry it, and PostgreSQL cannot store it."""
    if isinstance(value, str):
        return [f"{problem_path(loc)}: must not contain a NUL character"] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _control_character_problems(v, (*loc, str(k)))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _control_character_problems(v, (*loc, i))]
    return []


def parse_spec(raw: Any) -> PartnershipSpec:
    """Validate a parsed YAML/JSON document; raise SpecInvalid listing every problem by path."""
    if not isinstance(raw, dict):
        raise SpecInvalid("the file must hold a mapping in the pppflow/v1 format",
                          details=["(document): expected a mapping with spec: pppflow/v1"])
    problems: list[str] = []
    spec: PartnershipSpec | None = None
    try:
        spec = PartnershipSpec.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{problem_path(e['loc'])}: {problem_message(e)}" for e in exc.errors()]
    problems += _cross_reference_problems(raw) + _control_character_problems(raw)
    if problems or spec is None:
        raise SpecInvalid(f"the partnership spec has {len(problems)} problem(s)", details=problems)
    return spec
