"""The contribution ledger: what partners actually delivered, valued in EUR, append-only.

An entry is never changed; a correction is a reversing entry (negative quantity and value) that points at the
entry it corrects, with a reason. Quantities are exact decimals and are only ever added within one unit;
valuations are EUR rounded half-up to the cent (stored as whole cents, so that SQL sums are exact).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pppflow.domain.checkins import schedule as checkins
from pppflow.domain.model import Partnership, Phase
from pppflow.errors import BadInput

CENT = Decimal("0.01")
MAX_QUANTITY = Decimal("1e12")


class LedgerKind(StrEnum):
    CASH = "cash"
    HOURS = "hours"
    STAFF_RELEASE = "staff_release"
    EQUIPMENT = "equipment"
    FACILITIES = "facilities"
    OTHER = "other"


class LedgerUnit(StrEnum):
    EUR = "EUR"
    HOURS = "hours"
    FTE_MONTHS = "FTE-months"
    ITEMS = "items"


class EnteredAs(StrEnum):
    PARTNER = "partner"          # a partner's user, for its own organisation
    COORDINATOR = "coordinator"  # the coordinator, on the partner's behalf


# The spec's committed contribution kinds, in the ledger's words.
COMMITTED_KIND = {"in_kind_hours": "hours", "equipment": "equipment", "facilities": "facilities", "cash": "cash",
                  "staff_release": "staff_release"}


@dataclass(frozen=True)
class Rate:
    """EUR per unit, for a role (None: any role), optionally only for one partner or one kind."""

    unit: str
    eur: Decimal
    role: str | None = None
    partner: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """One realised contribution (or the reversal of one); `id` is set once stored."""

    partner: str
    phase: str
    kind: str
    quantity: Decimal
    unit: str
    value_eur: Decimal
    basis: str
    on: date
    entered_by: str
    entered_as: str
    recorded_at: datetime
    description: str = ""
    evidence: str | None = None
    corrects: int | None = None
    reason: str | None = None
    effort_id: int | None = None
    id: int | None = None

    @property
    def year(self) -> int:
        return self.on.year


@dataclass(frozen=True)
class NewEntry:
    """What a user asks to record, before validation and valuation."""

    partner: str
    phase: str
    kind: str
    quantity: Any
    unit: str
    on: date
    rate: Any = None
    value: Any = None
    role: str | None = None
    description: str = ""
    evidence: str | None = None
    effort_id: int | None = None
    extra_basis: str = field(default="")


def to_decimal(value: Any, option: str) -> Decimal:
    """An exact decimal from text or a number (never via float); BadInput naming `option` otherwise."""
    if isinstance(value, float):
        value = repr(value)
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise BadInput(f"{option} must be a number, not {value!r}", details=[f"{option}: not a number"]) from None
    if not d.is_finite():
        raise BadInput(f"{option} must be a finite number", details=[f"{option}: not finite"])
    if d.copy_abs() >= Decimal("1e13"):
        raise BadInput(f"{option} is out of range", details=[f"{option}: below 10,000,000,000,000"])
    return d


def rate_table(p: Partnership) -> list[Rate]:
    """The partnership's rate table (spec `rates`) as exact values."""
    return [Rate(r["unit"], Decimal(str(r["eur"])), r.get("role"), r.get("partner"), r.get("kind"))
            for r in (p.rates or [])]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _choices(enum: type[StrEnum]) -> str:
    return ", ".join(x.value for x in enum)


def _check_choice(value: str, enum: type[StrEnum], option: str) -> str:
    try:
        return enum(value).value
    except ValueError:
        raise BadInput(f"{option}: unknown {option.lstrip('-')} {value!r}",
                       details=[f"{option}: must be one of {_choices(enum)}"]) from None


def find_rate(rates: list[Rate], *, unit: str, role: str | None, partner: str, kind: str) -> Rate | None:
    """The most specific rate for the unit and role (a partner's or kind's own rate before the general one)."""
    fits = [r for r in rates if r.unit == unit and r.role == role and r.partner in (None, partner)
            and r.kind in (None, kind)]
    fits.sort(key=lambda r: (r.partner is not None, r.kind is not None), reverse=True)
    return fits[0] if fits else None


def valuation(new: NewEntry, quantity: Decimal, rates: list[Rate]) -> tuple[Decimal, str]:
    """The EUR value of a contribution and its basis: EUR as is, else --value, --rate or the rate table."""
    if new.unit == LedgerUnit.EUR:
        if new.rate is not None:
            raise BadInput("--rate: an amount in EUR needs no rate", details=["--rate: not for unit EUR"])
        if new.value is not None and to_decimal(new.value, "--value") != quantity:
            raise BadInput("--value: an amount in EUR is its own value", details=["--value: differs from --quantity"])
        return cents(quantity), "amount in EUR"
    if new.rate is not None and new.value is not None:
        raise BadInput("give --rate or --value, not both", details=["--rate", "--value"])
    if new.value is not None:
        value = to_decimal(new.value, "--value")
        if value < 0:
            raise BadInput("--value must not be negative", details=["--value: negative"])
        return cents(value), f"stated value{new.extra_basis}"
    if new.rate is not None:
        rate = to_decimal(new.rate, "--rate")
        if rate < 0:
            raise BadInput("--rate must not be negative", details=["--rate: negative"])
        return cents(quantity * rate), f"{quantity} {new.unit} × {rate} EUR{new.extra_basis}"
    found = find_rate(rates, unit=new.unit, role=new.role, partner=new.partner, kind=new.kind)
    if found is None:
        who = f" for role {new.role!r}" if new.role else ""
        raise BadInput(f"--rate: the partnership's rate table has no rate for {new.unit}{who}; "
                       "pass --rate EUR_PER_UNIT or --value EUR",
                       details=[f"--rate: missing for unit {new.unit}" + (f", role {new.role}" if new.role else "")])
    role = f" ({found.role})" if found.role else ""
    return cents(quantity * found.eur), f"{quantity} {new.unit} × {found.eur} EUR rate table{role}{new.extra_basis}"


def term_end(p: Partnership) -> date | None:
    """The first day after the term (None without a term)."""
    if not (p.term_start and p.term_months):
        return None
    return checkins.term_end(p.term_start, p.term_months)


def check_new_entry(p: Partnership, new: NewEntry, rates: list[Rate], *, accepted_units: list[str] | None,
                    actor: str, entered_as: str, now: datetime) -> LedgerEntry:
    """Validate and value a new entry; every mistake is BadInput naming the option."""
    if new.partner not in p.partner_keys:
        raise BadInput(f"--partner: {p.ref!r} has no partner {new.partner!r}",
                       details=[f"--partner: must be one of {', '.join(p.partner_keys)}"])
    phase = _check_choice(new.phase, Phase, "--phase")
    kind = _check_choice(new.kind, LedgerKind, "--kind")
    unit = _check_choice(new.unit, LedgerUnit, "--unit")
    quantity = to_decimal(new.quantity, "--quantity")
    if quantity <= 0:
        raise BadInput("--quantity must be more than zero (a correction is `ledger correct`)",
                       details=[f"--quantity: {quantity}"])
    if quantity > MAX_QUANTITY or len(str(quantity)) > 30:
        raise BadInput("--quantity is out of range", details=["--quantity: at most 10^12, with at most 30 digits"])
    if kind == LedgerKind.CASH and unit != LedgerUnit.EUR:
        raise BadInput("--unit: cash is counted in EUR", details=["--unit: must be EUR for kind cash"])
    if accepted_units == []:
        raise BadInput(f"--kind: the funding scheme does not accept {kind} contributions",
                       details=[f"--kind: {kind} is not eligible under the partnership's funding scheme"])
    if accepted_units is not None and unit not in accepted_units:
        raise BadInput(f"--unit: the funding scheme does not accept contributions in {unit}",
                       details=[f"--unit: accepted are {', '.join(accepted_units)}"])
    if new.on > now.date():
        raise BadInput(f"--date: {new.on} is in the future; the ledger records what was delivered",
                       details=[f"--date: on or before {now.date()}"])
    end = term_end(p)
    if p.term_start and end and not (p.term_start <= new.on < end):
        raise BadInput(f"--date: {new.on} is outside the term ({p.term_start} up to {end})",
                       details=[f"--date: from {p.term_start} to before {end}"])
    new = replace(new, phase=phase, kind=kind, unit=unit)
    value, basis = valuation(new, quantity, rates)
    if value.copy_abs() >= Decimal("1e13"):
        raise BadInput("--value is out of range", details=["--value: below 10,000,000,000,000 EUR"])
    return LedgerEntry(partner=new.partner, phase=phase, kind=kind, quantity=quantity, unit=unit, value_eur=value,
                       basis=basis, on=new.on, entered_by=actor, entered_as=entered_as, recorded_at=now,
                       description=new.description or "", evidence=new.evidence, effort_id=new.effort_id)


def reversal(entries: list[LedgerEntry], entry_id: int, reason: str, *, actor: str, entered_as: str,
             now: datetime) -> LedgerEntry:
    """The reversing entry of `entry_id`: refused for an unknown entry, a correction, or one corrected already."""
    if not reason or not reason.strip():
        raise BadInput("--reason: a correction states why", details=["--reason: is required"])
    target = next((e for e in entries if e.id == entry_id), None)
    if target is None:
        raise BadInput(f"ENTRY_ID: the ledger has no entry {entry_id}", details=["ENTRY_ID: unknown entry"])
    if target.corrects is not None:
        raise BadInput(f"ENTRY_ID: entry {entry_id} is itself a correction (of entry {target.corrects}); "
                       "add the right entry instead", details=["ENTRY_ID: a correction cannot be corrected"])
    if any(e.corrects == entry_id for e in entries):
        raise BadInput(f"ENTRY_ID: entry {entry_id} has already been corrected",
                       details=["ENTRY_ID: corrected already"])
    return replace(target, id=None, quantity=-target.quantity, value_eur=-target.value_eur,
                   basis=f"reversal of entry {entry_id}", entered_by=actor, entered_as=entered_as, recorded_at=now,
                   corrects=entry_id, reason=reason.strip(), effort_id=None, evidence=target.evidence)


def entry_view(e: LedgerEntry) -> dict[str, Any]:
    """An entry as plain values; decimals as exact strings."""
    return {"id": e.id, "partner": e.partner, "phase": e.phase, "kind": e.kind, "quantity": str(e.quantity),
            "unit": e.unit, "value_eur": str(e.value_eur), "basis": e.basis, "date": e.on.isoformat(),
            "description": e.description, "evidence": e.evidence, "entered_by": e.entered_by,
            "entered_as": e.entered_as, "recorded_at": e.recorded_at.isoformat(), "corrects": e.corrects,
            "reason": e.reason, "effort_id": e.effort_id}


def entered_as_for(user: Any, partner: str) -> str:
    """Who may enter or correct `partner`'s contributions, and as what: the one place that decides.

    A partner user only for its own organisation (as the partner); a coordinator (or admin) for any partner,
    recorded as entered on the partner's behalf. Anyone else is refused.
    """
    from pppflow.domain.accounts import Permission
    from pppflow.errors import Forbidden

    if user.is_partner:
        if user.partner_organisation != partner:
            raise Forbidden(f"a partner user enters contributions only for its own organisation "
                            f"({user.partner_organisation}), not for {partner!r}")
        return EnteredAs.PARTNER.value
    if user.may(Permission.COORDINATE):
        return EnteredAs.COORDINATOR.value
    raise Forbidden(f"the role '{user.role}' may not enter contributions",
                    details=["needs the 'coordinate' permission, or a partner user for its own organisation"])
