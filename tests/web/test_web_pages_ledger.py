"""The ledger on the web: the partnership page's section (SVG chart readable without JavaScript, with its text
alternative) and the portfolio ledger page (sortable, totals)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from factories import example_raw
from webapp import REF, close, make_web

URL = f"/api/v1/partnerships/{REF}/ledger"
IN_THE_TERM = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)  # the example's term starts on 1 January 2027


@pytest.fixture
def web(tmp_path: Path) -> Any:
    """The web app on a day within the example's term: the ledger takes no dates in the future."""
    w = make_web(tmp_path, now=IN_THE_TERM)
    yield w
    close(w)


def _add(web: Any, **entry: Any) -> None:
    body = {"phase": "investment", "date": "2027-03-01", **entry}
    r = web.api("coco").post(f"/api/v1/partnerships/{body.pop('ref', REF)}/ledger", json=body)
    assert r.status_code == 201, r.text


def test_the_partnership_page_shows_committed_vs_realised_as_a_chart_and_a_table(web: Any) -> None:
    web.import_example()
    _add(web, partner="provincie", kind="cash", quantity="75000", unit="EUR")
    html = web.browser("vera").get(f"/partnerships/{REF}").text
    section = html[html.index('id="ledger"'):]
    assert "Realised <strong>75000.00 EUR</strong> of 210000.00 EUR committed (35.7 %)" in section
    svg = re.search(r"<svg class=\"ledger-chart\".*?</svg>", section, re.S).group(0)  # type: ignore[union-attr]
    assert 'role="img"' in svg and "<title id=\"ledger-chart-title\">" in svg
    assert "provincie: committed 150000.00 EUR, realised 75000.00 EUR." in svg  # the text alternative
    widths = dict(re.findall(r'<rect x="150" y="\d+" width="(\d+)" height="12" fill="#(\w+)">'
                             r'<title>committed 150000', svg))
    assert widths  # the committed bar of provincie is drawn
    assert "<script" not in section
    # a second entry changes the page (it is kept per partnership version)
    _add(web, partner="techbedrijf", kind="equipment", quantity="1", unit="items", value="60000")
    assert "Realised <strong>135000.00 EUR</strong>" in web.browser("vera").get(f"/partnerships/{REF}").text


def test_the_portfolio_ledger_page_sorts_by_realisation_with_totals(web: Any) -> None:
    web.import_example()
    other = example_raw()
    other["name"] = "Second Pact"
    web.import_example(other)
    _add(web, partner="provincie", kind="cash", quantity="21000", unit="EUR")
    _add(web, ref="second-pact", partner="provincie", kind="cash", quantity="105000", unit="EUR")
    page = web.browser("vera").get("/ledger", params={"sort": "rate", "dir": "desc"}).text
    assert page.index("second-pact") < page.index(REF)
    assert "realised <strong>126000.00 EUR</strong> of 420000.00 EUR committed (30.0 %)" in page
    assert ">50.0 %<" in page and ">10.0 %<" in page
    asc = web.browser("vera").get("/ledger", params={"sort": "rate", "dir": "asc"}).text
    assert asc.index(REF) < asc.index("second-pact")
    assert web.browser("vera").get("/ledger", params={"sort": "nonsense"}).status_code == 422
    assert "No partnership yet" in web.browser("otto").get("/ledger").text  # acme is party to neither


def test_the_funder_report_button_downloads_the_report_and_stores_a_version(web: Any) -> None:
    import csv
    import io

    from webapp import csrf

    web.import_example()
    _add(web, partner="provincie", kind="cash", quantity="75000", unit="EUR")
    coco = web.browser("coco")
    page = coco.get(f"/partnerships/{REF}")
    assert 'id="funder-report"' in page.text
    assert 'id="funder-report"' not in web.browser("vera").get(f"/partnerships/{REF}").text  # a viewer: no button
    r = coco.post(f"/partnerships/{REF}/funder-report", data={"csrf_token": csrf(page), "period_end": "2027-05-31",
                                                              "lang": "en", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-disposition"].endswith('-2027-05-31-en.csv"')
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["realised_eur"] for x in rows if x["section"] == "total"] == ["75000.00"]
    assert [f for f in web.store.files if f.startswith(f"funder-reports/{REF}/2027-05-31-en-")]
    bad = coco.post(f"/partnerships/{REF}/funder-report", data={"csrf_token": csrf(page), "period_end": "soon",
                                                                "format": "csv"})
    assert bad.status_code == 422 and "period_end" in bad.text
