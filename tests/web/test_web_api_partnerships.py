"""The REST API for partnerships: authentication, roles, import, list, read, export, advance, history."""

from __future__ import annotations

import json

import yaml

from factories import FIXTURES, example_raw
from webapp import REF


def test_openapi_describes_every_resource(web) -> None:  # type: ignore[no-untyped-def]
    r = web.client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in ("/api/v1/partnerships", "/api/v1/partnerships/upload", "/api/v1/partnerships/{ref}",
                 "/api/v1/partnerships/{ref}/export", "/api/v1/partnerships/{ref}/advance",
                 "/api/v1/partnerships/{ref}/goals/{goal}/agreements", "/api/v1/partnerships/{ref}/obligations",
                 "/api/v1/partnerships/{ref}/contributions", "/api/v1/partnerships/{ref}/checkins",
                 "/api/v1/checkins/due", "/api/v1/partnerships/{ref}/agreements",
                 "/api/v1/partnerships/{ref}/agreements/{number}/pdf", "/api/v1/agreements/verify",
                 "/api/v1/partnerships/{ref}/history", "/api/v1/audit/verify", "/api/v1/outbox"):
        assert path in paths, path
    assert not any(p.startswith(("/login", "/admin")) for p in paths)
    assert "HTTPBearer" in r.json()["components"]["securitySchemes"]


def test_no_valid_token_is_401_as_json(web) -> None:  # type: ignore[no-untyped-def]
    anonymous = web.client()
    r = anonymous.get("/api/v1/partnerships")
    assert r.status_code == 401 and r.json()["error"] == "not_authenticated"
    assert r.headers["www-authenticate"] == "Bearer"
    for header in ("Bearer ppp_not-a-token", "Basic dmVyYTpwdw==", "Bearer"):
        r = anonymous.get("/api/v1/partnerships", headers={"Authorization": header})
        assert r.status_code == 401, header
    assert web.api("vera").get("/api/v1/me").json()["role"] == "viewer"


def test_a_disabled_users_token_stops_working(web) -> None:  # type: ignore[no-untyped-def]
    from pppflow.services.accounts import disable_user

    assert web.api("vera").get("/api/v1/partnerships").status_code == 200
    disable_user("vera", accounts=web.desk.accounts, now=web.desk.now())
    assert web.api("vera").get("/api/v1/partnerships").status_code == 401


def test_import_json_list_filter_read_and_export_round_trip(web) -> None:  # type: ignore[no-untyped-def]
    assert web.import_example() == REF
    refused = web.api("coco").post("/api/v1/partnerships", content=json.dumps(example_raw(), default=str),
                                   headers={"content-type": "application/json"})
    assert refused.status_code == 409 and refused.json()["existing_ref"] == REF
    assert REF in refused.json()["message"] and "as_new" in " ".join(refused.json()["details"])
    assert "--as-new" not in refused.text
    second = web.import_example()  # with as_new=true
    assert second == f"{REF}-2"
    vera = web.api("vera")
    page = vera.get("/api/v1/partnerships").json()
    assert page["total"] == 2 and [x["ref"] for x in page["items"]] == [REF, second]
    assert page["items"][0]["partners"] == 4
    assert vera.get("/api/v1/partnerships", params={"stage": "investment"}).json()["total"] == 0
    assert vera.get("/api/v1/partnerships", params={"workflow": "ppp-lifecycle", "stage": "draft"}).json()["total"] == 2
    assert vera.get("/api/v1/partnerships", params={"q": "TECHNICIAN pact-2"}).json()["total"] == 0
    assert vera.get("/api/v1/partnerships", params={"q": "technician"}).json()["total"] == 2
    assert vera.get("/api/v1/partnerships", params={"q": "100%_"}).json()["total"] == 0
    assert vera.get("/api/v1/partnerships", params={"limit": 1, "offset": 1}).json()["items"][0]["ref"] == second
    detail = vera.get(f"/api/v1/partnerships/{REF}").json()
    assert detail["stage"] == "draft" and len(detail["partners"]) == 4
    assert {t["trigger"]: t["allowed"] for t in detail["triggers"]} == {"define_goals": False, "terminate": True}
    exported = vera.get(f"/api/v1/partnerships/{REF}/export", params={"format": "yaml"})
    assert exported.headers["content-type"].startswith("application/yaml")
    assert yaml.safe_load(exported.text)["name"] == "Smart Industry Technician Pact"
    as_json = vera.get(f"/api/v1/partnerships/{REF}/export").json()
    assert as_json["term"]["start"] == "2027-01-01"
    assert web.import_example(as_json) == f"{REF}-3"  # an export imports again


def test_import_an_uploaded_yaml_file(web) -> None:  # type: ignore[no-untyped-def]
    data = (FIXTURES / "smart-industry-pact.yaml").read_bytes()
    r = web.api("coco").post("/api/v1/partnerships/upload", files={"file": ("pact.yaml", data, "application/yaml")})
    assert r.status_code == 201 and r.json()["ref"] == REF
    r = web.api("coco").post("/api/v1/partnerships/upload", files={"file": ("pact.yaml", b"name: [unclosed", "text/x")})
    assert r.status_code == 422 and "not valid YAML" in r.json()["message"]
    r = web.api("coco").post("/api/v1/partnerships/upload", files={"file": ("pact.json", b"", "application/json")})
    assert r.status_code == 422
    assert web.api("vera").post("/api/v1/partnerships/upload", files={"file": ("p.yaml", data)}).status_code == 403


def test_bad_input_is_a_422_json_error_never_a_5xx(web) -> None:  # type: ignore[no-untyped-def]
    coco = web.api("coco")
    for body in (b"{not json", b"[1, 2]", b'"a string"', b"", b"\xff\xfe"):
        r = coco.post("/api/v1/partnerships", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422, body
        assert set(r.json()) == {"error", "message", "details"}
    raw = example_raw()
    raw["obligations"][1]["type"] = "promise"
    raw["obligations"][0]["owner"] = "acme"
    r = coco.post("/api/v1/partnerships", content=json.dumps(raw, default=str),
                  headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "spec_invalid"
    assert "obligations[1].type: must be one of result, effort" in r.json()["details"]
    assert "obligations[0].owner: unknown partner 'acme'" in r.json()["details"]
    assert coco.get("/api/v1/partnerships").json()["total"] == 0
    web.import_example()
    r = coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "define_goals", "extra": 1})
    assert r.status_code == 422 and r.json()["details"][0].startswith("body.extra")
    assert coco.get("/api/v1/partnerships", params={"limit": "many"}).status_code == 422
    assert coco.get("/api/v1/nowhere").json()["error"] == "not_found"


def test_viewer_legal_and_partner_users_cannot_advance(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    for user in ("vera", "lex", "hanna"):
        r = web.api(user).post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "terminate", "reason": "x"})
        assert r.status_code == 403, user
        assert r.json()["error"] == "forbidden"
    assert web.api("vera").get(f"/api/v1/partnerships/{REF}").json()["stage"] == "draft"


def test_a_blocked_trigger_is_409_with_every_reason_then_goals_then_advance(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    coco = web.api("coco")
    r = coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "define_goals"})
    assert r.status_code == 409
    assert r.json()["error"] == "transition_blocked"
    everyone = ("noorderpoort (Noorderpoort College), hanze (Hanze University of Applied Sciences), "
                "techbedrijf (Noordelijk Techbedrijf B.V.), provincie (Provincie Groningen)")
    assert r.json()["details"] == [f"goal 'modules' is not yet agreed by {everyone}",
                                   f"goal 'lifelong' is not yet agreed by {everyone}"]
    r = coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "start_maintenance"})
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition"
    r = coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "fly"})
    assert r.status_code == 409 and r.json()["error"] == "unknown_trigger"
    r = coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "terminate"})
    assert r.status_code == 409 and "needs a reason" in r.json()["details"][0]
    web.agree_all_goals(REF)
    r = coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "define_goals"})
    assert r.status_code == 200 and r.json() == {"ref": REF, "trigger": "define_goals", "stage": "goals_defined"}
    history = web.api("vera").get(f"/api/v1/partnerships/{REF}/history").json()
    assert {e["actor"] for e in history} == {"coco"}
    assert history[-1]["action"] == "transition" and history[-1]["after"]["stage"] == "goals_defined"
    assert web.api("vera").get("/api/v1/audit/verify").json() == {"ok": True, "entries": len(history),
                                                                   "broken_at": None, "problem": None,
                                                                   "checkpoints": 0}


def test_a_partner_user_sees_only_its_organisations_partnerships(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    other = example_raw()
    other["name"] = "Acme Pact"
    other["partners"][1]["key"] = "acme"
    for section in ("goals",):
        for g in other[section]:
            g["owners"] = [o if o != "hanze" else "acme" for o in g["owners"]]
    other["responsibilities"][1]["partner"] = "acme"
    other["obligations"][2]["owner"] = "acme"
    acme = web.import_example(other)
    hanna, otto = web.api("hanna"), web.api("otto")
    assert [x["ref"] for x in hanna.get("/api/v1/partnerships").json()["items"]] == [REF]
    assert [x["ref"] for x in otto.get("/api/v1/partnerships").json()["items"]] == [acme]
    for path in ("", "/history", "/export", "/agreements", "/contributions", "/checkins", "/goals"):
        assert hanna.get(f"/api/v1/partnerships/{acme}{path}").status_code == 404, path
        assert otto.get(f"/api/v1/partnerships/{REF}{path}").status_code == 404, path
        assert hanna.get(f"/api/v1/partnerships/{REF}{path}").status_code == 200, path
    r = otto.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "define_goals"})
    assert r.status_code == 404 and r.json()["error"] == "partnership_not_found"
    assert hanna.get(f"/api/v1/partnerships/{REF}/agreements/1/pdf").status_code == 404


def test_goals_and_obligations(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    coco, vera = web.api("coco"), web.api("vera")
    r = coco.post(f"/api/v1/partnerships/{REF}/goals/modules/agreements", json={"partner": "hanze"})
    assert r.json()["agreed_by"] == ["hanze"] and r.json()["awaiting"] == ["noorderpoort", "techbedrijf", "provincie"]
    r = coco.post(f"/api/v1/partnerships/{REF}/goals/modules/agreements", json={"partner": "hanze"})
    assert r.status_code == 409 and "already agreed" in r.json()["message"]
    assert coco.post(f"/api/v1/partnerships/{REF}/goals/world-peace/agreements",
                     json={"partner": "hanze"}).status_code == 404
    assert vera.post(f"/api/v1/partnerships/{REF}/goals/modules/agreements",
                     json={"partner": "hanze"}).status_code == 403
    assert [g["key"] for g in vera.get(f"/api/v1/partnerships/{REF}/goals").json()] == ["modules", "lifelong"]
    url = f"/api/v1/partnerships/{REF}/obligations"
    assert {o["key"]: o["type"] for o in vera.get(url).json()} == {
        "modules-delivered": "result", "assignments": "effort", "research": "effort"}
    r = coco.post(f"{url}/modules-delivered/status", json={"status": "fulfilled", "evidence": "taught"})
    assert r.status_code == 200 and r.json()["status"] == "fulfilled" and r.json()["evidence"] == "taught"
    r = coco.post(f"{url}/assignments/status", json={"status": "accepted"})
    assert r.status_code == 409 and "effort obligation" in r.json()["message"]
    assert coco.post(f"{url}/modules-delivered/status", json={"status": "done"}).status_code == 422
    assert coco.post(f"{url}/nope/status", json={"status": "waived"}).status_code == 404
    assert web.api("lex").post(f"{url}/research/status", json={"status": "waived"}).status_code == 403


def test_contributions_with_totals_per_partner_and_phase(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    r = web.api("vera").get(f"/api/v1/partnerships/{REF}/contributions").json()
    assert len(r["contributions"]) == 4
    by_partner = {x["partner"]: x for x in r["by_partner"]}
    assert [(t["unit"], t["value"]) for t in by_partner["techbedrijf"]["by_phase"]["investment"]] == [("EUR", "60000")]
    assert [t["unit"] for t in by_partner["techbedrijf"]["totals"]] == ["EUR", "hours per year"]
    assert {p["phase"]: [t["text"] for t in p["totals"]] for p in r["by_phase"]} == {
        "investment": ["€210,000.00", "1,200 hours"], "maintenance": ["200 hours per year"]}



def test_a_nul_character_is_bad_input_on_every_database(tmp_path, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL cannot hold NUL in text; whatever the database, the answer is a 4xx in JSON and nothing is saved."""
    import json as _json

    from factories import example_raw
    from webapp import close, make_web

    web = make_web(tmp_path, database_url=database_url)
    try:
        api = web.api("coco")
        raw = example_raw()
        raw["name"] = "Smart\x00Industry"
        r = api.post("/api/v1/partnerships", content=_json.dumps(raw, default=str),
                     headers={"content-type": "application/json"})
        assert r.status_code == 422 and r.json()["details"] == ["name: must not contain a NUL character"]
        for path in ("/api/v1/partnerships/a%00b", "/api/v1/partnerships?q=a%00b"):
            r = api.get(path)
            assert r.status_code == 422 and r.json()["error"] == "bad_input", r.text
        assert api.get("/api/v1/partnerships").json()["total"] == 0
    finally:
        close(web)
