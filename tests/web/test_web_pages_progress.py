"""The partnership page's forms for new partners and for check-ins with progress per obligation."""

from __future__ import annotations

import html
from typing import Any

from webapp import REF, SIGNATORIES, csrf

ADMIT = f"/partnerships/{REF}/admissions"
ACME = {"key": "acme", "name": "Acme Robotics", "kind": "company", "contact_name": "Ann de Boer",
        "contact_email": "ann@acme.example", "signatory_name": "Bo Smit", "signatory_title": "CEO",
        "responsibility": "Offers twelve internships a year"}


def field(page: str, name: str) -> str:
    """The markup of the form field named `name`: its label, control and messages, up to the next field."""
    anchor = f'id="admission-{name}"'  # the admission form's own control (the ledger form has a `kind` too)
    at = page.index(anchor) if anchor in page else page.index(f'name="{name}"')
    start = page.rindex('<div class="field', 0, at)
    end = page.find('<div class="field', at)
    return page[start:end if end > 0 else at + 2000]


def invalid(page: str, name: str, message: str) -> bool:
    """Whether the field is marked invalid and shows `message` next to it."""
    block = field(page, name)
    return block.startswith('<div class="field invalid"') and html.escape(message) in block


def _advance(web: Any, *triggers: str) -> None:
    web.agree_all_goals(REF)
    for trigger in triggers:
        r = web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger})
        assert r.status_code == 200, r.text


def test_new_partners_are_proposed_and_approved_on_the_page(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    c = web.browser("coco")
    page = c.get(f"/partnerships/{REF}").text
    assert "New partners" in page and "Partners are admitted once the partnership is under way" in page
    assert f'action="{ADMIT}"' not in page  # in draft, the spec is changed and imported again
    _advance(web, "define_goals")
    page = c.get(f"/partnerships/{REF}").text
    assert f'action="{ADMIT}"' in page and '<option value="knowledge_institution" >Knowledge institution' in page
    token = csrf(c.get(f"/partnerships/{REF}"))

    bad = {**ACME, "key": "Acme Robotics", "name": " ", "kind": "", "contact_email": "no-at", "signatory_name": ""}
    r = c.post(ADMIT, data={"csrf_token": token, **bad})
    assert r.status_code == 422
    assert invalid(r.text, "key", "has an invalid form (lower-case letters, digits, - and _)")
    assert invalid(r.text, "name", "is required") and invalid(r.text, "kind", "is required")
    assert invalid(r.text, "contact_email", "has an invalid form (an e-mail address)")
    assert invalid(r.text, "signatory_name", "is required") and not invalid(r.text, "contact_name", "")
    assert 'value="Acme Robotics"' in field(r.text, "key")  # what was typed stays
    assert c.post(ADMIT, data=ACME).status_code == 403  # no CSRF token
    assert web.browser("vera").post(ADMIT, data={"csrf_token": token, **ACME}).status_code == 403

    r = c.post(ADMIT, data={"csrf_token": token, **ACME}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/partnerships/{REF}"
    page = c.get(r.headers["location"]).text
    assert "Proposed Acme Robotics (acme) as a new partner" in page and "Offers twelve internships a year" in page
    assert all(f"Approve for {k}" in page for k in SIGNATORIES)
    assert "Approve for" not in web.browser("vera").get(f"/partnerships/{REF}").text
    r = c.post(ADMIT, data={"csrf_token": token, **ACME})
    assert r.status_code == 409 and "already pending" in r.text

    approve = f"{ADMIT}/acme/approvals"
    r = c.post(approve, data={"csrf_token": token, "by": "hanze"})
    assert r.status_code == 200 and "hanze approved acme; awaiting noorderpoort, techbedrijf, provincie." in r.text
    assert "Approve for hanze" not in r.text and "Approve for provincie" in r.text
    r = c.post(approve, data={"csrf_token": token, "by": "hanze"})
    assert r.status_code == 409 and "already approved" in r.text.split('id="admission-acme"')[1].split("</section>")[0]
    assert web.browser("vera").post(approve, data={"csrf_token": token, "by": "provincie"}).status_code == 403
    for by in ("noorderpoort", "techbedrijf", "provincie"):
        r = c.post(approve, data={"csrf_token": token, "by": by})
    assert "acme was approved by every partner and is now a partner." in r.text
    assert "No new partner awaiting approval." in r.text and "Admitted: Acme Robotics" in r.text
    assert "Acme Robotics</strong> <span class=\"muted small mono\">acme</span>" in r.text.split('id="partners"')[1]
    r = c.post(ADMIT, data={"csrf_token": token, **ACME})
    assert r.status_code == 409 and "already a partner" in r.text
    history = [e["action"] for e in web.api("vera").get(f"/api/v1/partnerships/{REF}/history").json()]
    assert history[-1] == "admission.admit" and history.count("admission.approve") == 4


def test_a_checkin_reports_effort_and_results_per_obligation(web) -> None:  # type: ignore[no-untyped-def]
    web.import_example()
    _advance(web, "define_goals", "agree_framework")
    c = web.browser("coco")
    page = c.get(f"/partnerships/{REF}").text
    for name in ("progress:activities:research", "progress:hours:research", "progress:hours:assignments",
                 "progress:status:modules-delivered", "progress:evidence:modules-delivered"):
        assert f'name="{name}"' in page, name
    assert '<option value="fulfilled" >fulfilled' in field(page, "progress:status:modules-delivered")
    assert 'value="accepted"' not in field(page, "progress:status:modules-delivered")  # not from pending
    token = csrf(c.get(f"/partnerships/{REF}"))
    form = {"csrf_token": token, "held_on": "2026-11-23", "checkin": "2027-01-15", "notes": "kick-off",
            "progress:activities:research": "Literature review\n\nTwo company visits",
            "progress:hours:research": "-3", "progress:hours:assignments": "",
            "progress:activities:assignments": "", "progress:status:modules-delivered": "fulfilled",
            "progress:evidence:modules-delivered": "Approved by the exam board"}
    r = c.post(f"/partnerships/{REF}/checkins", data=form)
    assert r.status_code == 422 and "Nothing was saved" in r.text
    assert invalid(r.text, "progress:hours:research", "must be at least 0")
    assert not invalid(r.text, "progress:hours:assignments", "")  # empty: nothing reported, nothing wrong
    assert "Literature review\n\nTwo company visits</textarea>" in r.text  # what was typed stays
    assert '<option value="fulfilled" selected>' in field(r.text, "progress:status:modules-delivered")
    r = c.post(f"/partnerships/{REF}/checkins", data={**form, "progress:hours:research": "",
                                                       "progress:status:modules-delivered": "accepted"})
    assert r.status_code == 422 and invalid(r.text, "progress:hours:research", "is required for an effort obligation")
    assert invalid(r.text, "progress:status:modules-delivered",
                   "cannot go from pending to accepted (allowed: fulfilled, waived, breached)")
    r = c.post(f"/partnerships/{REF}/checkins", data={**form, "progress:hours:research": "lots"})
    assert r.status_code == 422
    assert invalid(r.text, "progress:hours:research", "must be a number (such as 1200 or 1200.50)")
    vera = web.api("vera")
    log = vera.get(f"/api/v1/partnerships/{REF}/checkins").json()
    assert log["checkins"][0]["status"] == "upcoming" and log["effort_log"] == []  # all or nothing

    r = c.post(f"/partnerships/{REF}/checkins", data={**form, "progress:hours:research": "12.5",
                                                       "progress:status:modules-delivered": "fulfilled"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/partnerships/{REF}"
    page = c.get(r.headers["location"]).text
    assert ("Check-in of 15 Jan 2027 recorded as held on 23 Nov 2026. Effort logged: research 12.5 h. "
            "Results: modules-delivered fulfilled.") in page
    [o] = [x for x in vera.get(f"/api/v1/partnerships/{REF}/obligations").json() if x["key"] == "modules-delivered"]
    assert (o["status"], o["evidence"]) == ("fulfilled", "Approved by the exam board")
    log = vera.get(f"/api/v1/partnerships/{REF}/checkins").json()
    assert log["checkins"][0]["status"] == "held" and log["effort_log"] == [
        {"checkin": "2027-01-15", "obligation": "research", "activities": ["Literature review", "Two company visits"],
         "hours": "12.5"}]
    history = page.split('id="history"')[1]
    assert "obligation modules-delivered: pending → fulfilled" in history
    assert "check-in of 2027-01-15 held on 2026-11-23; effort: research 12.5 h; results: modules-delivered fulfilled" \
        in history
    assert '<option value="accepted" >accepted' in field(page, "progress:status:modules-delivered")
