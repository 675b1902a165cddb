"""The REST API for agreements (generate, list, download, sign, verify), check-ins and the outbox."""

from __future__ import annotations

from webapp import REF, SIGNATORIES


def _framework_agreed(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        r = web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger})
        assert r.status_code == 200, r.text


def test_generate_list_download_sign_and_verify(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    lex, vera = web.api("lex"), web.api("vera")
    assert web.api("coco").post(f"/api/v1/partnerships/{REF}/agreements").status_code == 403
    draft = lex.post(f"/api/v1/partnerships/{REF}/agreements", json={"lang": "nl,en"}).json()
    assert (draft["version"], draft["status"], draft["created"], draft["language"]) == (1, "draft", True, "nl,en")
    r = lex.post(f"/api/v1/partnerships/{REF}/agreements/1/signatures",
                 json={"partner": "hanze", "name": "Henk Visser"})
    assert r.status_code == 409 and "draft" in r.json()["message"]
    web.agree_all_goals(REF)
    final = lex.post(f"/api/v1/partnerships/{REF}/agreements").json()
    assert (final["version"], final["status"]) == (2, "final")
    assert lex.post(f"/api/v1/partnerships/{REF}/agreements").json()["created"] is False
    assert [v["status"] for v in vera.get(f"/api/v1/partnerships/{REF}/agreements").json()] == ["superseded", "final"]
    pdf = vera.get(f"/api/v1/partnerships/{REF}/agreements/2/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and 'filename="' + REF + '-v2.pdf"' in pdf.headers["content-disposition"]
    assert vera.get(f"/api/v1/partnerships/{REF}/agreements/2/pdf", params={"copy": "executed"}).status_code == 404
    assert vera.get(f"/api/v1/partnerships/{REF}/agreements/9").status_code == 404
    r = lex.post(f"/api/v1/partnerships/{REF}/signoffs", json={"partner": "hanze", "name": "Someone Else"})
    assert r.status_code == 409 and r.json()["details"] == ["the signatory of hanze is Henk Visser"]
    for partner, name in SIGNATORIES.items():
        r = lex.post(f"/api/v1/partnerships/{REF}/agreements/2/signatures",
                     json={"partner": partner, "name": name, "method": "wet-ink"})
        assert r.status_code == 200, r.text
    detail = vera.get(f"/api/v1/partnerships/{REF}/agreements/2").json()
    assert detail["status"] == "signed" and detail["unsigned"] == [] and len(detail["signatures"]) == 4
    executed = vera.get(f"/api/v1/partnerships/{REF}/agreements/2/pdf", params={"copy": "executed"})
    assert executed.status_code == 200
    genuine = lex.post("/api/v1/agreements/verify", files={"file": ("a.pdf", pdf.content, "application/pdf")}).json()
    assert genuine["genuine"] and genuine["ref"] == REF and genuine["version"] == 2 and genuine["copy"] == "version"
    signed = lex.post("/api/v1/agreements/verify", files={"file": ("s.pdf", executed.content)}).json()
    assert signed["copy"] == "executed" and len(signed["signatures"]) == 4
    forged = lex.post("/api/v1/agreements/verify", files={"file": ("f.pdf", pdf.content + b" ")}).json()
    assert forged["genuine"] is False and forged["ref"] is None
    assert vera.post("/api/v1/agreements/verify", files={"file": ("a.pdf", pdf.content)}).status_code == 403
    actions = [e["action"] for e in vera.get(f"/api/v1/partnerships/{REF}/history").json()]
    assert actions.count("agreement.generate") == 2 and "agreement.executed_copy" in actions


def test_a_translation_is_kept_beside_its_original_and_cannot_be_signed(web) -> None:  # type: ignore[no-untyped-def]
    _framework_agreed(web)
    lex = web.api("lex")
    url = f"/api/v1/partnerships/{REF}/agreements"
    r = lex.post(url, json={"lang": "en"})
    assert r.status_code == 409 and "governing language (nl)" in r.json()["message"]
    for bad in ("fr", "nl,nl", ["nl", "fr"], ["nl", "en", "nl"]):
        r = lex.post(url, json={"lang": bad})
        assert r.status_code in (400, 422) and "Traceback" not in r.text, bad
    assert lex.post(url).json()["version"] == 1
    t = lex.post(url, json={"lang": "en"}).json()
    assert (t["version"], t["language"], t["translation_of"], t["status"]) == (2, "en", 1, "final")
    r = lex.post(f"{url}/2/signatures", json={"partner": "hanze", "name": "Henk Visser"})
    assert r.status_code == 409 and r.json()["message"] == "version 2 is a translation of version 1 and cannot " \
        "be signed"
    for partner, name in SIGNATORIES.items():
        assert lex.post(f"{url}/1/signatures", json={"partner": partner, "name": name}).status_code == 200
    listed = web.api("vera").get(url).json()
    assert [(v["version"], v["status"], v["translation_of"]) for v in listed] == [(1, "signed", None), (2, "signed", 1)]
    page = web.browser("lex").get(f"/partnerships/{REF}/agreements").text
    assert "translation of version 1 (not signed itself)" in page
    assert '<option value="nl,en">' in page and '<option value="en,nl">' in page


def test_checkins_record_list_and_due(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    coco, vera = web.api("coco"), web.api("vera")
    r = coco.post(f"/api/v1/partnerships/{REF}/checkins", json={})
    assert r.status_code == 409 and "no check-ins planned" in r.json()["message"]
    assert vera.get(f"/api/v1/partnerships/{REF}/checkins").json()["checkins"] == []
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger})
    planned = vera.get(f"/api/v1/partnerships/{REF}/checkins").json()["checkins"]
    assert planned[0]["date"] == "2027-01-15" and planned[0]["status"] == "upcoming" and len(planned) == 36
    r = coco.post(f"/api/v1/partnerships/{REF}/checkins", json={"held_on": "2030-01-01"})
    assert r.status_code == 422 and "after today" in r.json()["message"]
    r = coco.post(f"/api/v1/partnerships/{REF}/checkins", json={"checkin": "2027-01-15", "notes": "kick-off",
                  "progress": {"obligations": [{"key": "research", "activities": ["literature"], "hours": 12}]}})
    assert r.status_code == 201, r.text
    assert r.json()["checkin"] == "2027-01-15" and r.json()["efforts"][0]["hours"] == "12"
    log = vera.get(f"/api/v1/partnerships/{REF}/checkins").json()
    assert log["checkins"][0]["status"] == "held" and log["effort_log"][0]["obligation"] == "research"
    r = coco.post(f"/api/v1/partnerships/{REF}/checkins", json={"progress": {"obligations": [{"key": "nope"}]}})
    assert r.status_code == 422 and r.json()["details"][0].startswith("obligations[0].key: unknown obligation")
    assert vera.post(f"/api/v1/partnerships/{REF}/checkins", json={}).status_code == 403
    due = vera.get("/api/v1/checkins/due", params={"within": 90}).json()
    assert [(i["kind"], i["ref"], i["date"], i["status"]) for i in due] == [("checkin", REF, "2027-02-15", "upcoming")]
    assert web.api("hanna").get("/api/v1/checkins/due", params={"within": 90}).json() == due
    assert web.api("otto").get("/api/v1/checkins/due", params={"within": 366}).json() == []
    assert vera.get("/api/v1/checkins/due", params={"within": -1}).status_code == 422


def test_outbox_is_for_coordinators(web) -> None:  # type: ignore[no-untyped-def]
    assert web.api("coco").get("/api/v1/outbox").json() == []
    assert web.api("admin").get("/api/v1/outbox", params={"failed": True}).status_code == 200
    for user in ("vera", "lex", "hanna"):
        assert web.api(user).get("/api/v1/outbox").status_code == 403


def test_a_session_cookie_works_for_reading_and_needs_the_csrf_header_to_change(web) -> None:  # type: ignore[no-untyped-def]
    from webapp import csrf

    _framework_agreed(web)
    browser = web.browser("coco")
    assert browser.get(f"/api/v1/partnerships/{REF}").status_code == 200
    r = browser.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "terminate", "reason": "x"})
    assert r.status_code == 403
    token = csrf(browser.get("/"))
    r = browser.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "suspend", "reason": "budget"},
                     headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["stage"] == "suspended"


def test_a_signed_version_that_no_longer_holds_is_marked_with_the_reason(web) -> None:  # type: ignore[no-untyped-def]
    from factories import example_raw
    from pppflow.services.partnerships import amend_partnership

    _framework_agreed(web)
    lex = web.api("lex")
    assert lex.post(f"/api/v1/partnerships/{REF}/agreements", json={"lang": ["nl", "en"]}).json()["version"] == 1
    for partner, name in SIGNATORIES.items():
        assert lex.post(f"/api/v1/partnerships/{REF}/agreements/1/signatures",
                        json={"partner": partner, "name": name}).status_code == 200
    page = web.browser("lex").get(f"/partnerships/{REF}/agreements").text
    assert "no longer valid" not in page
    revised = example_raw()
    revised["term"]["months"] = 48
    assert amend_partnership(REF, revised, uow=web.desk.uow(), actor="coco", now=web.desk.now()) == ["term"]
    page = web.browser("lex").get(f"/partnerships/{REF}/agreements").text
    assert 'class="badge stale">No longer valid<' in page
    stale = page.split('id="stale-1"', 1)[1].split("</div>", 1)[0]
    assert "Signed, but no longer valid" in stale and "the partnership changed after version 1" in stale
