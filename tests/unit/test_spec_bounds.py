"""Values that pass import must not crash later (issue 9 §3), and every problem is in the user's words (issue 13)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from factories import example_raw
from pppflow.documents_io import parse_document
from pppflow.domain.spec import parse_spec
from pppflow.errors import BadInput, SpecInvalid

AMOUNT = "must be an amount with at most 15 digits before the point and 2 after it"
NOT_USERS_WORDS = re.compile(r"Input should|Value error|datetime\.|Decimal\(|<unicode string>|Keys should|"
                             r"valid dictionary|instance of|\bSpec\b|unable to parse|Field required")


def problems(raw: Any) -> list[str]:
    with pytest.raises(SpecInvalid) as err:
        parse_spec(raw)
    return err.value.details


@pytest.mark.parametrize("amount", ["1e400", 1e400, "9" * 5001, "1" * 16, "1.005", "Infinity", "NaN"])
def test_an_amount_past_its_bounds_is_refused_by_path(amount: Any) -> None:
    raw = example_raw()
    raw["obligations"][0]["payment"]["amount"] = amount
    raw["contributions"][0]["amount"] = amount
    found = problems(raw)
    assert f"obligations[0].payment.amount: {AMOUNT}" in found or \
        "obligations[0].payment.amount: must be a finite number" in found, found
    assert any(p.startswith("contributions[0].amount: ") for p in found)


def test_amounts_within_bounds_are_kept_exactly_and_written_out_in_full() -> None:
    raw = example_raw()
    raw["obligations"][0]["payment"]["amount"] = "999999999999999.99"
    raw["contributions"][0]["amount"] = "1E+3"
    spec = parse_spec(raw)
    assert str(spec.obligations[0].payment.amount) == "999999999999999.99"  # type: ignore[union-attr]
    assert str(spec.contributions[0].amount) == "1000"


def test_a_term_ending_past_the_window_is_refused() -> None:
    raw = example_raw()
    raw["term"] = {"start": date(9999, 12, 31), "months": 600}
    assert problems(raw) == ["term.start: must be a date from 1950-01-01 to 2199-12-31"]
    raw["term"] = {"start": date(2190, 1, 1), "months": 600}
    assert problems(raw) == ["term: the term (start plus months) must end by 2199-12-31"]
    raw["term"] = {"start": date(2149, 12, 1), "months": 600}
    assert parse_spec(raw).term.months == 600  # type: ignore[union-attr]


@pytest.mark.parametrize("where", ["goals.0.target_date", "obligations.0.due", "checkins.first"])
def test_every_date_is_inside_the_window(where: str) -> None:
    raw = example_raw()
    *path, last = where.split(".")
    node: Any = raw
    for part in path:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = date(1, 1, 1)
    shown = re.sub(r"\.(\d+)", r"[\1]", where)
    assert f"{shown}: must be a date from 1950-01-01 to 2199-12-31" in problems(raw)


def test_every_text_and_list_is_bounded() -> None:
    raw = example_raw()
    raw["goals"][0]["statement"] = "x" * 5001
    raw["goals"][0]["indicators"] = ["i"] * 501
    raw["partners"][0]["address"] = "a" * 5001
    raw["obligations"][0]["title"] = "t" * 201
    raw["contributions"][0]["unit"] = "u" * 81
    raw["region"] = "r" * 201
    raw["workflow"] = "w" * 81
    found = problems(raw)
    for expected in ("goals[0].statement: must be at most 5,000 characters long",
                     "goals[0].indicators: must have at most 500 items",
                     "partners[0].address: must be at most 5,000 characters long",
                     "obligations[0].title: must be at most 200 characters long",
                     "contributions[0].unit: must be at most 80 characters long",
                     "region: must be at most 200 characters long",
                     "workflow: must be at most 80 characters long"):
        assert expected in found, found


def test_a_key_yaml_reads_as_a_date_is_named_as_written() -> None:
    text = (b"spec: pppflow/v1\nname: X\ncoordinator: {name: C}\npartners: []\n"
            b"obligations:\n  - key: o\n    2027-02-20: due\n")
    found = problems(parse_document(text, "x.yaml"))
    assert "obligations[0].2027-02-20: a key must be text (put it in quotes)" in found
    assert not any("datetime" in p for p in found)


BAD_SPECS: list[str] = [
    "spec: pppflow/v1\nname: 5\n",
    "spec: pppflow/v1\nname: [x]\npartners: {a: 1}\ngoals: [goal]\n",
    "spec: pppflow/v1\nname: X\nterm: {start: 2027-02-30, months: many, notice_days: -1}\n",
    "spec: pppflow/v1\nname: X\ncontributions: [{amount: abc, partner: p}, {amount: 1.0e+400}]\n",
    "spec: pppflow/v1\nname: X\nobligations: [{2027-02-20: x, 1: y, due: 2027-02-20T10:00:00}]\n",
    "spec: pppflow/v1\nname: X\ncheckins: {first: yes, remind_days_before: 1.5, grace_days: 99999}\n",
    "spec: pppflow/v2\nlanguage: fr\npartners: [{key: 'A B', contact: {email: nope}}]\n",
    "name: X\nobligations: [{payment: {amount: 1.001, currency: euro}}]\n",
    "- just\n- a list\n",
    "spec: pppflow/v1\nname: [unclosed\n",
    "spec: pppflow/v1\nname: X\nname: Y\n",
]


@pytest.mark.parametrize("text", BAD_SPECS)
def test_no_problem_shows_python_reprs_or_pydantics_english(text: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_spec(parse_document(text, "bad.yaml"))
    words = "\n".join([err.value.message, *err.value.details])
    assert err.value.details, words
    assert not NOT_USERS_WORDS.search(words), words
