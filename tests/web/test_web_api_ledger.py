"""The ledger API: add, list, correct, summary; who may enter for whom; 422 naming the field, 409 twice."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from webapp import REF, close, make_web

URL = f"/api/v1/partnerships/{REF}/ledger"
IN_THE_TERM = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)  # the example's term starts on 1 January 2027


@pytest.fixture
def web(tmp_path: Path) -> Any:
    """The web app on a day within the example's term: the ledger takes no dates in the future."""
    w = make_web(tmp_path, now=IN_THE_TERM)
    yield w
    close(w)
CASH = {"partner": "provincie", "phase": "investment", "kind": "cash", "quantity": "50000", "unit": "EUR",
        "date": "2027-03-01", "description": "First instalment", "evidence": "Bank statement 2027-03"}
HOURS = {"partner": "hanze", "phase": "investment", "kind": "hours", "quantity": "12.5", "unit": "hours",
         "rate": "80", "date": "2027-03-08"}


def test_add_list_correct_and_summarise(web: Any) -> None:
    web.import_example()
    coco = web.api("coco")
    r = coco.post(URL, json=CASH)
    assert r.status_code == 201, r.text
    cash = r.json()
    assert (cash["id"], cash["value_eur"], cash["entered_as"], cash["entered_by"]) == (1, "50000.00", "coordinator",
                                                                                       "coco")
    hours = web.api("hanna").post(URL, json=HOURS).json()
    assert (hours["value_eur"], hours["entered_as"], hours["basis"]) == ("1000.00", "partner", "12.5 hours × 80 EUR")
    r = coco.post(f"{URL}/1/corrections", json={"reason": "wrong instalment"})
    assert r.status_code == 201 and r.json()["corrects"] == 1 and r.json()["value_eur"] == "-50000.00"
    again = coco.post(f"{URL}/1/corrections", json={"reason": "again"})
    assert again.status_code == 422 and again.json()["details"] == ["entry_id: corrected already"]
    listed = web.api("vera").get(URL).json()["entries"]
    assert [e["id"] for e in listed] == [1, 2, 3]
    assert [e["id"] for e in web.api("vera").get(URL, params={"partner": "hanze"}).json()["entries"]] == [2]
    s = web.api("vera").get(f"{URL}/summary").json()
    assert s["totals"]["realised_eur"] == "1000.00"
    assert sum(Decimal(e["value_eur"]) for e in listed) == Decimal(s["totals"]["realised_eur"])


def test_a_partner_user_enters_only_for_its_own_organisation(web: Any) -> None:
    web.import_example()
    r = web.api("hanna").post(URL, json=CASH)  # hanna works for hanze, not provincie
    assert r.status_code == 403 and "its own organisation" in r.json()["message"]
    assert web.api("vera").post(URL, json=HOURS).status_code == 403  # a viewer enters nothing
    assert web.api("otto").get(URL).status_code == 404  # not a party: the partnership does not exist for acme
    coco_entry = web.api("coco").post(URL, json=CASH).json()
    r = web.api("hanna").post(f"{URL}/{coco_entry['id']}/corrections", json={"reason": "not ours"})
    assert r.status_code == 403
    assert web.api("coco").get(URL).json()["entries"] == [coco_entry]


def test_bad_input_is_422_naming_the_field_and_nothing_is_stored(web: Any) -> None:
    web.import_example()
    coco = web.api("coco")
    for change, field in (({"quantity": "0"}, "quantity"), ({"kind": "love"}, "kind"),
                          ({"date": "2031-01-01"}, "date"), ({"unit": "hours", "kind": "hours"}, "rate")):
        r = coco.post(URL, json={**CASH, **change})
        assert r.status_code == 422, r.text
        assert r.json()["details"][0].startswith(f"{field}:"), r.json()
    r = coco.post(URL, json={**CASH, "amount": 3})
    assert r.status_code == 422 and "amount" in str(r.json()["details"])
    assert coco.get(URL).json()["entries"] == []
