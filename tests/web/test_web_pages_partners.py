"""The partnership page for partner users: agree a goal, withdraw with a comment, approve or reject a candidate
for their own organisation; the coordinator sees who answered and the rejection with its reason."""

from __future__ import annotations

from typing import Any

from webapp import REF, csrf

P = f"/partnerships/{REF}"
ACME = {"key": "acme", "name": "Acme Robotics", "kind": "company", "contact": {"name": "Ann de Boer"},
        "signatory": {"name": "Bo Smit"}, "responsibility": "Internships"}


def test_a_partner_user_agrees_and_withdraws_for_its_own_organisation(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    hanna = web.browser("hanna")
    page = hanna.get(P)
    assert "Agree for hanze" in page.text and "Record agreement" not in page.text  # no coordinator form
    r = hanna.post(f"{P}/goals/modules/agree", data={"csrf_token": csrf(page)}, follow_redirects=True)
    assert r.status_code == 200 and "Goal modules: agreed by hanze" in r.text
    assert "Withdraw agreement" in r.text
    # acting for another organisation is refused and changes nothing
    r = hanna.post(f"{P}/goals/lifelong/agree", data={"csrf_token": csrf(r), "partner": "provincie"})
    assert r.status_code == 403
    page = hanna.get(P)
    r = hanna.post(f"{P}/goals/modules/withdraw", data={"csrf_token": csrf(page), "comment": " "})
    assert r.status_code == 422 and "comment: give a comment" in r.text
    r = hanna.post(f"{P}/goals/modules/withdraw", data={"csrf_token": csrf(page), "comment": "Too many modules"},
                   follow_redirects=True)
    assert "Goal modules: hanze withdrew its agreement." in r.text
    goals = {g["key"]: g["agreed_by"] for g in web.api("vera").get(f"/api/v1/partnerships/{REF}/goals").json()}
    assert goals == {"modules": [], "lifelong": []}
    # the coordinator's page shows the history as the partner itself, not on behalf of
    coco_page = web.browser("coco").get(P).text
    assert "goal modules: hanze withdrew its agreement" in coco_page and "on behalf of hanze" not in coco_page


def _active_with_candidate(web: Any) -> None:
    web.import_example()
    web.agree_all_goals(REF)
    coco = web.api("coco")
    assert coco.post(f"/api/v1{P}/advance", json={"trigger": "define_goals"}).status_code == 200
    assert coco.post(f"/api/v1{P}/admissions", json=ACME).status_code == 201


def test_a_partner_user_rejects_a_candidate_with_a_reason_and_the_coordinator_sees_it(web) -> None:  # type: ignore[no-untyped-def]
    _active_with_candidate(web)
    assert web.api("coco").post(f"/api/v1{P}/admissions/acme/approvals", json={"by": "provincie"}).status_code == 200
    hanna = web.browser("hanna")
    page = hanna.get(P)
    assert "Approve for hanze" in page.text and "Reject for hanze" in page.text
    assert "Approve for noorderpoort" not in page.text  # only its own organisation
    r = hanna.post(f"{P}/admissions/acme/rejections", data={"csrf_token": csrf(page), "reason": ""})
    assert r.status_code == 422 and "reason: give a reason" in r.text
    assert web.api("coco").get(f"/api/v1{P}/admissions").json()[0]["status"] == "pending"
    r = hanna.post(f"{P}/admissions/acme/rejections", data={"csrf_token": csrf(page), "reason": "No lab space left"},
                   follow_redirects=True)
    assert r.status_code == 200 and "hanze rejected acme" in r.text
    coco_page = web.browser("coco").get(P).text
    assert "Rejected: Acme Robotics (acme) by hanze" in coco_page and "No lab space left" in coco_page
    assert "had approved: provincie" in coco_page
    assert "Approve for" not in coco_page  # final: nothing left to answer


def test_the_coordinator_records_a_rejection_on_behalf_of_a_partner(web) -> None:  # type: ignore[no-untyped-def]
    _active_with_candidate(web)
    coco = web.browser("coco")
    page = coco.get(P)
    r = coco.post(f"{P}/admissions/acme/rejections", data={"csrf_token": csrf(page), "reason": "x"})
    assert r.status_code == 422 and "Choose the partner that rejects." in r.text
    r = coco.post(f"{P}/admissions/acme/rejections", data={"csrf_token": csrf(page), "by": "techbedrijf",
                                                           "reason": "Competitor"}, follow_redirects=True)
    assert "techbedrijf rejected acme" in r.text
    assert "coco on behalf of techbedrijf" in r.text.replace('<span class="on-behalf">', "").replace("</span>", "")
