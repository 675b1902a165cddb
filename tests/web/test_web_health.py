"""Health and maturity in the web app and the API: who may answer for whom, bad answers, what is shown."""

from __future__ import annotations

from typing import Any

from webapp import REF, csrf

KEYS = ["shared-vision", "internationalisation", "regular-dialogue", "innovation-in-programmes", "research-capacity",
        "research-methods", "advanced-technologies", "assignment-flow", "contributions-delivered"]


def _answers(level: str) -> list[dict[str, Any]]:
    return [{"key": k, "level": level} for k in KEYS]


def test_a_partner_answers_for_itself_and_the_desk_on_a_partners_behalf(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    url = f"/api/v1/partnerships/{REF}/maturity/rounds"
    r = web.api("hanna").post(url, json={"answers": _answers("advanced")})
    assert r.status_code == 201 and (r.json()["partner"], r.json()["on_behalf_of"]) == ("hanze", None)
    assert web.api("hanna").post(url, json={"partner": "provincie", "answers": _answers("mature")}).status_code == 403
    assert web.api("vera").post(url, json={"partner": "provincie", "answers": _answers("mature")}).status_code == 403
    bad = web.api("coco").post(url, json={"partner": "provincie", "answers": _answers("mature")[:-1]})
    assert bad.status_code == 422
    assert "statement 'contributions-delivered': not answered" in bad.json()["details"]
    r = web.api("coco").post(url, json={"partner": "provincie", "answers": _answers("beginner")})
    assert r.status_code == 201 and r.json()["on_behalf_of"] == "provincie" and r.json()["round"] == 2
    overview = web.api("vera").get(f"/api/v1/partnerships/{REF}/maturity").json()
    assert overview["rounds"] == 2
    assert overview["stations"][0]["partners"]["hanze"]["level"] == "advanced"
    health = web.api("vera").get(f"/api/v1/partnerships/{REF}/health?as_of=2027-01-31").json()
    assert {"score", "band", "components"} <= set(health)
    # advanced (67 %) and beginner (0 %)
    assert next(c for c in health["components"] if c["key"] == "maturity")["value"] == 34
    assert web.api("otto").get(f"/api/v1/partnerships/{REF}/health").status_code == 404


def test_the_pages_show_components_maturity_and_the_form_refuses_bad_answers(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("hanna")
    form = c.get(f"/partnerships/{REF}/maturity")
    assert form.status_code == 200 and "Answering for <strong>hanze</strong>" in form.text
    data = {"csrf_token": csrf(form), "partner": "hanze"} | {f"level:{k}": "developing" for k in KEYS[:-1]}
    r = c.post(f"/partnerships/{REF}/maturity", data=data)
    assert r.status_code == 422 and "statement &#39;contributions-delivered&#39;: no level chosen" in r.text
    data[f"level:{KEYS[-1]}"] = "mature"
    r = c.post(f"/partnerships/{REF}/maturity", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/partnerships/{REF}/health"
    page = c.get(f"/partnerships/{REF}/health")
    assert "Maturity round 1 of hanze recorded." in page.text
    assert "Building partnerships within the wider ecosystem" in page.text and "<svg class=\"bars\"" in page.text
    assert "no maturity round has been recorded" not in page.text
    # a partner user's organisation comes from its account, whatever the form says
    c.post(f"/partnerships/{REF}/maturity", data=data | {"partner": "provincie"}, follow_redirects=False)
    rounds = web.api("vera").get(f"/api/v1/partnerships/{REF}/maturity").json()
    assert rounds["rounds"] == 2 and set(rounds["stations"][0]["partners"]) == {"hanze"}
    coco = web.browser("coco")
    assert coco.get(f"/partnerships/{REF}/maturity?partner=provincie").status_code == 200
    assert web.browser("vera").get(f"/partnerships/{REF}/maturity?partner=provincie").status_code == 403
    assert 'id="health"' in coco.get(f"/partnerships/{REF}").text
    dashboard = coco.get("/")
    assert "Health" in dashboard.text and "/health" in dashboard.text
    portfolio = coco.get("/health")
    assert portfolio.status_code == 200 and REF in portfolio.text


def test_the_annual_report_downloads_for_those_who_may_see_the_partnership(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("vera")
    page = c.get(f"/partnerships/{REF}/health")
    assert "Download the annual report (PDF)" in page.text
    r = c.get(f"/partnerships/{REF}/reports/annual?year=2026&lang=en")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="{REF}-annual-2026-en.pdf"'
    assert r.content.startswith(b"%PDF")
    assert c.get(f"/partnerships/{REF}/reports/annual?year=2031").status_code == 422   # after today
    assert web.browser("otto").get(f"/partnerships/{REF}/reports/annual?year=2026").status_code == 404
