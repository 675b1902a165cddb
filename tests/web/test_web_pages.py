"""The pages: login, CSRF on every form, roles, and the forms with their messages next to the fields."""

from __future__ import annotations

from pathlib import Path

from factories import FIXTURES
from webapp import PASSWORD, REF, SIGNATORIES, close, csrf, make_web


def test_pages_need_a_login_and_the_login_refuses_a_wrong_password(web) -> None:  # type: ignore[no-untyped-def]
    c = web.client()
    r = c.get(f"/partnerships/{REF}?x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/partnerships/{REF}%3Fx%3D1"
    cookie = r.headers["set-cookie"]  # every page visit has a session (anonymous until login) for its forms
    page = c.get("/login")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    r = c.post("/login", data={"username": "vera", "password": "wrong", "csrf_token": csrf(page)})
    assert r.status_code == 401 and "Wrong username or password" in r.text
    r = c.post("/login", data={"username": "vera", "password": PASSWORD, "csrf_token": csrf(page),
                               "next": "//evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert c.get("/").status_code == 200
    r = c.post("/logout", data={"csrf_token": csrf(c.get("/"))}, follow_redirects=False)
    assert r.headers["location"] == "/login"
    assert c.get("/", follow_redirects=False).status_code == 303


def test_a_form_without_its_csrf_token_is_refused(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("coco")
    for token in (None, "forged"):
        data = {"trigger": "terminate", "reason": "x"} | ({"csrf_token": token} if token else {})
        r = c.post(f"/partnerships/{REF}/advance", data=data)
        assert r.status_code == 403 and "CSRF" in r.text
    anonymous = web.client()
    r = anonymous.post("/login", data={"username": "coco", "password": PASSWORD})
    assert r.status_code == 403
    assert web.api("vera").get(f"/api/v1/partnerships/{REF}").json()["stage"] == "draft"


def test_session_cookie_is_secure_when_configured(tmp_path: Path) -> None:
    w = make_web(tmp_path, cookie_secure=True)
    try:
        assert "Secure" in w.client().get("/login").headers["set-cookie"]
    finally:
        close(w)


def test_disabling_a_user_ends_its_session(web) -> None:  # type: ignore[no-untyped-def]
    from pppflow.services.accounts import disable_user

    c = web.browser("vera")
    assert c.get("/").status_code == 200
    disable_user("vera", accounts=web.desk.accounts, now=web.desk.now())
    assert c.get("/", follow_redirects=False).status_code == 303


def test_roles_on_pages(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    vera, coco, admin = web.browser("vera"), web.browser("coco"), web.browser("admin")
    for url in ("/", "/partnerships", f"/partnerships/{REF}", f"/partnerships/{REF}/agreements"):
        assert vera.get(url).status_code == 200, url
    page = vera.get(f"/partnerships/{REF}").text
    assert "Define goals" in page and 'action="/partnerships/' + REF + '/advance"' not in page
    assert vera.get("/import").status_code == 403
    assert coco.get("/admin/users").status_code == 403
    assert admin.get("/admin/users").status_code == 200
    assert 'action="/partnerships/' + REF + '/advance"' in coco.get(f"/partnerships/{REF}").text
    r = vera.post(f"/partnerships/{REF}/advance", data={"trigger": "terminate", "reason": "x",
                                                        "csrf_token": csrf(vera.get("/"))})
    assert r.status_code == 403


def test_a_partner_user_gets_404_for_other_organisations(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    otto, hanna = web.browser("otto"), web.browser("hanna")
    assert otto.get(f"/partnerships/{REF}").status_code == 404
    assert otto.get(f"/partnerships/{REF}/agreements").status_code == 404
    assert REF not in otto.get("/partnerships").text and REF not in otto.get("/").text
    assert hanna.get(f"/partnerships/{REF}").status_code == 200
    assert REF in hanna.get("/partnerships").text


def test_import_form_lists_every_problem_next_to_the_field(web) -> None:  # type: ignore[no-untyped-def]
    c = web.browser("coco")
    token = csrf(c.get("/import"))
    r = c.post("/import", data={"csrf_token": token, "text": "spec: pppflow/v1\nname: X\npartners: []\n"})
    assert r.status_code == 422
    assert "coordinator: is required" in r.text and "partners: must have at least 1 item(s)" in r.text
    r = c.post("/import", data={"csrf_token": token, "text": ""})
    assert r.status_code == 422 and "paste a spec or choose a file" in r.text
    data = (FIXTURES / "smart-industry-pact.yaml").read_bytes()
    r = c.post("/import", data={"csrf_token": token}, files={"file": ("pact.yaml", data, "application/yaml")},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/partnerships/{REF}"
    assert "Imported “Smart Industry Technician Pact”" in c.get(r.headers["location"]).text


def test_partnership_forms_show_reasons_and_problems_where_they_belong(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("coco")
    token = csrf(c.get(f"/partnerships/{REF}"))
    r = c.post(f"/partnerships/{REF}/advance", data={"csrf_token": token, "trigger": "define_goals"})
    assert r.status_code == 409
    assert "“Doelen vaststellen” (define_goals) is blocked in stage “Concept”" in r.text
    assert r.text.count("is not yet agreed by noorderpoort (Noorderpoort College), hanze (Hanze University of Applied "
                        "Sciences), techbedrijf (Noordelijk Techbedrijf B.V.), provincie (Provincie Groningen)") == 2
    r = c.post(f"/partnerships/{REF}/advance", data={"csrf_token": token, "trigger": "terminate"})
    assert r.status_code == 422 and "Give a reason" in r.text
    r = c.post(f"/partnerships/{REF}/goals/modules/agree", data={"csrf_token": token, "partner": ""})
    assert r.status_code == 422 and "Choose the partner that agrees." in r.text
    for goal in ("modules", "lifelong"):
        for partner in SIGNATORIES:
            r = c.post(f"/partnerships/{REF}/goals/{goal}/agree", data={"csrf_token": token, "partner": partner})
            assert r.status_code == 200, r.text
    assert "every partner agreed" in r.text
    r = c.post(f"/partnerships/{REF}/goals/modules/agree", data={"csrf_token": token, "partner": "hanze"})
    assert r.status_code == 409 and "already agreed" in r.text
    r = c.post(f"/partnerships/{REF}/advance", data={"csrf_token": token, "trigger": "define_goals"})
    assert r.status_code == 200 and "Doelen vaststellen: the partnership is now in stage “Doelen vastgesteld”" in r.text
    r = c.post(f"/partnerships/{REF}/obligations/assignments/status", data={"csrf_token": token, "status": "accepted"})
    assert r.status_code == 409 and "effort obligation" in r.text
    r = c.post(f"/partnerships/{REF}/obligations/research/status",
               data={"csrf_token": token, "status": "fulfilled", "evidence": "report"})
    assert r.status_code == 200 and "Obligation research is now fulfilled." in r.text
    history = web.api("vera").get(f"/api/v1/partnerships/{REF}/history").json()
    assert history[-1]["actor"] == "coco" and history[-1]["action"] == "obligation.status"


def test_checkin_form(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger})
    c = web.browser("coco")
    page = c.get(f"/partnerships/{REF}")
    assert "Record a check-in held" in page.text and "January 2027" in page.text
    token = csrf(page)
    r = c.post(f"/partnerships/{REF}/checkins", data={"csrf_token": token, "held_on": "15-01-2027"})
    assert r.status_code == 422 and "Enter a date as YYYY-MM-DD." in r.text
    r = c.post(f"/partnerships/{REF}/checkins", data={"csrf_token": token, "held_on": "2026-11-23",
                                                       "checkin": "2027-01-15", "notes": "kick-off"})
    assert r.status_code == 200 and "Check-in of 15 Jan 2027 recorded as held on 23 Nov 2026." in r.text


def test_the_effort_log_is_shown_on_the_partnership_page(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger})
    progress = {"obligations": [{"key": "research", "activities": ["Literature review", "Company visit"],
                                 "hours": "7.5"}]}
    r = web.api("coco").post(f"/api/v1/partnerships/{REF}/checkins",
                             json={"checkin": "2027-01-15", "held_on": "2026-11-23", "progress": progress})
    assert r.status_code == 201, r.text
    page = web.browser("vera").get(f"/partnerships/{REF}").text
    log = page.split('id="effort-log"', 1)[1].split("</table>", 1)[0]  # in the check-ins card, per check-in
    assert "15 Jan 2027" in log and "research" in log and "Literature review; Company visit" in log and "7.5" in log
    research = page.split('id="obligation-research"', 1)[1].split('class="goal"', 1)[0]  # under the obligation
    assert "Literature review; Company visit" in research and "Total" in research


def test_an_ended_partnership_offers_no_checkin_to_record_and_nothing_upcoming(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger})
    r = web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "terminate", "reason": "merged"})
    assert r.status_code == 200, r.text
    page = web.browser("coco").get(f"/partnerships/{REF}")
    assert "January 2027" in page.text and ">closed<" in page.text
    assert "Record a check-in held" not in page.text and ">upcoming<" not in page.text
    listed = web.api("vera").get(f"/api/v1/partnerships/{REF}/checkins").json()
    assert {c["status"] for c in listed["checkins"]} == {"closed"}


def test_agreements_page_generate_sign_download_verify(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    web.agree_all_goals(REF)
    c = web.browser("lex")
    token = csrf(c.get(f"/partnerships/{REF}/agreements"))
    r = c.post(f"/partnerships/{REF}/agreements/generate", data={"csrf_token": token})
    assert r.status_code == 200 and "Generated version 1 (final)." in r.text
    r = c.post(f"/partnerships/{REF}/agreements/signoffs", data={"csrf_token": token, "partner": "hanze", "name": ""})
    assert r.status_code == 422 and "Enter the signatory&#39;s name." in r.text
    r = c.post(f"/partnerships/{REF}/agreements/signoffs", data={"csrf_token": token, "partner": "hanze",
                                                                  "name": "Someone"})
    assert r.status_code == 409 and "the signatory of hanze is Henk Visser" in r.text
    for partner, name in SIGNATORIES.items():
        r = c.post(f"/partnerships/{REF}/agreements/signoffs", data={"csrf_token": token, "partner": partner,
                                                                      "name": name})
        assert r.status_code == 200, r.text
    assert "every partner has signed" in r.text and "Executed copy (signed)" in r.text
    pdf = c.get(f"/partnerships/{REF}/agreements/1.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    r = c.post(f"/partnerships/{REF}/agreements/verify", data={"csrf_token": token},
               files={"file": ("a.pdf", pdf.content, "application/pdf")})
    assert r.status_code == 200 and "Genuine." in r.text
    r = c.post(f"/partnerships/{REF}/agreements/verify", data={"csrf_token": token},
               files={"file": ("a.pdf", b"%PDF-1.7 other", "application/pdf")})
    assert "Not genuine." in r.text
    assert web.browser("coco").post(f"/partnerships/{REF}/agreements/generate",
                                    data={"csrf_token": token}).status_code == 403


def test_users_page(web) -> None:  # type: ignore[no-untyped-def]
    c = web.browser("admin")
    token = csrf(c.get("/admin/users"))
    r = c.post("/admin/users", data={"csrf_token": token, "username": "x", "role": "partner"})
    assert r.status_code == 422
    assert "2 to 64 lower-case letters" in r.text and "a partner user needs the partner key" in r.text
    r = c.post("/admin/users", data={"csrf_token": token, "username": "nina", "role": "legal"})
    assert r.status_code == 200 and "Password of <strong>nina</strong>" in r.text
    r = c.post("/admin/users", data={"csrf_token": token, "username": "nina", "role": "legal"})
    assert r.status_code == 409 and "already exists" in r.text
    r = c.post("/admin/users/nina/token", data={"csrf_token": token})
    assert "API token of <strong>nina</strong>" in r.text
    r = c.post("/admin/users/admin/disable", data={"csrf_token": token})
    assert r.status_code == 409 and "cannot disable your own account" in r.text
    r = c.post("/admin/users/nina/disable", data={"csrf_token": token})
    assert "Disabled nina" in r.text
    assert c.post("/admin/users/nobody/disable", data={"csrf_token": token}).status_code == 404
