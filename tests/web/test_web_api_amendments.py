"""API parity with the CLI: amend (preview, then confirm), the agreement diff, and the renewal path (advance
`renew` with its reason, then amend the term); the same rules and errors, and bad input stores nothing."""

from __future__ import annotations

from webapp import REF, SIGNATORIES

P = f"/api/v1/partnerships/{REF}"


def exported(web) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return web.api("coco").get(f"{P}/export").json()  # type: ignore[no-any-return]


def history_actions(web) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["action"] for e in web.api("vera").get(f"{P}/history").json()]


def test_preview_shows_the_changes_and_writes_nothing_then_confirm_amends(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    coco = web.api("coco")
    spec = exported(web)
    spec["term"]["months"] = 48
    spec["goals"][0]["statement"] = "Develop and run four smart-industry modules"
    r = coco.post(f"{P}/amendments/preview", json={"spec": spec, "reason": "a longer pact"})
    assert r.status_code == 200, r.text
    preview = r.json()
    assert preview["changed"] == ["goals", "term"]
    term = next(c for c in preview["changes"] if c["section"] == "term")
    assert (term["before"]["months"], term["after"]["months"]) == (36, 48)
    assert exported(web)["term"]["months"] == 36 and "partnership.amend" not in history_actions(web)

    r = coco.post(f"{P}/amendments", json={"spec": spec, "reason": "a longer pact", "based_on": preview["based_on"]})
    assert r.status_code == 200 and r.json() == {"ref": REF, "changed": ["goals", "term"]}
    assert exported(web)["term"]["months"] == 48
    [entry] = [e for e in web.api("vera").get(f"{P}/history").json() if e["action"] == "partnership.amend"]
    assert entry["reason"] == "a longer pact" and entry["actor"] == "coco"
    again = coco.post(f"{P}/amendments", json={"spec": spec, "based_on": preview["based_on"]})
    assert again.status_code == 409 and "changed since the amendment was previewed" in again.json()["message"]


def test_amendments_refuse_what_the_cli_refuses_and_store_nothing(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    coco = web.api("coco")
    spec = exported(web)
    no_partner = {**spec, "partners": [*spec["partners"], {**spec["partners"][0], "key": "acme", "name": "Acme B.V."}]}
    bad = {**spec, "term": {**spec["term"], "months": "many"}}
    for path in ("/amendments/preview", "/amendments"):
        r = coco.post(f"{P}{path}", json={"spec": no_partner})
        assert r.status_code == 409 and "cannot add or remove partners" in r.json()["message"]
        r = coco.post(f"{P}{path}", json={"spec": bad})
        assert r.status_code == 422 and any(d.startswith("term.months") for d in r.json()["details"])
        assert coco.post(f"{P}{path}", json={"spec": spec, "based_on": "x"}).status_code == 422
        assert coco.post(f"{P}{path}", json={}).status_code == 422
        assert web.api("vera").post(f"{P}{path}", json={"spec": spec}).status_code == 403
        assert web.api("hanna").post(f"{P}{path}", json={"spec": spec}).status_code == 403
        assert web.api("otto").post(f"{P}{path}", json={"spec": spec}).status_code == 404
        assert coco.post(f"/api/v1/partnerships/nope{path}", json={"spec": spec}).status_code == 404
    assert coco.post(f"{P}/amendments", json={"spec": spec}).json()["changed"] == []
    assert history_actions(web) == ["partnership.import"]


def test_the_diff_of_two_versions_article_by_article(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    lex, coco = web.api("lex"), web.api("coco")
    assert lex.post(f"{P}/agreements", json={"lang": "nl,en"}).json()["version"] == 1
    spec = exported(web)
    spec["name"] = "Smart Industry Technician Pact North"
    assert coco.post(f"{P}/amendments", json={"spec": spec}).status_code == 200
    assert lex.post(f"{P}/agreements", json={"lang": "nl,en"}).json()["version"] == 2
    r = web.api("vera").get(f"{P}/agreements/2/diff", params={"from": 1})
    assert r.status_code == 200
    added = [line for d in r.json() for line in d["lines"] if line.startswith("+")]
    assert any("Smart Industry Technician Pact North" in line for line in added)
    assert web.api("vera").get(f"{P}/agreements/1/diff", params={"from": 1}).json() == []
    assert web.api("vera").get(f"{P}/agreements/9/diff", params={"from": 1}).status_code == 404
    assert web.api("vera").get(f"{P}/agreements/2/diff").status_code == 422
    assert web.api("vera").get(f"{P}/agreements/2/diff", params={"from": 0}).status_code == 422
    assert web.api("otto").get(f"{P}/agreements/2/diff", params={"from": 1}).status_code == 404


def walk_to_review(web) -> None:  # type: ignore[no-untyped-def]
    coco, lex = web.api("coco"), web.api("lex")
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        assert coco.post(f"{P}/advance", json={"trigger": trigger}).status_code == 200
    assert lex.post(f"{P}/agreements", json={"lang": "nl,en"}).json()["status"] == "final"
    for partner, name in SIGNATORIES.items():
        assert lex.post(f"{P}/agreements/1/signatures", json={"partner": partner, "name": name}).status_code == 200
    assert coco.post(f"{P}/advance", json={"trigger": "start_investment"}).status_code == 200
    for status in ("fulfilled", "accepted"):
        r = coco.post(f"{P}/obligations/modules-delivered/status", json={"status": status, "evidence": "exam board"})
        assert r.status_code == 200, r.text
    for trigger in ("start_maintenance", "review"):
        assert coco.post(f"{P}/advance", json={"trigger": trigger}).status_code == 200, trigger


def test_the_renewal_path_renew_with_its_reason_then_amend_the_term(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    walk_to_review(web)
    coco = web.api("coco")
    r = coco.post(f"{P}/advance", json={"trigger": "renew", "reason": "the partners continue for three years"})
    assert r.status_code == 200 and r.json()["stage"] == "renewal"   # the term extended; awaiting the renewed agreement
    spec = exported(web)
    spec["term"] = {**spec["term"], "start": "2030-01-01", "months": 36}
    preview = coco.post(f"{P}/amendments/preview", json={"spec": spec, "reason": "renewed term"}).json()
    assert preview["changed"] == ["term"]
    assert coco.post(f"{P}/amendments", json={"spec": spec, "reason": "renewed term",
                                               "based_on": preview["based_on"]}).json()["changed"] == ["term"]
    entries = web.api("vera").get(f"{P}/history").json()
    [renew] = [e for e in entries if e["action"] == "transition" and e["after"]["trigger"] == "renew"]
    assert renew["reason"] == "the partners continue for three years" and renew["before"]["stage"] == "under_review"
    [amended] = [e for e in entries if e["action"] == "partnership.amend"]
    assert amended["reason"] == "renewed term" and amended["after"]["changed"] == ["term"]
    assert exported(web)["term"]["start"] == "2030-01-01"
    r = coco.post(f"{P}/advance", json={"trigger": "complete_renewal"})
    assert r.status_code == 409 and r.json()["reasons"][0]["code"] == "agreement_signed"  # sign the renewed one
