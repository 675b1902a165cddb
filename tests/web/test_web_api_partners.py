"""Partners act themselves through the API: for their own organisation only, with a veto on admissions,
withdrawing from a goal; a coordinator acting for a partner is recorded as acting on its behalf."""

from __future__ import annotations

from typing import Any

from webapp import REF, SIGNATORIES

ACME = {"key": "acme", "name": "Acme Robotics", "kind": "company",
        "contact": {"name": "Ann de Boer", "email": "ann@acme.example"},
        "signatory": {"name": "Bo Smit", "title": "CEO"}, "responsibility": "Offers twelve internships a year"}
P = f"/api/v1/partnerships/{REF}"


def _active(web: Any) -> None:
    web.import_example()
    web.agree_all_goals(REF)
    assert web.api("coco").post(f"{P}/advance", json={"trigger": "define_goals"}).status_code == 200


def _history(web: Any) -> list[dict[str, Any]]:
    return web.api("coco").get(f"{P}/history").json()  # type: ignore[no-any-return]


def test_a_partner_user_agrees_a_goal_for_its_own_organisation_without_naming_it(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    hanna = web.api("hanna")
    r = hanna.post(f"{P}/goals/modules/agreements")
    assert r.status_code == 200, r.text
    assert r.json()["agreed_by"] == ["hanze"]
    assert hanna.post(f"{P}/goals/lifelong/agreements", json={"partner": "hanze"}).json()["agreed_by"] == ["hanze"]
    # acting for another organisation: 403, nothing stored
    r = hanna.post(f"{P}/goals/modules/agreements", json={"partner": "noorderpoort"})
    assert r.status_code == 403 and "own organisation (hanze)" in r.json()["message"]
    # a partnership it is not in: 404 (acme's user)
    assert web.api("otto").post(f"{P}/goals/modules/agreements").status_code == 404
    # viewers and legal do not act for partners; a coordinator must name the partner
    assert web.api("vera").post(f"{P}/goals/modules/agreements", json={"partner": "hanze"}).status_code == 403
    r = web.api("coco").post(f"{P}/goals/modules/agreements")
    assert r.status_code == 422 and r.json()["message"].startswith("partner:")
    assert web.api("coco").post(f"{P}/goals/nope/agreements", json={"partner": "provincie"}).status_code == 404
    goals = {g["key"]: g["agreed_by"] for g in web.api("vera").get(f"{P}/goals").json()}
    assert goals == {"modules": ["hanze"], "lifelong": ["hanze"]}


def test_history_says_on_behalf_of_for_a_coordinator_and_nothing_for_a_partner_itself(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    assert web.api("hanna").post(f"{P}/goals/modules/agreements").status_code == 200
    assert web.api("coco").post(f"{P}/goals/modules/agreements", json={"partner": "provincie"}).status_code == 200
    mine, theirs = [e for e in _history(web) if e["action"] == "goal.agree"]
    assert (mine["actor"], mine["on_behalf_of"], mine["acted_as"]) == ("hanna", None, "hanna")
    assert (theirs["actor"], theirs["on_behalf_of"]) == ("coco", "provincie")
    assert theirs["acted_as"] == "coordinator coco on behalf of provincie"
    assert web.api("admin").get("/api/v1/audit/verify").json()["ok"] is True


def test_one_rejection_rejects_an_admission_with_who_and_why(web) -> None:  # type: ignore[no-untyped-def]
    _active(web)
    coco, hanna = web.api("coco"), web.api("hanna")
    assert coco.post(f"{P}/admissions", json=ACME).status_code == 201
    assert coco.post(f"{P}/admissions/acme/approvals", json={"by": "provincie"}).json()["awaiting"] == \
        ["noorderpoort", "hanze", "techbedrijf"]
    # bad input first: nothing is stored
    r = hanna.post(f"{P}/admissions/acme/rejections", json={"reason": "   "})
    assert r.status_code == 422 and "reason" in r.json()["message"]
    assert hanna.post(f"{P}/admissions/acme/rejections", json={}).status_code == 422
    assert hanna.post(f"{P}/admissions/nobody/rejections", json={"reason": "no"}).status_code == 404
    r = hanna.post(f"{P}/admissions/acme/rejections", json={"by": "techbedrijf", "reason": "no"})
    assert r.status_code == 403
    assert web.api("otto").post(f"{P}/admissions/acme/rejections", json={"reason": "no"}).status_code == 404
    assert coco.post(f"{P}/admissions/acme/rejections", json={"reason": "no"}).status_code == 422  # by: required
    [pending] = coco.get(f"{P}/admissions").json()
    assert pending["status"] == "pending" and pending["rejected_by"] is None

    r = hanna.post(f"{P}/admissions/acme/rejections", json={"reason": "No research capacity for a fifth partner"})
    assert r.status_code == 200, r.text
    assert r.json() == {"ref": REF, "candidate": "acme", "by": "hanze", "status": "rejected",
                        "reason": "No research capacity for a fifth partner"}
    [done] = coco.get(f"{P}/admissions").json()
    assert (done["status"], done["rejected_by"], done["approvals"], done["awaiting"]) == \
        ("rejected", "hanze", ["provincie"], [])
    assert done["decided_at"] is not None
    # final: no more answers, and acme is not a partner
    assert coco.post(f"{P}/admissions/acme/approvals", json={"by": "noorderpoort"}).status_code == 404
    assert "acme" not in [x["key"] for x in coco.get(P).json()["partners"]]
    entry = next(e for e in _history(web) if e["action"] == "admission.reject")
    assert (entry["actor"], entry["on_behalf_of"], entry["reason"]) == \
        ("hanna", None, "No research capacity for a fifth partner")
    # it can be proposed again later, and a coordinator rejects on behalf of a partner
    assert coco.post(f"{P}/admissions", json=ACME).status_code == 201
    r = coco.post(f"{P}/admissions/acme/rejections", json={"by": "provincie", "reason": "budget"})
    assert r.json()["by"] == "provincie"
    assert [e for e in _history(web) if e["action"] == "admission.reject"][-1]["on_behalf_of"] == "provincie"


def test_withdrawing_from_a_goal_before_and_after_the_framework(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    hanna, coco = web.api("hanna"), web.api("coco")
    assert hanna.post(f"{P}/goals/modules/agreements").status_code == 200
    assert hanna.post(f"{P}/goals/modules/withdrawals", json={"comment": ""}).status_code == 422
    assert hanna.post(f"{P}/goals/nope/withdrawals", json={"comment": "x"}).status_code == 404
    refused = hanna.post(f"{P}/goals/modules/withdrawals", json={"partner": "provincie", "comment": "x"})
    assert refused.status_code == 403
    r = hanna.post(f"{P}/goals/modules/withdrawals", json={"comment": "Our board wants fewer modules"})
    assert r.status_code == 200, r.text
    assert r.json() == {"ref": REF, "goal": "modules", "partner": "hanze", "outcome": "withdrawn", "agreed_by": []}
    assert hanna.post(f"{P}/goals/modules/withdrawals", json={"comment": "again"}).status_code == 409
    entry = next(e for e in _history(web) if e["action"] == "goal.withdraw")
    assert entry["reason"] == "Our board wants fewer modules" and entry["actor"] == "hanna"

    # after the framework is agreed a withdrawal is an amendment proposal; the agreement stands
    for goal in ("modules", "lifelong"):
        for partner in SIGNATORIES:
            coco.post(f"{P}/goals/{goal}/agreements", json={"partner": partner})
    for trigger in ("define_goals", "agree_framework"):
        assert coco.post(f"{P}/advance", json={"trigger": trigger}).status_code == 200
    r = hanna.post(f"{P}/goals/modules/withdrawals", json={"comment": "Fewer modules, please"})
    assert r.status_code == 200 and r.json()["outcome"] == "proposed"
    assert "hanze" in r.json()["agreed_by"]
    goal = next(g for g in coco.get(f"{P}/goals").json() if g["key"] == "modules")
    assert goal["withdrawal_proposals"][0]["partner"] == "hanze"
    assert goal["withdrawal_proposals"][0]["comment"] == "Fewer modules, please"
    assert hanna.post(f"{P}/goals/modules/withdrawals", json={"comment": "twice"}).status_code == 409
    assert coco.get(P).json()["stage"] == "framework_agreed"
