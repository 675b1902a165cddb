"""Invitations on the web: the invite forms (admin, coordinator), the link's page, and its dead ends."""

from __future__ import annotations

import re
from datetime import timedelta

from factories import NOW
from pppflow.adapters.mail import FakeMailer
from webapp import csrf


def with_mailer(web, clock=None) -> FakeMailer:  # type: ignore[no-untyped-def]
    mailer = FakeMailer()
    web.app.state.desk = web.desk.replace(mailer=mailer, base_url="https://ppp.example.org",
                                             **({"clock": clock} if clock else {}))
    return mailer


def link_in(mail) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"https://ppp\.example\.org(/invitations/\S+)", mail.get_body(("plain",)).get_content())
    assert found
    return found.group(1)


def invite(web, who: str = "admin", c=None, **form: str):  # type: ignore[no-untyped-def]
    c = c or web.browser(who)
    page = c.get("/admin/users" if who == "admin" else "/admin/invitations")
    data = {"email": "henk@hanze.example", "name": "Henk Visser", "role": "partner",
            "partner_organisation": "hanze", "expires_hours": "72", "csrf_token": csrf(page)} | form
    return c.post("/admin/invitations", data=data, follow_redirects=False)


def test_the_admin_invites_and_the_link_sets_the_password_and_logs_in(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()  # hanze is a party, the partnership's language is Dutch
    mailer = with_mailer(web)
    admin = web.browser("admin")
    r = invite(web, c=admin)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users"
    assert len(mailer.sent) == 1 and mailer.sent[0]["Content-Language"] == "nl"
    users = admin.get("/admin/users").text
    assert "henk@hanze.example" in users and "Invited henk@hanze.example" in users
    path = link_in(mailer.sent[0])
    guest = web.client()
    page = guest.get(path)
    assert page.status_code == 200 and "henk@hanze.example" in page.text and "Henk Visser" in page.text
    r = guest.post(path, data={"password": "a fine password", "repeat": "a fine password",
                               "csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    home = guest.get("/")
    assert home.status_code == 200 and "henk@hanze.example · partner (hanze)" in home.text
    again = web.client().get(path)
    assert again.status_code == 410 and "used already" in again.text


def test_a_coordinator_invites_partners_only(web) -> None:  # type: ignore[no-untyped-def]
    mailer = with_mailer(web)
    form = web.browser("coco").get("/admin/invitations")
    assert form.status_code == 200 and '<option value="admin"' not in form.text
    r = invite(web, "coco", email="boss@x.example", role="admin", partner_organisation="")
    assert r.status_code == 403 and "may not invite" in r.text
    assert invite(web, "coco").headers["location"] == "/admin/invitations"
    assert len(mailer.sent) == 1
    assert web.browser("vera").get("/admin/invitations").status_code == 403


def test_bad_input_is_shown_by_the_field_and_nothing_is_stored(web) -> None:  # type: ignore[no-untyped-def]
    mailer = with_mailer(web)
    for form, field_text in (({"email": "nope"}, "e-mail address"), ({"partner_organisation": ""}, "partner key"),
                             ({"expires_hours": "soon"}, "whole number")):
        r = invite(web, **form)
        assert r.status_code == 422 and field_text in r.text
    assert invite(web).status_code == 303
    r = invite(web)
    assert r.status_code == 409 and "already exists" in r.text
    assert len(mailer.sent) == 1
    assert [u.username for u in web.desk.accounts.list()].count("henk@hanze.example") == 1


def test_an_expired_or_unknown_link_is_a_clear_page_and_changes_nothing(web) -> None:  # type: ignore[no-untyped-def]
    now = [NOW]
    mailer = with_mailer(web, clock=lambda: now[0])
    invite(web, expires_hours="1")
    path = link_in(mailer.sent[0])
    guest = web.client()
    page = guest.get(path)
    now[0] = NOW + timedelta(hours=1)
    r = guest.post(path, data={"password": "a fine password", "repeat": "a fine password",
                               "csrf_token": csrf(page)})
    assert r.status_code == 410 and "expired" in r.text
    assert web.desk.accounts.find("henk@hanze.example")[0].disabled
    unknown = guest.get("/invitations/not-a-real-token")
    assert unknown.status_code == 404 and "not known" in unknown.text


def test_two_different_passwords_leave_the_link_usable(web) -> None:  # type: ignore[no-untyped-def]
    mailer = with_mailer(web)
    invite(web)
    path = link_in(mailer.sent[0])
    guest = web.client()
    page = guest.get(path)
    r = guest.post(path, data={"password": "a fine password", "repeat": "another one!!", "csrf_token": csrf(page)})
    assert r.status_code == 422 and "differ" in r.text
    r = guest.post(path, data={"password": "short", "repeat": "short", "csrf_token": csrf(page)})
    assert r.status_code == 422 and "at least 10" in r.text
    assert guest.get(path).status_code == 200


def test_the_api_invites_as_the_cli_does(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    mailer = with_mailer(web)
    body = {"email": "Henk@Hanze.example", "partner_organisation": "hanze", "name": "Henk Visser"}
    for who, payload, status in (("coco", {**body, "email": "x"}, 422), ("coco", {**body, "expires_hours": 0}, 422),
                                 ("coco", {"email": "a@b.example"}, 422), ("coco", {**body, "extra": 1}, 422),
                                 ("coco", {**body, "role": "admin", "partner_organisation": None}, 403),
                                 ("vera", body, 403), ("hanna", body, 403)):
        assert web.api(who).post("/api/v1/invitations", json=payload).status_code == status, (who, payload)
    assert mailer.sent == [] and [u for u in web.desk.accounts.list() if "@" in u.username] == []
    r = web.api("coco").post("/api/v1/invitations", json=body)
    assert r.status_code == 201, r.text
    assert {k: r.json()[k] for k in ("username", "role", "language", "mail")} == \
        {"username": "henk@hanze.example", "role": "partner", "language": "nl", "mail": "sent"}
    assert "/invitations/" not in r.text and len(mailer.sent) == 1
    assert web.api("coco").post("/api/v1/invitations", json=body).status_code == 409
