"""The web app under test: a fresh SQLite database, fake documents, a fixed clock and one user per role."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from factories import NOW, example_raw
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.adapters.documents.reports import FakeReportRenderer
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.adapters.passwords import Argon2Hasher  # argon2 with test parameters: the same code path, less work
from pppflow.config import Settings
from pppflow.services import accounts

PASSWORD = "correct horse battery"
ROLES = {"admin": ("admin", None), "coco": ("coordinator", None), "lex": ("legal", None), "vera": ("viewer", None),
         "hanna": ("partner", "hanze"), "otto": ("partner", "acme")}
REF = "smart-industry-technician-pact"
SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra"}


@dataclass
class Web:
    """A TestClient per user: `web.api("vera").get(...)` with the user's token, `web.browser("coco")` logged in."""

    app: Any
    tokens: dict[str, str]
    store: FakeDocumentStore
    clients: dict[str, Any] = field(default_factory=dict)

    @property
    def desk(self) -> Any:
        return self.app.state.desk

    def client(self) -> Any:
        from fastapi.testclient import TestClient

        return TestClient(self.app, raise_server_exceptions=False)

    def api(self, username: str) -> Any:
        if username not in self.clients:
            c = self.client()
            c.headers["Authorization"] = f"Bearer {self.tokens[username]}"
            self.clients[username] = c
        return self.clients[username]

    def browser(self, username: str) -> Any:
        """A client logged in through the login form."""
        c = self.client()
        r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf(c.get("/login")),
                                   "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        return c

    def import_example(self, raw: dict[str, Any] | None = None) -> str:
        r = self.api("coco").post("/api/v1/partnerships?as_new=true",  # fixtures: a repeat import is a copy
                                  content=json.dumps(raw or example_raw(), default=str),
                                  headers={"content-type": "application/json"})
        assert r.status_code == 201, r.text
        return r.json()["ref"]  # type: ignore[no-any-return]

    def agree_all_goals(self, ref: str) -> None:
        for goal in ("modules", "lifelong"):
            for partner in SIGNATORIES:
                r = self.api("coco").post(f"/api/v1/partnerships/{ref}/goals/{goal}/agreements",
                                          json={"partner": partner})
                assert r.status_code == 200, r.text


def csrf(response: Any) -> str:
    """The CSRF token in a page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert found, response.text[:500]
    return found.group(1)


def make_web(tmp_path: Path, now: datetime = NOW, database_url: str | None = None, renderer: Any = None,
             **settings: Any) -> Web:
    from pppflow.web.app import create_app

    store = FakeDocumentStore()
    app = create_app(Settings(home=tmp_path / "home", database_url=database_url or f"sqlite:///{tmp_path / 'web.db'}",
                              **settings),
                     renderer=renderer or FakeAgreementRenderer(), store=store, clock=lambda: now,
                     report_renderer=FakeReportRenderer(), hasher=Argon2Hasher.cheap())
    desk = app.state.desk
    tokens = {}
    for username, (role, organisation) in ROLES.items():
        accounts.add_user(username, role, PASSWORD, accounts=desk.accounts, now=now,
                          partner_organisation=organisation)
        tokens[username] = accounts.issue_token(username, accounts=desk.accounts, now=now)
    return Web(app, tokens, store)


def close(w: Web) -> None:
    for c in w.clients.values():
        c.close()
    w.desk.accounts.session_factory.kw["bind"].dispose()
