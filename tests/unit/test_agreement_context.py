"""The agreement view model: pure, locale-aware, with totals that never mix units."""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from pppflow.domain.agreement.formatting import add_months, cadence_view, term_end
from pppflow.domain.agreement.view_model import build_agreement_context
from pppflow.errors import BadInput

GENERATED = date(2026, 11, 23)
NBSP = "\xa0"


def build(spec: dict[str, Any], lang: str = "nl", **overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "lang": lang, "version": 2, "stage": "framework_agreed", "signed": False, "signoffs": [],
        "generated_on": GENERATED,
    }
    options.update(overrides)
    return build_agreement_context(spec, **options)


def totals(amounts: list[dict[str, Any]]) -> dict[str, Decimal]:
    return {a["unit"]: a["value"] for a in amounts}


def section_keys(context: dict[str, Any]) -> list[str]:
    return [s["key"] for s in context["sections"]]


class TestContributionTotals:
    def test_totals_per_unit_never_add_eur_to_hours(self, spec: dict[str, Any]) -> None:
        c = build(spec)["contributions"]
        assert totals(c["totals"]) == {
            "EUR": Decimal(210000), "hours": Decimal(1200), "hours per year": Decimal(200),
        }
        assert c["units"] == ["EUR", "hours", "hours per year"]

    def test_totals_per_phase(self, spec: dict[str, Any]) -> None:
        phases = {p["phase"]: p for p in build(spec)["contributions"]["phases"]}
        assert list(phases) == ["investment", "maintenance"]
        assert totals(phases["investment"]["totals"]) == {"EUR": Decimal(210000), "hours": Decimal(1200)}
        assert totals(phases["maintenance"]["totals"]) == {"hours per year": Decimal(200)}
        assert [r["partner"] for r in phases["investment"]["rows"]] == ["techbedrijf", "noorderpoort", "provincie"]

    def test_totals_per_partner_and_phase(self, spec: dict[str, Any]) -> None:
        partners = {p["key"]: p for p in build(spec)["contributions"]["partners"]}
        assert list(partners) == ["noorderpoort", "techbedrijf", "provincie"]  # spec order; hanze gives none
        tech = partners["techbedrijf"]
        assert totals(tech["totals"]) == {"EUR": Decimal(60000), "hours per year": Decimal(200)}
        assert totals(tech["by_phase"]["investment"]) == {"EUR": Decimal(60000)}
        assert totals(tech["by_phase"]["maintenance"]) == {"hours per year": Decimal(200)}
        assert partners["noorderpoort"]["by_phase"]["maintenance"] == []

    def test_in_kind_and_cash_are_totalled_apart(self, spec: dict[str, Any]) -> None:
        by_nature = {n["nature"]: totals(n["totals"]) for n in build(spec)["contributions"]["by_nature"]}
        assert by_nature["cash"] == {"EUR": Decimal(150000)}
        assert by_nature["in_kind"] == {
            "EUR": Decimal(60000), "hours": Decimal(1200), "hours per year": Decimal(200),
        }

    def test_amounts_add_exactly_whatever_their_python_type(self, spec: dict[str, Any]) -> None:
        spec["contributions"] = [
            {"partner": "hanze", "kind": "cash", "phase": "investment", "amount": 0.1, "unit": "EUR"},
            {"partner": "hanze", "kind": "cash", "phase": "investment", "amount": Decimal("0.2"), "unit": "EUR"},
            {"partner": "hanze", "kind": "in_kind_hours", "phase": "investment", "amount": 3, "unit": "hours"},
        ]
        c = build(spec, lang="en")["contributions"]
        assert totals(c["totals"]) == {"EUR": Decimal("0.3"), "hours": Decimal(3)}
        assert c["totals"][0]["text"] == "€0.30"

    def test_staff_release_is_listed_for_the_timetable_clause(self, spec: dict[str, Any]) -> None:
        c = build(spec)["contributions"]
        assert [(r["partner"], r["amount"]["number"]) for r in c["staff_release"]] == [("noorderpoort", "1.200")]
        spec["contributions"] = [x for x in spec["contributions"] if x["kind"] != "staff_release"]
        assert build(spec)["contributions"]["staff_release"] == []


class TestObligations:
    def test_result_and_effort_obligations_are_separated(self, spec: dict[str, Any]) -> None:
        context = build(spec)
        assert [o["key"] for o in context["result_obligations"]] == ["modules-delivered"]
        assert [o["key"] for o in context["effort_obligations"]] == ["assignments", "research"]
        result = context["result_obligations"][0]
        assert result["owner_name"] == "Noorderpoort College"
        assert result["acceptance_criteria"].startswith("Modules approved")
        assert result["quality_guarantee"].startswith("Corrections free of charge")
        assert context["effort_obligations"][0]["effort"].startswith("At least four assignments")

    def test_phases_list_their_obligations_and_contributions(self, spec: dict[str, Any]) -> None:
        phases = {p["phase"]: p for p in build(spec)["phases"]}
        assert [o["key"] for o in phases["investment"]["result_obligations"]] == ["modules-delivered"]
        assert [o["key"] for o in phases["investment"]["effort_obligations"]] == ["research"]
        assert [o["key"] for o in phases["maintenance"]["effort_obligations"]] == ["assignments"]
        assert totals(phases["maintenance"]["contribution_totals"]) == {"hours per year": Decimal(200)}


class TestLocaleFormatting:
    def test_dutch(self, spec: dict[str, Any]) -> None:
        context = build(spec, lang="nl")
        assert context["locale"] == "nl_NL"
        assert context["result_obligations"][0]["due_text"] == "1 september 2027"
        assert context["result_obligations"][0]["payment"]["text"] == f"€{NBSP}45.000,00"
        assert context["goals"][1]["target_date_text"] == "31 januari 2028"
        assert context["generated_on_text"] == "23 november 2026"
        hours = next(a for a in context["contributions"]["totals"] if a["unit"] == "hours")
        assert (hours["number"], hours["currency"], hours["text"]) == ("1.200", False, None)

    def test_english(self, spec: dict[str, Any]) -> None:
        context = build(spec, lang="en")
        assert context["locale"] == "en_GB"
        assert context["result_obligations"][0]["due_text"] == "1 September 2027"
        assert context["result_obligations"][0]["payment"]["text"] == "€45,000.00"
        assert context["contributions"]["totals"][0]["text"] == "€210,000.00"
        assert context["term"]["end_text"] == "31 December 2029"

    def test_unknown_language_is_bad_input(self, spec: dict[str, Any]) -> None:
        with pytest.raises(BadInput, match="unknown agreement language"):
            build(spec, lang="fr")


class TestOptionalParts:
    def test_full_example_has_every_section_numbered_in_order(self, spec: dict[str, Any]) -> None:
        context = build(spec)
        assert section_keys(context) == [
            "parties", "recitals", "definitions", "goals", "organisation", "roles", "communication",
            "checkins", "phases", "result_obligations", "effort_obligations", "contributions", "governance",
            "intellectual_property", "confidentiality", "term", "disputes", "final_provisions", "signatures",
        ]
        numbers = [s["number"] for s in context["sections"] if s["number"] is not None]
        assert numbers == list(range(1, 17))
        assert context["numbers"]["result_obligations"] == 8

    def test_parts_without_data_are_left_out_and_numbers_close_up(self, spec: dict[str, Any]) -> None:
        for key in ("goals", "responsibilities", "channels", "checkins", "obligations", "contributions"):
            spec.pop(key)
        spec.pop("coordinator")
        for partner in spec["partners"]:
            partner.pop("contact")
        spec["legal_form"] = "none"
        context = build(spec)
        assert section_keys(context) == [
            "parties", "recitals", "definitions", "governance", "intellectual_property", "confidentiality",
            "term", "disputes", "final_provisions", "signatures",
        ]
        assert context["numbers"] == {
            "definitions": 1, "governance": 2, "intellectual_property": 3, "confidentiality": 4, "term": 5,
            "disputes": 6, "final_provisions": 7,
        }
        assert context["legal_form"] is None and context["has_entity"] is False
        assert context["contributions"] is None and context["checkins"] is None and context["phases"] == []

    def test_only_effort_obligations_gives_no_result_article(self, spec: dict[str, Any]) -> None:
        spec["obligations"] = [o for o in spec["obligations"] if o["type"] == "effort"]
        context = build(spec)
        assert "result_obligations" not in section_keys(context)
        assert "effort_obligations" in section_keys(context)

    def test_consortium_is_an_organisation_without_legal_entity(self, spec: dict[str, Any]) -> None:
        spec["legal_form"] = "consortium"
        context = build(spec)
        assert "organisation" in section_keys(context)
        assert context["has_entity"] is False

    def test_address_is_optional(self, spec: dict[str, Any]) -> None:
        spec["partners"][0]["address"] = "Postbus 1, 9700 AA Groningen"
        parties = build(spec)["parties"]
        assert parties[0]["address"] == "Postbus 1, 9700 AA Groningen"
        assert parties[1]["address"] is None

    def test_optional_building_block_and_region(self, spec: dict[str, Any]) -> None:
        spec.pop("building_block")
        spec.pop("region")
        context = build(spec)
        assert context["building_block"] is None and context["region"] is None


class TestSignaturesAndTerm:
    def test_every_partner_gets_a_signature_block_with_recorded_signoffs(self, spec: dict[str, Any]) -> None:
        signoffs = [
            {"partner": "hanze", "name": "Henk Visser", "title": "Dean",
             "signed_at": datetime(2027, 1, 5, 9, 0), "method": "electronic"},
            {"partner": "hanze", "name": "Ida Visser", "title": "Acting Dean",
             "signed_at": datetime(2027, 1, 7, 9, 0), "method": "wet_ink"},
        ]
        blocks = {b["partner"]: b for b in build(spec, lang="en", signoffs=signoffs)["signatures"]}
        assert list(blocks) == ["noorderpoort", "hanze", "techbedrijf", "provincie"]
        assert blocks["hanze"]["signed"] is True
        assert (blocks["hanze"]["name"], blocks["hanze"]["method"]) == ("Ida Visser", "wet_ink")
        assert blocks["hanze"]["signed_on_text"] == "7 January 2027"
        assert blocks["noorderpoort"]["signed"] is False
        assert (blocks["noorderpoort"]["name"], blocks["noorderpoort"]["title"]) == (
            "Anja Bakker", "Chair of the Executive Board",
        )

    def test_signed_flag_drives_the_draft_mark(self, spec: dict[str, Any]) -> None:
        assert build(spec)["draft"] is True
        assert build(spec, signed=True)["draft"] is False

    def test_term_end_is_inclusive_and_month_end_safe(self) -> None:
        assert term_end(date(2027, 1, 1), 36) == date(2029, 12, 31)
        assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
        assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)

    def test_term_is_optional(self, spec: dict[str, Any]) -> None:
        spec.pop("term")
        assert build(spec)["term"] is None


class TestCheckins:
    @pytest.mark.parametrize(
        ("cadence", "expected"),
        [
            ("monthly", {"freq": "monthly", "interval": 1, "rule": None}),
            ("quarterly", {"freq": "quarterly", "interval": 1, "rule": None}),
            ("FREQ=WEEKLY;INTERVAL=2", {"freq": "weekly", "interval": 2, "rule": None}),
            ("RRULE:FREQ=MONTHLY", {"freq": "monthly", "interval": 1, "rule": None}),
            ("FREQ=WEEKLY;BYDAY=MO,TH", {"freq": None, "interval": None, "rule": "FREQ=WEEKLY;BYDAY=MO,TH"}),
        ],
    )
    def test_cadence(self, cadence: str, expected: dict[str, Any]) -> None:
        assert cadence_view(cadence) == expected

    def test_schedule_fields(self, spec: dict[str, Any]) -> None:
        checkins = build(spec)["checkins"]
        assert checkins["first_text"] == "15 januari 2027"
        assert (checkins["remind_days"], checkins["grace_days"]) == (7, 3)


def test_the_spec_is_not_modified(spec: dict[str, Any]) -> None:
    before = copy.deepcopy(spec)
    build(spec)
    assert spec == before
