"""The REST API for admitting new partners: propose, list, approve by consensus; roles and errors."""

from __future__ import annotations

from typing import Any

from webapp import REF, SIGNATORIES

ACME = {"key": "acme", "name": "Acme Robotics", "kind": "company",
        "contact": {"name": "Ann de Boer", "email": "ann@acme.example"},
        "signatory": {"name": "Bo Smit", "title": "CEO"}, "responsibility": "Offers twelve internships a year"}
URL = f"/api/v1/partnerships/{REF}/admissions"


def _active(web: Any) -> None:
    web.import_example()
    web.agree_all_goals(REF)
    r = web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "define_goals"})
    assert r.status_code == 200, r.text


def test_a_draft_partnership_admits_nobody(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    r = web.api("coco").post(URL, json=ACME)
    assert r.status_code == 409 and r.json()["error"] == "not_allowed"
    assert "active partnership" in r.json()["message"] and "import it again" in r.json()["details"][0]
    assert web.api("vera").get(URL).json() == []


def test_propose_list_and_approve_until_admitted(web) -> None:  # type: ignore[no-untyped-def]
    _active(web)
    coco, vera = web.api("coco"), web.api("vera")
    r = coco.post(URL, json=ACME)
    assert r.status_code == 201, r.text
    a = r.json()
    assert (a["candidate"], a["status"], a["approvals"], a["awaiting"]) == ("acme", "pending", [], list(SIGNATORIES))
    assert a["partner"]["contact"] == {"name": "Ann de Boer", "email": "ann@acme.example", "title": None}
    assert a["partner"]["signatory"]["title"] == "CEO" and a["requested_by"] == "coco"
    assert a["responsibility"] == "Offers twelve internships a year" and a["decided_at"] is None
    again = coco.post(URL, json=ACME)
    assert again.status_code == 409 and "already pending" in again.json()["message"]
    assert vera.get(URL).json() == [a]

    r = coco.post(f"{URL}/acme/approvals", json={"by": "hanze"})
    assert r.status_code == 200, r.text
    assert r.json() == {"ref": REF, "candidate": "acme", "by": "hanze", "admitted": False,
                        "awaiting": ["noorderpoort", "techbedrijf", "provincie"]}
    r = coco.post(f"{URL}/acme/approvals", json={"by": "hanze"})
    assert r.status_code == 409 and "already approved" in r.json()["message"]
    assert coco.post(f"{URL}/acme/approvals", json={"by": "nope"}).status_code == 404
    assert coco.post(f"{URL}/nobody/approvals", json={"by": "hanze"}).status_code == 404
    for by in ("noorderpoort", "techbedrijf"):
        assert coco.post(f"{URL}/acme/approvals", json={"by": by}).json()["admitted"] is False
    r = coco.post(f"{URL}/acme/approvals", json={"by": "provincie"})
    assert r.json()["admitted"] is True and r.json()["awaiting"] == []

    [done] = vera.get(URL).json()
    assert done["status"] == "admitted" and done["awaiting"] == [] and done["decided_at"] is not None
    detail = vera.get(f"/api/v1/partnerships/{REF}").json()
    assert [p["key"] for p in detail["partners"]][-1] == "acme"
    assert {"partner": "acme", "role": "Offers twelve internships a year"} in detail["responsibilities"]
    assert [(x["candidate"], x["status"], x["approvals"]) for x in detail["admissions"]] == [
        ("acme", "admitted", done["approvals"])]
    history = vera.get(f"/api/v1/partnerships/{REF}/history").json()
    assert [e["action"] for e in history if e["action"].startswith("admission.")] == [
        "admission.request", *["admission.approve"] * 4, "admission.admit"]
    assert {e["actor"] for e in history if e["action"].startswith("admission.")} == {"coco"}
    assert coco.post(f"{URL}/acme/approvals", json={"by": "hanze"}).status_code == 404  # no longer pending


def test_invalid_proposals_list_every_problem_by_path(web) -> None:  # type: ignore[no-untyped-def]
    _active(web)
    coco = web.api("coco")
    r = coco.post(URL, json={**ACME, "key": "Acme Robotics", "kind": "alien", "contact": {"email": "no-at"},
                             "colour": "red"})
    assert r.status_code == 422 and r.json()["error"] == "bad_input"
    where = {d.split(":")[0] for d in r.json()["details"]}
    assert {"body.key", "body.kind", "body.contact.name", "body.contact.email", "body.colour"} <= where
    assert coco.post(URL, json={}).status_code == 422
    assert coco.post(URL, content=b"{", headers={"content-type": "application/json"}).status_code == 422
    assert coco.post(f"{URL}/acme/approvals", json={"by": ""}).status_code == 422
    r = coco.post(URL, json={**ACME, "key": "hanze"})
    assert r.status_code == 409 and "already a partner" in r.json()["message"]
    assert coco.post("/api/v1/partnerships/nope/admissions", json=ACME).status_code == 404
    assert web.api("vera").get(URL).json() == []


def test_roles_coordinate_to_change_read_to_list(web) -> None:  # type: ignore[no-untyped-def]
    _active(web)
    for user in ("vera", "lex", "hanna"):
        assert web.api(user).post(URL, json=ACME).status_code == 403, user
    assert web.api("admin").post(URL, json=ACME).status_code == 201
    for user in ("vera", "lex", "hanna"):
        assert web.api(user).get(URL).status_code == 200, user
    for user in ("vera", "lex"):
        assert web.api(user).post(f"{URL}/acme/approvals", json={"by": "hanze"}).status_code == 403, user
    # a partner user answers for its own organisation (this was a 403 before partners could act)
    assert web.api("hanna").post(f"{URL}/acme/approvals", json={"by": "hanze"}).status_code == 200
    assert web.api("otto").get(URL).status_code == 404  # not a party: the partnership does not exist for acme's user
    assert web.client().get(URL).status_code == 401


def test_openapi_describes_the_admissions(web) -> None:  # type: ignore[no-untyped-def]
    paths = web.client().get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/partnerships/{ref}/admissions"]) == {"get", "post"}
    assert set(paths["/api/v1/partnerships/{ref}/admissions/{candidate}/approvals"]) == {"post"}
    assert "201" in paths["/api/v1/partnerships/{ref}/admissions"]["post"]["responses"]
