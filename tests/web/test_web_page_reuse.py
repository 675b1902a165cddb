"""The partnership page's content is kept per (stamp, day, role): reused only while nothing it shows has changed."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from factories import NOW
from pppflow.config import Settings
from pppflow.web.app import create_app
from webapp import REF, csrf


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def test_two_coordinators_share_the_content_but_not_their_csrf_tokens(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    first, second = web.browser("coco"), web.browser("coco")
    a, b = first.get(f"/partnerships/{REF}").text, second.get(f"/partnerships/{REF}").text
    assert len(web.app.state.partnership_pages._values) == 1  # rendered once, shown twice
    assert _tokens(a) == {csrf(first.get("/"))} and _tokens(b) == {csrf(second.get("/"))}
    assert _tokens(a) != _tokens(b)
    r = second.post(f"/partnerships/{REF}/goals/modules/agree",
                    data={"partner": "hanze", "csrf_token": _tokens(b).pop()})
    assert r.status_code == 200 and "agreed by hanze" in r.text  # the token in the kept content works


def test_each_role_sees_its_own_forms(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    viewer = web.browser("vera").get(f"/partnerships/{REF}").text
    coordinator = web.browser("coco").get(f"/partnerships/{REF}").text
    again = web.browser("vera").get(f"/partnerships/{REF}").text
    assert "Record agreement" in coordinator and "Record agreement" not in viewer
    assert "Record agreement" not in again and "vera" in again and "coco" not in again.split("<main>")[0]


def test_a_change_made_by_another_process_shows_at_once(web, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    page = web.browser("vera")
    assert page.get(f"/partnerships/{REF}").text.count('class="chip yes"') == 0
    other = create_app(Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'web.db'}"),
                       clock=lambda: NOW)  # another worker, or the CLI: nothing in this process is told
    with TestClient(other) as c:
        c.headers["Authorization"] = f"Bearer {web.tokens['coco']}"
        assert c.post(f"/api/v1/partnerships/{REF}/goals/modules/agreements", json={"partner": "hanze"}
                      ).status_code == 200
    other.state.desk.accounts.session_factory.kw["bind"].dispose()
    html = page.get(f"/partnerships/{REF}").text
    assert html.count('class="chip yes"') == 1 and "goal modules agreed by hanze" in html


def test_a_new_day_shows_the_check_ins_as_they_stand_that_day(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        assert web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger}).status_code == 200
    page = web.browser("vera")
    before = page.get(f"/partnerships/{REF}").text
    first_due = web.api("vera").get(f"/api/v1/partnerships/{REF}/checkins").json()["checkins"][0]["date"]
    later = NOW.replace(year=int(first_due[:4]), month=int(first_due[5:7]), day=int(first_due[8:10])) \
        + timedelta(days=30)
    web.app.state.desk = web.desk.replace(clock=lambda: later)
    page = web.browser("vera")  # months later the session has ended (12 hours after login): log in again
    after = page.get(f"/partnerships/{REF}").text
    assert 'class="badge missed"' not in before and 'class="badge missed"' in after


def test_a_form_with_problems_is_answered_with_them_and_they_are_not_kept(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("coco")
    r = c.post(f"/partnerships/{REF}/goals/modules/agree", data={"partner": "", "csrf_token": csrf(c.get("/"))})
    assert r.status_code == 422 and "Choose the partner that agrees." in r.text
    assert "Choose the partner that agrees." not in c.get(f"/partnerships/{REF}").text
