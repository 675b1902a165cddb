"""Messages in the user's words: a corpus of bad requests and bad specs through the API and the pages; no Python
repr, no pydantic default English, no CLI command or flag in what the web app says."""

from __future__ import annotations

import json
import re
from typing import Any

from factories import example_raw
from users_words import not_in_users_words
from webapp import REF, csrf

FORBIDDEN = [
    r"datetime\.date\(", r"Decimal\(", r"<unicode string>", r"Input should be", r"Field required",
    r"Traceback", r"\bpppflow (partnership|agreement|obligation|user|partner|checkin)\b", r"(?<![\w-])--[a-z]",
    r"is blocked in stage '", r"now in stage [a-z_]+\b",
]


def clean(text: str) -> list[str]:
    """The forbidden patterns found in a response."""
    return [p for p in FORBIDDEN if re.search(p, text)]


def test_bad_requests_answer_in_the_users_words(web: Any) -> None:
    web.import_example()
    coco = web.api("coco")
    answers = [
        coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "define_goals"}),     # blocked
        coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "start_maintenance"}),  # not from here
        coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "fly"}),              # unknown
        coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "terminate"}),        # needs a reason
        coco.post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": "continue", "months": 12}),
        coco.post("/api/v1/partnerships", content=json.dumps(example_raw(), default=str),       # a repeat
                  headers={"content-type": "application/json"}),
        coco.post(f"/api/v1/partnerships/{REF}/checkins", json={}),                              # nothing planned
        coco.get("/api/v1/partnerships/no-such-pact"),
        web.api("lex").post(f"/api/v1/partnerships/{REF}/agreements/1/signatures",
                            json={"partner": "hanze", "name": "Henk Visser"}),
    ]
    for r in answers:
        assert r.status_code in (404, 409, 422), r.text
        assert clean(r.text) == [], r.text
    blocked = answers[0].json()
    assert blocked["message"] == "“Doelen vaststellen” (define_goals) is blocked in stage “Concept”"
    assert {x["code"] for x in blocked["reasons"]} == {"goals_agreed"}
    assert all(x["trigger"] == "define_goals" and x["stage"] == "draft" for x in blocked["reasons"])
    reason = answers[3].json()
    assert [x["code"] for x in reason["reasons"]] == ["reason_required"] and "fill in the reason" in reason["details"]


def test_the_partnership_page_says_stage_and_trigger_titles_and_no_cli_command(web: Any) -> None:
    web.import_example()
    c = web.browser("coco")
    token = csrf(c.get(f"/partnerships/{REF}"))
    blocked = c.post(f"/partnerships/{REF}/advance", data={"csrf_token": token, "trigger": "define_goals"})
    assert blocked.status_code == 409
    assert "“Doelen vaststellen” (define_goals) is blocked in stage “Concept”" in blocked.text
    no_reason = c.post(f"/partnerships/{REF}/advance", data={"csrf_token": token, "trigger": "terminate"})
    assert no_reason.status_code == 422 and "Give a reason: it goes into the history." in no_reason.text
    agreements = web.browser("lex").get(f"/partnerships/{REF}/agreements")
    for r in (blocked, no_reason, agreements):
        assert clean(r.text) == [], clean(r.text)


# --- The corpus: bad specs, progress reports, ledger entries, maturity answers and partner files, through the API
# and the pages' forms. Every answer is a 4xx in the user's words.

BAD_SPECS: list[tuple[str, Any]] = [
    ("a date as a key", {"contributions": [{"partner": "hanze", "kind": "cash", "amount_eur": 10,
                                            "schedule": {"2027-02-20": 5}}]}),
    ("text for an amount", {"contributions": [{"partner": "hanze", "kind": "cash", "amount_eur": "lots"}]}),
    ("a list for a name", {"name": ["a", "b"]}),
    ("an unknown field", {"colour": "blue"}),
    ("no partners", {"partners": []}),
]


def _spec(change: dict[str, Any]) -> str:
    raw = example_raw()
    raw.update(change)
    return json.dumps(raw, default=str)


def _framework_agreed(web: Any) -> None:
    web.import_example()
    web.agree_all_goals(REF)
    for trigger in ("define_goals", "agree_framework"):
        assert web.api("coco").post(f"/api/v1/partnerships/{REF}/advance", json={"trigger": trigger}).status_code == 200


def test_the_corpus_of_bad_requests_through_the_api_answers_in_the_users_words(web: Any) -> None:
    _framework_agreed(web)
    coco = web.api("coco")
    answers = [coco.post("/api/v1/partnerships", content=_spec(change), headers={"content-type": "application/json"})
               for _, change in BAD_SPECS]
    answers.append(coco.post("/api/v1/partnerships/upload",
                             files={"file": ("pact.yaml", b"spec: pppflow/v1\nname: [unclosed\n", "text/yaml")}))
    answers.append(coco.post("/api/v1/partnerships/upload",
                             files={"file": ("pact.yaml", b"spec: pppflow/v1\n2027-02-20: x\n", "text/yaml")}))
    for progress in ({"obligations": [{"key": "research", "hours": "lots", "activities": {"a": 1}}]},
                     {"obligations": [{"key": "research", "hours": 1, "activities": [1, {"x": 2}]}], "x": 1},
                     {"obligations": "research"}):
        answers.append(coco.post(f"/api/v1/partnerships/{REF}/checkins",
                                 json={"held_on": "2026-11-23", "checkin": "2027-01-15", "progress": progress}))
    entry = {"partner": "hanze", "phase": "investment", "kind": "hours", "unit": "hours", "date": "2027-01-10"}
    for bad in ({"quantity": "abc"}, {"quantity": {"x": 1}}, {"quantity": 5, "rate": "x"},
                {"quantity": 5, "rate": 2, "value": 3}, {"quantity": 5, "date": "2027-13-40"}):
        answers.append(coco.post(f"/api/v1/partnerships/{REF}/ledger", json={**entry, **bad}))
    for answers_ in ([{"key": "shared-vision", "level": "lots"}], [{"key": 5, "level": [1]}], "all"):
        answers.append(coco.post(f"/api/v1/partnerships/{REF}/maturity/rounds",
                                 json={"framework": "kp2", "partner": "hanze", "answers": answers_}))
    answers.append(coco.post(f"/api/v1/partnerships/{REF}/admissions",
                             json={"key": ["x"], "name": 5, "kind": "company"}))
    for r in answers:
        assert 400 <= r.status_code < 500 and r.status_code not in (401, 403, 404), r.text
        assert not_in_users_words(r.text, web=True) == [], r.text
    syntax = answers[len(BAD_SPECS)].json()
    assert any(d.startswith("pact.yaml, line 3, column 1: ") for d in syntax["details"]), syntax
    date_key = answers[len(BAD_SPECS) + 1].json()
    assert any(d.startswith("2027-02-20: a key must be text") for d in date_key["details"]), date_key
    activities = answers[len(BAD_SPECS) + 2].json()
    assert "progress.obligations[0].activities: must be a list or text" in activities["details"] or \
           "obligations[0].activities: must be a list or text" in activities["details"], activities


def test_the_corpus_of_bad_form_posts_answers_in_the_users_words(web: Any) -> None:
    _framework_agreed(web)
    c = web.browser("coco")
    token = csrf(c.get(f"/partnerships/{REF}"))
    checkin = {"csrf_token": token, "held_on": "2026-11-23", "checkin": "2027-01-15"}
    answers = [
        c.post("/import", data={"csrf_token": token, "text": "spec: pppflow/v1\nname: [unclosed\n"}),
        c.post("/import", data={"csrf_token": token, "text": "spec: pppflow/v1\n2027-02-20: x\n"}),
        c.post("/import", data={"csrf_token": token, "text": _spec(BAD_SPECS[1][1])}),
        c.post("/import", data={"csrf_token": token, "text": _spec({})}),  # imported before
        c.post(f"/partnerships/{REF}/checkins", data={**checkin, "progress:hours:research": "lots"}),
        c.post(f"/partnerships/{REF}/checkins", data={**checkin, "progress:hours:research": "1e400"}),
        c.post(f"/partnerships/{REF}/checkins", data={**checkin, "held_on": "23-11-2026"}),
        c.post(f"/partnerships/{REF}/checkins", data={**checkin, "progress:status:modules-delivered": "done"}),
        c.post(f"/partnerships/{REF}/maturity", data={"csrf_token": token, "partner": "hanze",
                                                      "level:shared-vision": "lots"}),
        c.post(f"/partnerships/{REF}/admissions", data={"csrf_token": token, "key": "Not A Key!", "name": "",
                                                        "kind": "shop", "contact_email": "nope"}),
        c.post(f"/partnerships/{REF}/advance", data={"csrf_token": token, "trigger": "start_maintenance"}),
        c.post(f"/partnerships/{REF}/funder-report", data={"csrf_token": token, "period_end": "soon"}),
    ]
    for r in answers:
        assert 400 <= r.status_code < 500 and r.status_code not in (401, 403, 404), (r.status_code, r.text[:2000])
        assert not_in_users_words(r.text, web=True) == [], (r.request.url, not_in_users_words(r.text, web=True))
    assert "the pasted spec, line 3, column 1" in answers[0].text
    assert "2027-02-20: a key must be text" in answers[1].text
