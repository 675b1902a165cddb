"""Bounded input over the web (issue 9 §2) and requests checked before their bodies are read (issue 9 §6)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from bombs import BOMBS, huge
from webapp import REF, close, csrf, make_web


def _problem_of(name: str) -> str:
    return {"billion-laughs.yaml": "an alias (*lol0) is not accepted", "anchor-2000.yaml": "an alias (*big) is not",
            "deep.yaml": "nested deeper than 64 levels", "deep.json": "nested deeper than 64 levels",
            "duplicate-keys.yaml": "the key term.months is written twice",
            "duplicate-keys.json": "the key partners[0].name is written twice"}[name]


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_each_bomb_upload_is_refused_with_422_naming_the_problem(web: Any, name: str) -> None:
    r = web.api("coco").post("/api/v1/partnerships/upload", files={"file": (name, BOMBS[name]().encode())})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["message"] == f"{name} is not accepted"
    assert _problem_of(name) in body["details"][0]
    assert web.api("coco").get("/api/v1/partnerships").json()["items"] == []


def test_the_json_import_goes_through_the_same_bounded_parser(web: Any) -> None:
    r = web.api("coco").post("/api/v1/partnerships", content=BOMBS["deep.json"](),
                             headers={"content-type": "application/json"})
    assert r.status_code == 422 and "nested deeper than 64 levels" in r.json()["details"][0]
    r = web.api("coco").post("/api/v1/partnerships", content=BOMBS["duplicate-keys.json"](),
                             headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["details"] == ["the request body: the key partners[0].name is written twice"]


def test_the_import_page_refuses_a_bomb_and_shows_why(web: Any) -> None:
    browser = web.browser("coco")
    token = csrf(browser.get("/import"))
    r = browser.post("/import", data={"csrf_token": token, "text": BOMBS["billion-laughs.yaml"]()})
    assert r.status_code == 422
    assert "an alias (*lol0) is not accepted" in r.text
    r = browser.post("/import", data={"csrf_token": token},
                     files={"file": ("deep.json", BOMBS["deep.json"]().encode())})
    assert r.status_code == 422 and "nested deeper than 64 levels" in r.text


def test_a_declared_body_past_the_limit_is_413_before_anything_is_read(web: Any) -> None:
    r = web.api("coco").post("/api/v1/partnerships/upload", files={"file": ("big.yaml", huge(3 * 1024 * 1024))})
    assert r.status_code == 413
    assert r.json()["error"] == "too_large" and "2,162,688 bytes" in r.json()["details"][0]


# --- straight through ASGI: what was read of the body, and when -------------------------------------------------

def _call(app: Any, method: str, path: str, headers: dict[str, str], chunks: list[bytes]) -> tuple[int, int, bytes]:
    """Send a request in `chunks` (no Content-Length unless given); the status, how many chunks the app read, body."""
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= len(chunks):
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80), "state": {}}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], read, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


MULTIPART = {"content-type": "multipart/form-data; boundary=xyz"}
PIECE = b"x" * (1024 * 1024)


def test_an_anonymous_upload_is_401_and_its_body_is_never_read(web: Any) -> None:
    status, read, body = _call(web.app, "POST", "/api/v1/partnerships/upload", MULTIPART, [PIECE] * 300)
    assert status == 401 and read == 0
    assert json.loads(body)["error"] == "not_authenticated"
    status, read, _ = _call(web.app, "POST", "/api/v1/partnerships/upload",
                            {**MULTIPART, "authorization": "Bearer ppp_forged"}, [PIECE] * 300)
    assert status == 401 and read == 0


def test_an_anonymous_post_to_a_verify_form_goes_to_login_unread(web: Any) -> None:
    status, read, _ = _call(web.app, "POST", f"/partnerships/{REF}/agreements/verify", MULTIPART, [PIECE] * 300)
    assert status == 303 and read == 0


def test_a_cookie_call_without_its_csrf_header_is_403_unread(web: Any) -> None:
    browser = web.browser("coco")
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    status, read, _ = _call(web.app, "POST", "/api/v1/partnerships/upload", {**MULTIPART, "cookie": cookie},
                            [PIECE] * 3)
    assert status == 403 and read == 0


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    web = make_web(tmp_path, max_document_bytes=100_000)
    try:
        headers = {**MULTIPART, "authorization": f"Bearer {web.tokens['coco']}"}
        status, read, body = _call(web.app, "POST", "/api/v1/partnerships/upload", headers, [PIECE] * 300)
        assert status == 413 and read == 1  # refused at the first piece past 164 KB, not after 300 MB
        assert json.loads(body)["error"] == "too_large"
    finally:
        close(web)


def test_a_verification_upload_may_be_larger_than_a_spec(tmp_path: Path) -> None:
    web = make_web(tmp_path, max_document_bytes=10_000, max_upload_bytes=5_000_000)
    try:
        pdf = b"%PDF-1.7\n" + b"0" * 1_000_000
        r = web.api("lex").post("/api/v1/agreements/verify", files={"file": ("a.pdf", pdf)})
        assert r.status_code == 200 and r.json()["genuine"] is False
        r = web.api("coco").post("/api/v1/partnerships/upload", files={"file": ("a.yaml", pdf)})
        assert r.status_code == 413
        r = web.api("lex").post("/api/v1/agreements/verify", files={"file": ("a.pdf", pdf * 6)})
        assert r.status_code == 413
    finally:
        close(web)


def test_login_still_works_without_credentials(web: Any) -> None:
    web.browser("coco")  # asserts the 303 of a successful login
