"""Funding schemes as data: public share, required co-financing, eligible kinds, report moments, sections.

A spec names its scheme (`funding: {scheme: rif-mbo, public_contribution: 300000}`); on import and amendment the
scheme's terms are copied onto the partnership (`funding["terms"]`, not part of the exported content), so the
guard `co_financing_committed` and the ledger's unit check stay pure. The scheme's report moments become result
obligations of the coordinator's organisation, so the existing reminders and escalations cover them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pppflow.domain.guards import guard
from pppflow.domain.model import PartnerKind, Partnership
from pppflow.domain.spec_problems import validation_problems
from pppflow.errors import DefinitionInvalid

if TYPE_CHECKING:  # the spec's models are built when a spec is read, not when a lifecycle is loaded
    from pppflow.domain.spec import PartnershipSpec

KINDS = Literal["cash", "hours", "staff_release", "equipment", "facilities", "other"]
UNITS = Literal["EUR", "hours", "FTE-months", "items"]
Section = Literal["objectives", "activities", "finances"]
SECTIONS: tuple[Section, ...] = ("objectives", "activities", "finances")
REPORT_KEY = "funder-report"


def share(text: Any) -> Fraction:
    """A share written as a fraction ('2/3') or a decimal ('0.5'), exactly."""
    value = Fraction(str(text).strip())
    if not 0 <= value <= 1:
        raise ValueError("must be between 0 and 1")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Eligible(_Strict):
    units: list[UNITS] = Field(min_length=1)
    valuation: str = Field(min_length=1)


class ReportMoments(_Strict):
    after_start_months: list[int] = Field(default_factory=list)
    after_end_months: list[int] = Field(default_factory=list)

    @field_validator("after_start_months", "after_end_months")
    @classmethod
    def _months(cls, v: list[int]) -> list[int]:
        if any(m < 0 or m > 600 for m in v):
            raise ValueError("months must be between 0 and 600")
        return v


class FundingScheme(_Strict):
    """One funding scheme file."""

    name: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    administrator: str | None = None
    public_share: str
    co_financing_share: str
    min_company_share: str | None = None
    eligible: dict[KINDS, Eligible] = Field(min_length=1)
    report_moments: ReportMoments = Field(default_factory=ReportMoments)
    sections: list[Section] = Field(default_factory=lambda: list(SECTIONS))
    language: Literal["en", "nl"] = "en"

    @field_validator("public_share", "co_financing_share", "min_company_share", mode="before")
    @classmethod
    def _share(cls, v: Any) -> Any:
        if v is None:
            return v
        try:
            share(v)
        except (ValueError, ZeroDivisionError):
            raise ValueError("must be a share between 0 and 1, e.g. 2/3 or 0.5") from None
        return str(v)

    def terms(self) -> dict[str, Any]:
        """What a partnership keeps of its scheme: plain values for a JSON column."""
        return self.model_dump(mode="json")


def parse_scheme(data: Any, *, source: str) -> FundingScheme:
    """Validate a scheme document; problems are named by file and path."""
    if not isinstance(data, dict):
        raise DefinitionInvalid(f"{source}: invalid funding scheme", details=["(document): expected a mapping"])
    try:
        return FundingScheme.model_validate(data)
    except ValidationError as exc:
        raise DefinitionInvalid(f"{source}: invalid funding scheme",
                                details=validation_problems(exc.errors(), data,
                                                            not_a_field="is not a field of a funding scheme")) from None


def reporting_partner(spec: PartnershipSpec) -> str:
    """The coordinator's organisation: the partner whose contact shares the coordinator's mail domain, else the
    first."""
    domain = (spec.coordinator.email or "").rpartition("@")[2].lower()
    for x in spec.partners:
        if domain and (x.contact.email or "").lower().endswith("@" + domain):
            return x.key
    return spec.partners[0].key


def report_moments(scheme: FundingScheme, start: date, months: int) -> list[tuple[str, date, str]]:
    """(key, due date, title) of every report the scheme asks for over a term."""
    end = start + relativedelta(months=months)
    out = [(f"{REPORT_KEY}-m{m}", start + relativedelta(months=m), f"Progress report to {scheme.title} (month {m})")
           for m in scheme.report_moments.after_start_months]
    out += [(f"{REPORT_KEY}-final" + (f"-{m}" if i else ""), end + relativedelta(months=m),
             f"Final report to {scheme.title}") for i, m in enumerate(scheme.report_moments.after_end_months)]
    return out


def with_report_obligations(spec: PartnershipSpec, scheme: FundingScheme) -> PartnershipSpec:
    """The spec plus a result obligation per report moment (those already in it, by key, are kept as they are)."""
    from pppflow.domain.spec import ObligationSpec

    if spec.term is None:
        return spec
    have = {o.key for o in spec.obligations}
    owner = reporting_partner(spec)
    extra = [ObligationSpec(key=key, title=title, owner=owner, type="result", phase="maintenance", due=due,
                            acceptance_criteria="Sent to the funder: per objective what was done, and the finances "
                                                "(committed vs realised, co-financing share)")
             for key, due, title in report_moments(scheme, spec.term.start, spec.term.months) if key not in have]
    return spec.model_copy(update={"obligations": [*spec.obligations, *extra]}) if extra else spec


def committed_eur(p: Partnership) -> tuple[dict[str, Decimal], int]:
    """Committed contributions valued in EUR per partner (EUR units, and other units by the rate table), and how
    many commitments have no EUR valuation (not counted)."""
    from pppflow.domain.ledger import rate_table
    from pppflow.domain.ledger_summary import summarise

    s = summarise(p, [], rate_table(p), as_of=date.min)
    return {k: m.committed_eur for k, m in s.by_partner.items()}, s.total.unvalued


def percent(x: Fraction) -> Decimal:
    """A share as a percentage to one decimal (half-up)."""
    from decimal import ROUND_HALF_UP

    return (Decimal(x.numerator) * 100 / Decimal(x.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _pct(x: Fraction) -> str:
    return f"{percent(x)} %"


@guard("co_financing_committed",
       "committed co-financing (and any company share) meets the partnership's funding scheme")
def co_financing_committed(p: Partnership) -> list[str]:
    funding = p.funding or {}
    terms = funding.get("terms")
    if not terms:
        return []
    per_partner, unvalued = committed_eur(p)
    co = sum(per_partner.values(), Decimal(0))
    budget = co + Decimal(str(funding["public_contribution"]))
    if budget <= 0:
        return [f"no budget: neither a public contribution nor co-financing is committed ({terms['name']})"]
    reasons = []
    required = share(terms["co_financing_share"])
    if Fraction(co) / Fraction(budget) < required:
        reasons.append(f"committed co-financing is {_pct(Fraction(co) / Fraction(budget))} of the budget; "
                       f"{terms['name']} requires at "
                       f"least {_pct(required)}"
                       + (f" ({unvalued} commitment(s) without an EUR valuation not counted)" if unvalued else ""))
    if terms.get("min_company_share"):
        companies = {x.key for x in p.partners if x.kind == PartnerKind.COMPANY}
        from_companies = sum((v for k, v in per_partner.items() if k in companies), Decimal(0))
        minimum = share(terms["min_company_share"])
        if Fraction(from_companies) / Fraction(budget) < minimum:
            reasons.append(f"companies commit {_pct(Fraction(from_companies) / Fraction(budget))} of the budget; "
                           f"{terms['name']} "
                           f"requires at least {_pct(minimum)}")
    return reasons


def co_financing_view(p: Partnership, realised_eur: Decimal) -> dict[str, Any] | None:
    """Co-financing committed and realised as shares of the budget, against the scheme's requirement."""
    funding = p.funding or {}
    terms = funding.get("terms")
    if not terms:
        return None
    per_partner, _ = committed_eur(p)
    committed = sum(per_partner.values(), Decimal(0))
    public = Decimal(str(funding["public_contribution"]))
    budget = committed + public

    def pct(x: Decimal) -> str | None:
        return str(percent(Fraction(x) / Fraction(budget))) if budget > 0 else None

    return {"scheme": terms["name"], "title": terms["title"], "public_contribution": str(public),
            "budget": str(budget), "committed_co_financing": str(committed), "realised_co_financing": str(realised_eur),
            "committed_share": pct(committed), "realised_share": pct(realised_eur),
            "required_share": str(percent(share(terms["co_financing_share"])))}


def accepted_units(p: Partnership, kind: str) -> list[str] | None:
    """The units the scheme accepts for a kind ([] when the kind is not eligible); None without a scheme."""
    funding = p.funding or {}
    terms = funding.get("terms")
    if not terms:
        return None
    return list(terms["eligible"].get(kind, {}).get("units", []))


def with_funding(spec: PartnershipSpec,
                 schemes: dict[str, FundingScheme]) -> tuple[PartnershipSpec, dict[str, Any] | None]:
    """The spec with its scheme's report obligations, and the scheme's terms; an unknown scheme is refused by path."""
    from pppflow.errors import SpecInvalid

    if spec.funding is None:
        return spec, None
    scheme = schemes.get(spec.funding.scheme)
    if scheme is None:
        raise SpecInvalid("the partnership spec has 1 problem(s)",
                          details=[f"funding.scheme: unknown funding scheme '{spec.funding.scheme}' "
                                   f"(known: {', '.join(sorted(schemes)) or 'none'})"])
    return with_report_obligations(spec, scheme), scheme.terms()


def attach_terms(p: Partnership, terms: dict[str, Any] | None) -> None:
    """Keep the scheme's terms on the partnership (a new dict: the ORM tracks JSON by identity), and its committed
    contributions' EUR total for the portfolio ledger page."""
    if terms is not None and p.funding is not None:
        p.funding = {**p.funding, "terms": terms}
    per_partner, _ = committed_eur(p)
    p.committed_cents = int(sum(per_partner.values(), Decimal(0)) * 100)
