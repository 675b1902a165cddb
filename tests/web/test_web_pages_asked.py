"""The partner's "What is asked of you" page and the count in the navigation, built on one read model."""

from __future__ import annotations

from webapp import REF, SIGNATORIES

ACME = {"key": "acme", "name": "Acme Robotics", "kind": "company", "contact": {"name": "Ann de Boer"},
        "signatory": {"name": "Bo Smit"}, "responsibility": "Internships"}


def test_the_page_lists_goals_and_admissions_awaiting_the_partner_and_counts_them(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    hanna = web.browser("hanna")
    page = hanna.get("/asked")
    assert page.status_code == 200
    assert "agree the goal &#39;modules&#39;" in page.text and "agree the goal &#39;lifelong&#39;" in page.text
    assert 'aria-label="2 open">2</span>' in hanna.get("/partnerships").text  # the count in the navigation
    # answered goals leave the list; an admission to answer joins it
    coco = web.api("coco")
    for goal in ("modules", "lifelong"):
        for k in SIGNATORIES:
            agreed = coco.post(f"/api/v1/partnerships/{REF}/goals/{goal}/agreements", json={"partner": k})
            assert agreed.status_code == 200
    assert coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "define_goals"}).status_code == 200
    assert coco.post(f"/api/v1/partnerships/{REF}/admissions", json=ACME).status_code == 201
    page = hanna.get("/asked").text
    assert "agree the goal" not in page
    assert "approve or reject Acme Robotics (acme) as a new partner" in page
    assert f'href="/partnerships/{REF}#admission-acme"' in page
    assert 'aria-label="1 open">1</span>' in page
    # once hanze answered, nothing is asked of it; other users have no such page
    assert web.api("hanna").post(f"/api/v1/partnerships/{REF}/admissions/acme/approvals").status_code == 200
    assert "nav-count" not in hanna.get("/asked").text
    assert web.browser("coco").get("/asked").status_code == 403
    assert "Asked of you" not in web.browser("coco").get("/").text
