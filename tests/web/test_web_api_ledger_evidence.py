"""Evidence files on ledger entries through the API: multipart upload (an added, audited record; the entry never
changes), list, download; who may attach; refused files store nothing; no path edits or deletes an entry."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from webapp import REF, close, make_web

IN_THE_TERM = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
API = f"/api/v1/partnerships/{REF}"
TIMESHEET = b"Week 9: 12 hours, practical lessons.\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(64)


@pytest.fixture
def web(tmp_path: Path) -> Any:
    w = make_web(tmp_path, now=IN_THE_TERM)
    w.import_example()
    yield w
    close(w)


def add(web: Any, who: str = "coco", partner: str = "hanze") -> dict[str, Any]:
    r = web.api(who).post(f"{API}/ledger", json={"partner": partner, "phase": "investment", "kind": "hours",
                                                 "quantity": "12", "unit": "hours", "rate": "60",
                                                 "date": "2027-03-01"})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def upload(web: Any, who: str, entry_id: int, data: bytes = TIMESHEET, name: str = "week9.txt") -> Any:
    return web.api(who).post(f"{API}/ledger/{entry_id}/evidence", files={"file": (name, data, "text/plain")})


def test_a_partner_attaches_to_its_own_entry_and_readers_list_and_download(web: Any) -> None:
    entry = add(web)
    r = upload(web, "hanna", entry["id"])
    assert r.status_code == 201, r.text
    sha = hashlib.sha256(TIMESHEET).hexdigest()
    assert (r.json()["sha256"], r.json()["media_type"], r.json()["attached_as"], r.json()["entry_id"]) == \
        (sha, "text/plain", "partner", entry["id"])
    assert web.api("coco").get(f"{API}/ledger").json()["entries"] == [entry]  # the entry itself is unchanged
    [audit] = [e for e in web.api("coco").get(f"{API}/history").json() if e["action"] == "ledger.evidence_file"]
    assert audit["after"]["sha256"] == sha and audit["after"]["entry_id"] == entry["id"] and audit["actor"] == "hanna"
    assert [f["filename"] for f in web.api("vera").get(f"{API}/ledger/{entry['id']}/evidence").json()] == ["week9.txt"]
    got = web.api("vera").get(f"{API}/ledger/{entry['id']}/evidence/{sha}")
    assert got.status_code == 200 and got.content == TIMESHEET
    assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''week9.txt"
    assert web.api("otto").get(f"{API}/ledger/{entry['id']}/evidence/{sha}").status_code == 404  # not a party
    other = add(web, partner="provincie")
    assert web.api("vera").get(f"{API}/ledger/{other['id']}/evidence/{sha}").status_code == 404  # not its file
    assert upload(web, "hanna", entry["id"]).status_code == 409  # the same file twice


def test_refused_files_and_callers_store_nothing(web: Any) -> None:
    entry, theirs = add(web), add(web, partner="techbedrijf")
    cases = [(upload(web, "coco", entry["id"], ELF, "sheet.txt"), 422, "not a PDF, PNG, JPEG or plain-text"),
             (upload(web, "coco", entry["id"], b""), 422, "empty"),
             (upload(web, "hanna", theirs["id"]), 403, "a contribution of 'techbedrijf'"),
             (upload(web, "vera", entry["id"]), 403, "may not attach evidence to the ledger"),
             (upload(web, "otto", entry["id"]), 404, ""),
             (upload(web, "coco", 999), 422, "entry_id: the ledger has no entry 999")]
    web.app.state.desk = web.desk.replace(evidence_max_bytes=len(TIMESHEET) - 1)
    cases.append((upload(web, "coco", entry["id"]), 422, "too big"))
    for r, status, text in cases:
        assert r.status_code == status and text in r.text, (status, r.text)
    history = web.api("coco").get(f"{API}/history").json()
    assert not web.store.files and not any(e["action"] == "ledger.evidence_file" for e in history)


def test_no_path_changes_or_deletes_an_entry_and_a_reversal_lists_its_targets_evidence(web: Any) -> None:
    entry = add(web)
    assert upload(web, "coco", entry["id"]).status_code == 201
    coco = web.api("coco")
    for method in ("put", "patch", "delete"):
        assert getattr(coco, method)(f"{API}/ledger/{entry['id']}").status_code in (404, 405)
        assert getattr(coco, method)(f"{API}/ledger/{entry['id']}/evidence/x").status_code in (404, 405)
    r = coco.post(f"{API}/ledger/{entry['id']}/corrections", json={"reason": "wrong week"})
    assert r.status_code == 201
    [linked] = coco.get(f"{API}/ledger/{r.json()['id']}/evidence").json()
    assert linked["entry_id"] == entry["id"] and linked["filename"] == "week9.txt"
    assert coco.get(f"{API}/ledger/{r.json()['id']}/evidence/{linked['sha256']}").content == TIMESHEET
    assert coco.get(f"{API}/ledger").json()["entries"][0] == entry
