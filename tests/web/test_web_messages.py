"""Messages in the user's words: a corpus of bad requests and bad specs through the API and the pages; no Python
repr, no pydantic default English, no CLI command or flag in what the web app says."""

from __future__ import annotations

import json
import re
from typing import Any

from factories import example_raw
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
