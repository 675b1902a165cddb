"""The ledger's forms on the partnership page: add an entry (with an evidence file), every problem next to its field
and nothing stored; a partner user only for its own organisation; viewers refused; CSRF; Correct (reason required)
giving a reversing entry that carries its target's evidence; Book to ledger for a check-in's effort hours."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from webapp import REF, close, csrf, make_web

IN_THE_TERM = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)  # the example's term starts on 1 January 2027
CHECKIN = "2027-06-15"  # the first check-in planned after agreeing the framework on 1 June
PAGE = f"/partnerships/{REF}"
API = f"/api/v1/partnerships/{REF}"
INVOICE = b"%PDF-1.7\n% invoice 2027-031\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(64)


@pytest.fixture
def web(tmp_path: Path) -> Any:
    w = make_web(tmp_path, now=IN_THE_TERM)
    w.import_example()
    yield w
    close(w)


def entry_form(**fields: str) -> dict[str, str]:
    return {"partner": "techbedrijf", "phase": "investment", "kind": "equipment", "quantity": "1", "unit": "items",
            "value": "4200", "date": "2027-03-01", "description": "CNC trainer", "evidence": "invoice 2027-031",
            **fields}


def post_entry(client: Any, fields: dict[str, str], files: Any = None) -> Any:
    token = csrf(client.get(PAGE))
    return client.post(f"{PAGE}/ledger", data={"csrf_token": token, **fields}, files=files, follow_redirects=False)


def ledger(web: Any) -> list[dict[str, Any]]:
    return web.api("coco").get(f"{API}/ledger").json()["entries"]  # type: ignore[no-any-return]


def actions(web: Any) -> list[str]:
    return [e["action"] for e in web.api("coco").get(f"{API}/history").json()]


def test_a_coordinator_adds_an_entry_with_its_evidence_file_on_the_partners_behalf(web: Any) -> None:
    coco = web.browser("coco")
    r = post_entry(coco, entry_form(), files=[("file", ("invoice.pdf", INVOICE, "application/pdf"))])
    assert r.status_code == 303, r.text
    [entry] = ledger(web)
    assert (entry["partner"], entry["value_eur"], entry["entered_by"], entry["entered_as"]) == \
        ("techbedrijf", "4200.00", "coco", "coordinator")
    sha = hashlib.sha256(INVOICE).hexdigest()
    [f] = web.api("vera").get(f"{API}/ledger/{entry['id']}/evidence").json()
    assert (f["sha256"], f["filename"], f["media_type"]) == (sha, "invoice.pdf", "application/pdf")
    assert actions(web)[-2:] == ["ledger.add", "ledger.evidence_file"]
    shown = coco.get(PAGE).text
    assert f"Ledger entry #{entry['id']}: techbedrijf 1 items equipment, valued 4200.00 EUR with 1 evidence" in shown
    row = shown[shown.index(f'id="ledger-entry-{entry["id"]}"'):]
    assert "on behalf of techbedrijf" in row[:2000] and ">invoice.pdf</a>" in row[:3000]
    assert web.browser("vera").get(f"{PAGE}/ledger/{entry['id']}/evidence/{sha}").content == INVOICE


def test_every_problem_is_shown_next_to_its_field_and_nothing_is_stored(web: Any) -> None:
    coco = web.browser("coco")
    cases = [(entry_form(quantity="0"), "quantity", "quantity must be more than zero"),
             (entry_form(quantity="lots"), "quantity", "quantity must be a number"),
             (entry_form(kind="favours"), "kind", "unknown kind 'favours'"),
             (entry_form(partner="nobody"), "partner", "has no partner 'nobody'"),
             (entry_form(date="2027-13-01"), "date", "enter a date as YYYY-MM-DD"),
             (entry_form(date="2027-07-01"), "date", "is in the future"),
             (entry_form(kind="hours", unit="hours", value="", rate=""), "rate", "rate table has no rate for hours"),
             (entry_form(rate="50"), "rate", "give rate or value, not both")]
    for fields, field, text in cases:
        r = post_entry(coco, fields)
        assert r.status_code == 422, (fields, r.text[:300])
        error = re.search(rf'<div id="ledger-{field}-error" role="alert"><ul class="field-error">(.*?)</ul>',
                          r.text, re.S)
        assert error and text in html.unescape(error.group(1)), (field, text, error)
        control = re.search(rf'<(?:input|select)[^>]* id="ledger-{field}"[^>]*>', r.text)
        assert control, field
        tag = control.group(0)
        assert f"ledger-{field}-error" in tag and 'aria-invalid="true"' in tag  # the error is linked to its field
        assert "Nothing was saved: correct the marked fields." in r.text
    kept = post_entry(coco, entry_form(quantity="0", description="kept <b>as typed</b>"))
    assert 'value="kept &lt;b&gt;as typed&lt;/b&gt;"' in kept.text  # what was typed stays in the form, escaped
    bad_file = post_entry(coco, entry_form(), files=[("file", ("invoice.pdf", ELF, "application/pdf"))])
    assert bad_file.status_code == 422 and "not a PDF, PNG, JPEG or plain-text" in bad_file.text
    assert 'id="ledger-file-error"' in bad_file.text
    assert ledger(web) == [] and not web.store.files and "ledger.add" not in actions(web)


def test_a_partner_user_enters_only_for_its_own_organisation(web: Any) -> None:
    hanna = web.browser("hanna")
    page = hanna.get(PAGE).text
    partner_select = re.search(r'<select id="ledger-partner".*?</select>', page, re.S)
    assert partner_select and re.findall(r'<option value="(\w+)"', partner_select.group(0)) == ["hanze"]
    mine = entry_form(partner="hanze", kind="hours", unit="hours", value="", rate="60", quantity="10")
    assert post_entry(hanna, mine).status_code == 303
    refused = post_entry(hanna, entry_form(partner="techbedrijf"))
    assert refused.status_code == 403 and "only for its own organisation" in refused.text
    [entry] = ledger(web)
    assert (entry["partner"], entry["entered_by"], entry["entered_as"], entry["value_eur"]) == \
        ("hanze", "hanna", "partner", "600.00")
    # the coordinator's entry for techbedrijf offers hanna no Correct and no Attach
    post_entry(web.browser("coco"), entry_form())
    page = hanna.get(PAGE).text
    assert f'action="{PAGE}/ledger/{entry["id"]}/correct"' in page
    assert f'action="{PAGE}/ledger/{entry["id"] + 1}/correct"' not in page
    r = hanna.post(f"{PAGE}/ledger/{entry['id'] + 1}/correct", data={"csrf_token": csrf(hanna.get(PAGE)),
                                                                    "reason": "not ours"})
    assert r.status_code == 403 and len(ledger(web)) == 2


def test_a_viewer_gets_no_form_and_is_refused_and_a_post_without_csrf_token_is_refused(web: Any) -> None:
    assert post_entry(web.browser("coco"), entry_form()).status_code == 303
    vera = web.browser("vera")
    page = vera.get(PAGE).text
    assert 'id="ledger-add"' not in page and "/correct" not in page and f'action="{PAGE}/ledger/1/evidence"' not in page
    assert post_entry(vera, entry_form()).status_code == 403
    coco = web.browser("coco")
    coco.get(PAGE)
    r = coco.post(f"{PAGE}/ledger", data=entry_form(), follow_redirects=False)
    assert r.status_code == 403
    r = coco.post(f"{PAGE}/ledger", data={"csrf_token": "forged", **entry_form()}, follow_redirects=False)
    assert r.status_code == 403
    assert len(ledger(web)) == 1


def test_correct_needs_a_reason_and_the_reversal_carries_the_evidence_of_its_target(web: Any) -> None:
    coco = web.browser("coco")
    post_entry(coco, entry_form(), files=[("file", ("invoice.pdf", INVOICE, "application/pdf"))])
    [entry] = ledger(web)
    url = f"{PAGE}/ledger/{entry['id']}/correct"
    r = coco.post(url, data={"csrf_token": csrf(coco.get(PAGE)), "reason": "  "})
    assert r.status_code == 422
    error = re.search(rf'id="ledger-correct-error-{entry["id"]}" role="alert"><ul class="field-error">(.*?)</ul>',
                      r.text, re.S)
    assert error and "reason: a correction states why" in error.group(1)
    assert len(ledger(web)) == 1
    r = coco.post(url, data={"csrf_token": csrf(coco.get(PAGE)), "reason": "invoice was for another project"},
                  follow_redirects=False)
    assert r.status_code == 303
    first, reversal = ledger(web)
    assert (reversal["corrects"], reversal["value_eur"], reversal["reason"]) == \
        (first["id"], "-4200.00", "invoice was for another project")
    [linked] = web.api("vera").get(f"{API}/ledger/{reversal['id']}/evidence").json()
    assert linked["entry_id"] == first["id"] and linked["filename"] == "invoice.pdf"
    page = coco.get(PAGE).text
    row = page[page.index(f'id="ledger-entry-{reversal["id"]}"'):page.index(f'id="ledger-entry-{first["id"]}"')]
    assert ">invoice.pdf</a>" in row and f"of entry #{first['id']}" in row
    assert f'action="{url}"' not in page  # corrected once: no second Correct
    assert coco.post(url, data={"csrf_token": csrf(coco.get(PAGE)), "reason": "again"}).status_code == 422


def test_a_file_is_attached_to_an_entry_from_the_page_as_an_added_record(web: Any) -> None:
    coco = web.browser("coco")
    post_entry(coco, entry_form())
    [entry] = ledger(web)
    r = coco.post(f"{PAGE}/ledger/{entry['id']}/evidence", data={"csrf_token": csrf(coco.get(PAGE))},
                  files={"file": ("delivery.txt", b"Delivered 1 March 2027.\n", "text/plain")}, follow_redirects=False)
    assert r.status_code == 303
    assert ledger(web) == [entry]  # the entry itself is unchanged
    shown = coco.get(PAGE).text
    assert "Attached delivery.txt to ledger entry" in shown and ">delivery.txt</a>" in shown
    bad = coco.post(f"{PAGE}/ledger/{entry['id']}/evidence", data={"csrf_token": csrf(coco.get(PAGE))},
                    files={"file": ("tool.txt", ELF, "text/plain")})
    assert bad.status_code == 422 and f'id="ledger-evidence-error-{entry["id"]}"' in bad.text


def _held_checkin_with_effort(web: Any) -> None:
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        assert web.api("coco").post(f"{API}/advance", json={"trigger": trigger}).status_code == 200
    progress = {"obligations": [{"key": "research", "activities": ["Company visit"], "hours": "7.5"}]}
    r = web.api("coco").post(f"{API}/checkins", json={"held_on": "2027-06-01", "progress": progress})
    assert r.status_code == 201, r.text


def test_book_to_ledger_books_a_checkins_effort_hours_once(web: Any) -> None:
    _held_checkin_with_effort(web)
    coco = web.browser("coco")
    page = coco.get(PAGE).text
    assert "Effort logged at the check-in of" in page and "7.5 hours" in page
    assert f'action="/partnerships/{REF}/ledger/book-checkin"' not in web.browser("vera").get(PAGE).text
    token = csrf(coco.get(PAGE))
    r = coco.post(f"{PAGE}/ledger/book-checkin", data={"csrf_token": token, "checkin": CHECKIN, "rate": ""})
    assert r.status_code == 422 and "rate table has no rate for hours" in r.text and ledger(web) == []
    r = coco.post(f"{PAGE}/ledger/book-checkin", data={"csrf_token": token, "checkin": CHECKIN, "rate": "60"},
                  follow_redirects=False)
    assert r.status_code == 303
    [booked] = ledger(web)
    assert (booked["partner"], booked["quantity"], booked["value_eur"], booked["effort_id"] is not None) == \
        ("hanze", "7.5", "450.00", True)
    assert "Book to ledger" not in coco.get(PAGE).text  # nothing left to book
    again = coco.post(f"{PAGE}/ledger/book-checkin", data={"csrf_token": token, "checkin": CHECKIN, "rate": "60"})
    assert again.status_code == 409 and len(ledger(web)) == 1


def test_the_form_takes_files_up_to_the_upload_limit_not_the_document_limit(tmp_path: Path) -> None:
    w = make_web(tmp_path, now=IN_THE_TERM, max_document_bytes=20_000)
    try:
        w.import_example()
        timesheet = ("week 9: 12 hours\n" * 7000).encode()  # 119,000 bytes: past the document limit and its form
        r = post_entry(w.browser("coco"), entry_form(), files=[("file", ("timesheet.txt", timesheet, "text/plain"))])
        assert r.status_code == 303, r.text[:300]
        assert [f["size"] for f in w.api("coco").get(f"{API}/ledger/1/evidence").json()] == [len(timesheet)]
        big = w.api("coco").post(f"{API}/ledger", content=b"{" + b" " * 100_000 + b"}",
                                 headers={"content-type": "application/json"})
        assert big.status_code == 413  # the API's JSON route keeps the document limit
    finally:
        close(w)
