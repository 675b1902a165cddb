"""Partners record progress (effort, result evidence) on the obligations their organisation owns; the
coordinator sees it on the obligation and on the check-in it reports to."""

from __future__ import annotations

from typing import Any

from webapp import REF, csrf

P = f"/api/v1/partnerships/{REF}"


def _planned(web: Any) -> None:
    web.import_example()
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):  # agreeing the framework plans the check-ins
        assert web.api("coco").post(f"{P}/advance", json={"trigger": trigger}).status_code == 200


def test_a_partner_records_effort_on_its_own_obligation_and_the_coordinator_sees_it(web) -> None:  # type: ignore[no-untyped-def]
    _planned(web)
    hanna, coco = web.api("hanna"), web.api("coco")
    r = hanna.post(f"{P}/obligations/research/progress",
                   json={"activities": ["Literature study", "Lab visit"], "hours": "12.5"})
    assert r.status_code == 201, r.text
    rec = r.json()
    assert (rec["partner"], rec["kind"], rec["activities"], rec["hours"], rec["recorded_by"], rec["on_behalf_of"]) == \
        ("hanze", "effort", ["Literature study", "Lab visit"], "12.5", "hanna", None)
    first_checkin = coco.get(f"{P}/checkins").json()
    assert rec["checkin"] is not None
    # bad input: 422 naming the field, 403 for another organisation's obligation or partner, 404 unknown; nothing stored
    assert hanna.post(f"{P}/obligations/research/progress", json={"activities": [], "hours": 3}).status_code == 422
    r = hanna.post(f"{P}/obligations/research/progress", json={"activities": ["x"], "hours": -1})
    assert r.status_code == 422 and r.json()["message"].startswith("hours:")
    r = hanna.post(f"{P}/obligations/research/progress", json={"evidence": "a report"})
    assert r.status_code == 422 and "effort obligation" in r.json()["message"]
    r = hanna.post(f"{P}/obligations/assignments/progress", json={"activities": ["x"], "hours": 1})
    assert r.status_code == 409 and "owned by techbedrijf" in r.json()["message"]
    assert hanna.post(f"{P}/obligations/research/progress",
                      json={"partner": "techbedrijf", "activities": ["x"], "hours": 1}).status_code == 403
    assert hanna.post(f"{P}/obligations/nope/progress", json={"activities": ["x"], "hours": 1}).status_code == 404
    assert web.api("otto").post(f"{P}/obligations/research/progress",
                                json={"activities": ["x"], "hours": 1}).status_code == 404
    # the coordinator records result evidence on behalf of noorderpoort
    r = coco.post(f"{P}/obligations/modules-delivered/progress",
                  json={"partner": "noorderpoort", "evidence": "Three of five modules piloted"})
    assert r.status_code == 201 and r.json()["on_behalf_of"] == "noorderpoort"
    assert coco.post(f"{P}/obligations/modules-delivered/progress",
                     json={"partner": "noorderpoort", "evidence": "  "}).status_code == 422
    everything = coco.get(f"{P}/progress").json()
    assert [(x["obligation"], x["kind"]) for x in everything] == [("research", "effort"),
                                                                  ("modules-delivered", "evidence")]
    assert len(coco.get(f"{P}/obligations/research/progress").json()) == 1
    history = [e for e in coco.get(f"{P}/history").json() if e["action"] == "progress.record"]
    assert [(e["actor"], e["on_behalf_of"]) for e in history] == [("hanna", None), ("coco", "noorderpoort")]
    assert first_checkin  # the plan exists, so both report to a check-in
    assert {x["checkin"] for x in everything} == {rec["checkin"]}

    # the pages: the obligation and the check-in show the records; the owner has a form, others do not
    page = web.browser("coco").get(f"/partnerships/{REF}").text
    assert "12.5 h — Literature study; Lab visit" in page and "evidence: Three of five modules piloted" in page
    assert "Reported by partners for the check-in of" in page
    browser = web.browser("hanna")
    mine = browser.get(f"/partnerships/{REF}")
    assert "Record progress for hanze" in mine.text and mine.text.count("Record progress for") == 1
    r = browser.post(f"/partnerships/{REF}/obligations/research/progress",
                     data={"csrf_token": csrf(mine), "activities": "Workshop\n", "hours": "abc"})
    assert r.status_code == 422 and "hours: a number of hours" in r.text
    r = browser.post(f"/partnerships/{REF}/obligations/research/progress",
                     data={"csrf_token": csrf(mine), "activities": "Workshop\nReport", "hours": "4"},
                     follow_redirects=True)
    assert "Recorded effort on research for hanze." in r.text
    assert len(coco.get(f"{P}/obligations/research/progress").json()) == 2
