"""The pppflow/v1 import format: every problem named by its path; export round-trips."""

from __future__ import annotations

from typing import Any

import pytest

from factories import draft, example_raw
from pppflow.domain.interchange import partnership_to_spec, slugify
from pppflow.domain.spec import parse_spec
from pppflow.errors import SpecInvalid


def problems(raw: Any) -> list[str]:
    with pytest.raises(SpecInvalid) as err:
        parse_spec(raw)
    return err.value.details


def test_the_example_is_valid() -> None:
    spec = parse_spec(example_raw())
    assert spec.name == "Smart Industry Technician Pact"
    assert [o.type for o in spec.obligations] == ["result", "effort", "effort"]


def test_every_problem_is_listed_by_path() -> None:
    raw = example_raw()
    raw["obligations"][1]["type"] = "promise"
    raw["obligations"][0]["owner"] = "acme"
    raw["partners"][2]["kind"] = "startup"
    raw["term"]["start"] = "next year"
    raw["goals"][0]["owners"] = ["noorderpoort", "ghost"]
    del raw["coordinator"]
    raw["colour"] = "blue"
    assert sorted(problems(raw)) == sorted([
        "obligations[1].type: must be one of result, effort",
        "obligations[0].owner: unknown partner 'acme'",
        "partners[2].kind: must be one of education, company, government, knowledge_institution, other",
        "term.start: must be a date (YYYY-MM-DD)",
        "goals[0].owners[1]: unknown partner 'ghost'",
        "coordinator: is required",
        "colour: is not a field of the pppflow/v1 format",
    ])


def test_duplicate_keys_and_effort_without_effort() -> None:
    raw = example_raw()
    raw["partners"][1]["key"] = "noorderpoort"
    del raw["obligations"][1]["effort"]
    found = problems(raw)
    assert "partners[1].key: duplicate key 'noorderpoort'" in found
    assert "obligations[1].effort: an effort obligation states the effort committed" in found


@pytest.mark.parametrize("raw", [None, [], "text", 42])
def test_a_document_that_is_not_a_mapping(raw: Any) -> None:
    assert problems(raw) == ["(document): expected a mapping with spec: pppflow/v1"]


def test_export_round_trips() -> None:
    exported = partnership_to_spec(draft())
    raw = example_raw()
    raw.pop("workflow", None)
    assert parse_spec(exported).model_dump() == parse_spec(example_raw()).model_dump()
    again = partnership_to_spec(draft(exported))
    assert again == exported


@pytest.mark.parametrize("name, slug", [
    ("Smart Industry Technician Pact", "smart-industry-technician-pact"),
    ("Ça va: École & Bedrijf!", "ca-va-ecole-bedrijf"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
    ("???", "partnership"),
])
def test_references_are_short_slugs(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_nul_character_anywhere_is_named_by_its_path() -> None:
    raw = example_raw()
    raw["name"] = "Smart\x00Industry"
    raw["goals"][1]["indicators"][0] = "forty\x00"
    with pytest.raises(SpecInvalid) as err:
        parse_spec(raw)
    assert err.value.details == ["name: must not contain a NUL character",
                                 "goals[1].indicators[0]: must not contain a NUL character"]
