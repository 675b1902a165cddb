"""The `pppflow/v1` partnership interchange format: validation, and conversion to and from the model.

An invalid spec is rejected whole with every problem named by its path
(`obligations[1].type: must be one of result, effort`). Pydantic checks the shape; cross-references
(owners, partner keys) are checked on the raw data so that they are reported alongside shape errors.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from pppflow.domain.spec_problems import key_problems, problem_message, problem_path, validation_problems
from pppflow.errors import SpecInvalid

__all__ = ["PartnershipSpec", "parse_spec", "problem_message", "problem_path"]

# Bounds, so that every value that passes import can be shown, exported, rendered and advanced later.
FIRST_DAY, LAST_DAY = date(1950, 1, 1), date(2199, 12, 31)  # every date, and the end of the term
MAX_TEXT = 5000  # a statement, description or criterion
MAX_LINE = 200  # a name, title, unit or role
MAX_ITEMS = 500  # entries of any list


def _in_window(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be a date from {FIRST_DAY} to {LAST_DAY}")
    return day


Day = Annotated[date, AfterValidator(_in_window)]
# at most 15 digits before the point and 2 after it; written out in full (1E+3 becomes 1000)
Amount = Annotated[Decimal, Field(ge=0, max_digits=17, decimal_places=2, allow_inf_nan=False),
                   AfterValidator(lambda d: Decimal(format(d, "f")))]
Key = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Word = Annotated[str, StringConstraints(min_length=1, max_length=80)]  # a kind or unit (the columns' length)
Line = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LINE)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]


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
    address: str | None = Field(default=None, max_length=MAX_TEXT)
    registration_number: str | None = Field(default=None, min_length=1, max_length=40,
                                            description="e.g. the Chamber of Commerce (KvK) number")


class EntitySpec(_Strict):
    """The partnership's own legal entity (a cooperative, a foundation), when it has one."""

    name: str = Field(min_length=1, max_length=200)
    registration_number: str | None = Field(default=None, min_length=1, max_length=40)


class AgreementTermsSpec(_Strict):
    """How the agreement is drawn up: the language whose text governs (default: the partnership's `language`)."""

    governing_language: Literal["en", "nl"] | None = None


class GoalSpec(_Strict):
    key: Key
    statement: str = Field(min_length=1, max_length=MAX_TEXT)
    indicators: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    target_date: Day | None = None
    owners: list[Key] = Field(default_factory=list, max_length=MAX_ITEMS)


class ResponsibilitySpec(_Strict):
    partner: Key
    role: str = Field(min_length=1, max_length=MAX_TEXT)


class ChannelSpec(_Strict):
    kind: Word
    description: str = Field(min_length=1, max_length=MAX_TEXT)


class CheckinPlanSpec(_Strict):
    cadence: Line
    first: Day
    remind_days_before: int = Field(default=7, ge=0, le=365)
    grace_days: int = Field(default=3, ge=0, le=365)
    time: str | None = Field(default=None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")  # HH:MM, local time
    minutes: int = Field(default=60, ge=5, le=720)
    location: str | None = Field(default=None, min_length=1, max_length=300)  # a room, an address or a video link


class MoneySpec(_Strict):
    amount: Amount
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")


class ObligationSpec(_Strict):
    key: Key
    title: Line
    owner: Key
    type: Literal["result", "effort"]
    phase: Literal["investment", "maintenance"]
    due: Day | None = None
    acceptance_criteria: Text | None = None
    payment: MoneySpec | None = None
    quality_guarantee: Text | None = None
    effort: Text | None = None


class ContributionSpec(_Strict):
    partner: Key
    kind: Literal["in_kind_hours", "equipment", "facilities", "cash", "staff_release"]
    phase: Literal["investment", "maintenance"]
    amount: Amount
    unit: Word
    description: Text = ""


class RateSpec(_Strict):
    """EUR per unit for valuing realised contributions (the ledger); optionally per role, partner or kind."""

    unit: Literal["hours", "FTE-months", "items"]
    eur: Decimal = Field(ge=0, le=Decimal("1e9"))
    role: str | None = Field(default=None, min_length=1, max_length=200)
    partner: Key | None = None
    kind: Literal["hours", "staff_release", "equipment", "facilities", "other"] | None = None


class FundingSpec(_Strict):
    """The funding scheme the partnership reports to (a file in workflows/funding/ or the configured folder)."""

    scheme: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    public_contribution: Decimal = Field(ge=0, le=Decimal("1e13"))


class TermSpec(_Strict):
    start: Day
    months: int = Field(ge=1, le=600)
    notice_days: int = Field(default=90, ge=0, le=3650)
    renewal: Literal["manual", "automatic"] = "manual"
    renewal_months: int | None = Field(default=None, ge=1, le=600)  # what a renewal adds; default: `months`

    @model_validator(mode="after")
    def _ends_in_window(self) -> TermSpec:
        if self.start.year + (self.start.month - 1 + self.months) // 12 > LAST_DAY.year:
            raise ValueError(f"the term (start plus months) must end by {LAST_DAY}")
        return self


class PartnershipSpec(_Strict):
    spec: Literal["pppflow/v1"]
    name: str = Field(min_length=1, max_length=200)
    workflow: str = Field(default="ppp-lifecycle", min_length=1, max_length=80)
    building_block: Literal["network", "professional_innovation", "learning_community"] | None = None
    region: str | None = Field(default=None, max_length=MAX_LINE)
    legal_form: Literal["cooperative", "foundation", "association", "consortium", "none"] = "none"
    entity: EntitySpec | None = None
    language: Literal["en", "nl"] = "en"
    agreement: AgreementTermsSpec | None = None
    coordinator: PersonSpec
    partners: list[PartnerSpec] = Field(min_length=1, max_length=MAX_ITEMS)
    goals: list[GoalSpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    responsibilities: list[ResponsibilitySpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    channels: list[ChannelSpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    checkins: CheckinPlanSpec | None = None
    obligations: list[ObligationSpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    contributions: list[ContributionSpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    term: TermSpec | None = None
    rates: list[RateSpec] = Field(default_factory=list)
    funding: FundingSpec | None = None


def _cross_reference_problems(raw: dict[str, Any]) -> list[str]:
    """Unknown partner keys, duplicate keys and missing result-obligation fields, from the raw data."""
    problems = _duplicate_key_problems(raw) + _unknown_partner_problems(raw)
    for i, o in _items(raw, "obligations"):
        if o.get("type") == "effort" and not o.get("effort"):
            problems.append(f"obligations[{i}].effort: an effort obligation states the effort committed")
    return problems


def _items(raw: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    value = raw.get(name)
    return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)] if isinstance(value, list) else []


def _duplicate_key_problems(raw: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for name in ("partners", "goals", "obligations"):
        seen: set[str] = set()
        for i, x in _items(raw, name):
            key = x.get("key")
            if isinstance(key, str) and key in seen:
                problems.append(f"{name}[{i}].key: duplicate key '{key}'")
            seen.add(key) if isinstance(key, str) else None
    return problems


def _unknown_partner_problems(raw: dict[str, Any]) -> list[str]:
    known = {k for k in (p.get("key") for _, p in _items(raw, "partners")) if isinstance(k, str)}
    references: list[tuple[str, Any]] = []
    for i, g in _items(raw, "goals"):
        for j, owner in enumerate(g.get("owners") or [] if isinstance(g.get("owners"), list) else []):
            references.append((f"goals[{i}].owners[{j}]", owner))
    for name, field_ in (("responsibilities", "partner"), ("obligations", "owner"), ("contributions", "partner"),
                         ("rates", "partner")):
        for i, x in _items(raw, name):
            if name != "rates" or x.get(field_) is not None:
                references.append((f"{name}[{i}].{field_}", x.get(field_)))
    return [f"{path}: unknown partner '{key}'" for path, key in references if isinstance(key, str) and key not in known]


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
    except ValidationError as exc:  # a key that is not text is named as written, by key_problems
        problems = validation_problems(exc.errors(), raw)
    else:
        problems = key_problems(raw)  # a key that is not text, where any value is allowed
    problems = problems + _cross_reference_problems(raw) + _control_character_problems(raw)
    if problems or spec is None:
        raise SpecInvalid(f"the partnership spec has {len(problems)} problem(s)", details=problems)
    return spec
