"""One JSON shape per record: `pppflow ... --json` (the real Typer app) and the REST API (TestClient) answer alike.

Both run on one scratch PPPFLOW_HOME, its database and a fixed clock. Reads are compared on the same partnership.
A change is made twice, through the CLI on one partnership and through the API on an identical copy (imported
`--as-new`), and the answers compared with the copy's REF written as the original's: the REF is the only field
that is different by nature. Agreement versions hash their content (with the REF), so they are compared on one
partnership: what one side changed, the other side reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from factories import FIXTURES
from pppflow.adapters.passwords import Argon2Hasher

NOW = datetime(2027, 2, 20, 9, 0, tzinfo=UTC)
TODAY = NOW.date().isoformat()
EXAMPLE = FIXTURES / "smart-industry-pact.yaml"
REF = "smart-industry-technician-pact"
COPY = f"{REF}-2"
SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra"}
GOALS = ("modules", "lifelong")


def as_original(data: Any) -> Any:
    """The copy's answer with its REF written as the original's (the one field that differs by nature)."""
    return json.loads(json.dumps(data).replace(COPY, REF))


def ids_apart(entry: dict[str, Any]) -> dict[str, Any]:
    """A ledger entry without its row ids (and a reversal's basis, which names one): the two partnerships'
    entries share one table."""
    return {k: v for k, v in entry.items() if k not in ("id", "corrects", "basis")}


@dataclass
class Both:
    """`cli(...)`: the JSON of `pppflow ... --json`; `api(...)`: the JSON of the API (as the coordinator)."""

    runner: Any
    clients: dict[str, Any]
    home: Path

    def cli(self, *args: str) -> Any:
        from pppflow.cli.app import build_app

        result = self.runner.invoke(build_app(list(args)), [*args, "--json"])
        assert result.exit_code == 0, (args, result.output, result.exception)
        return json.loads(result.stdout)

    def api(self, method: str, url: str, user: str = "coco", **kwargs: Any) -> Any:
        r = self.clients[user].request(method, f"/api/v1{url}", **kwargs)
        assert r.status_code < 300, (url, r.status_code, r.text)
        return r.json()

    def file(self, name: str, data: Any) -> str:
        path = self.home.parent / name
        path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
        return str(path)


@pytest.fixture
def both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Both]:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from pppflow import bootstrap
    from pppflow.adapters.documents.agreements import FakeAgreementRenderer
    from pppflow.adapters.documents.reports import FakeReportRenderer
    from pppflow.adapters.documents.store import FakeDocumentStore
    from pppflow.config import get_settings
    from pppflow.services import accounts
    from pppflow.web.app import create_app

    home = tmp_path / "home"
    monkeypatch.setenv("PPPFLOW_HOME", str(home))
    monkeypatch.setenv("PPPFLOW_ACTOR", "coco")
    monkeypatch.delenv("PPPFLOW_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    parts = {"renderer": FakeAgreementRenderer(), "store": FakeDocumentStore(), "clock": lambda: NOW,
             "report_renderer": FakeReportRenderer(), "hasher": Argon2Hasher.cheap()}
    app = create_app(get_settings(), **parts)
    desk = app.state.desk
    monkeypatch.setattr(bootstrap, "wiring", lambda: desk)  # the CLI on the same parts as the app
    clients = {}
    for username, role in (("coco", "coordinator"), ("lex", "legal")):
        accounts.add_user(username, role, "correct horse battery", accounts=desk.accounts, now=NOW)
        client = TestClient(app, raise_server_exceptions=True)
        client.headers["Authorization"] = f"Bearer {accounts.issue_token(username, accounts=desk.accounts, now=NOW)}"
        clients[username] = client
    yield Both(CliRunner(), clients, home)
    for client in clients.values():
        client.close()
    desk.accounts.session_factory.kw["bind"].dispose()
    get_settings.cache_clear()


def two_partnerships(both: Both) -> None:
    """The example through the API (REF) and through the CLI as a copy (COPY); each import's answer is the
    partnership as the other side lists it."""
    imported = both.api("POST", "/partnerships", content=json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str),
                        headers={"content-type": "application/json"})
    copied = both.cli("partnership", "import", str(EXAMPLE), "--as-new")
    listed = both.cli("partnership", "list")
    assert listed == both.api("GET", "/partnerships", params={"limit": 500})["items"] == [imported, copied]
    assert copied["ref"] == COPY


def framework_agreed(both: Both, ref: str) -> None:
    for goal in GOALS:
        for partner in SIGNATORIES:
            both.api("POST", f"/partnerships/{ref}/goals/{goal}/agreements", json={"partner": partner})
    for trigger in ("define_goals", "agree_framework"):
        both.api("POST", f"/partnerships/{ref}/advance", json={"trigger": trigger})


def test_a_partnership_its_goals_obligations_and_history_have_one_shape(both: Both) -> None:
    two_partnerships(both)
    for goal in GOALS:
        for partner in SIGNATORIES:
            agreed = both.cli("goal", "agree", REF, goal, "--partner", partner)
            assert agreed == as_original(both.api("POST", f"/partnerships/{COPY}/goals/{goal}/agreements",
                                                  json={"partner": partner}))
    assert agreed["awaiting"] == [] and agreed["ref"] == REF and agreed["statement"]
    assert both.cli("partnership", "advance", REF, "define_goals") == as_original(
        both.api("POST", f"/partnerships/{COPY}/advance", json={"trigger": "define_goals"}))
    withdrawn = both.cli("goal", "withdraw", REF, "modules", "--partner", "hanze", "--comment", "not yet")
    assert withdrawn == as_original(both.api("POST", f"/partnerships/{COPY}/goals/modules/withdrawals",
                                             json={"partner": "hanze", "comment": "not yet"}))
    status = both.cli("obligation", "set-status", REF, "modules-delivered", "fulfilled", "--evidence", "modules")
    assert status == as_original(both.api("POST", f"/partnerships/{COPY}/obligations/modules-delivered/status",
                                          json={"status": "fulfilled", "evidence": "modules"}))
    assert status["title"] and status["obligation"] == status["key"] == "modules-delivered"

    shown = both.cli("partnership", "show", REF)
    assert shown == both.api("GET", f"/partnerships/{REF}")
    assert shown["contributions"][0]["amount"] == str(shown["contributions"][0]["amount"])  # exact, not a float
    assert shown["goals"] == both.api("GET", f"/partnerships/{REF}/goals")
    assert shown["obligations"] == both.api("GET", f"/partnerships/{REF}/obligations")
    assert both.cli("partnership", "history", REF) == both.api("GET", f"/partnerships/{REF}/history")
    assert both.cli("audit", "verify") == both.api("GET", "/audit/verify")

    spec = both.api("GET", f"/partnerships/{REF}/export", params={"format": "json"})
    spec["contributions"][0]["amount"] = 123456
    amended = both.cli("partnership", "amend", REF, both.file("revised.yaml", spec), "--reason", "more")
    assert amended == as_original(both.api("POST", f"/partnerships/{COPY}/amendments",
                                           json={"spec": spec, "reason": "more"}))
    assert amended["changed"]


def test_agreement_versions_and_signatures_have_one_shape(both: Both, tmp_path: Path) -> None:
    two_partnerships(both)
    draft = both.cli("agreement", "generate", REF)
    for goal in GOALS:
        for partner in SIGNATORIES:
            both.api("POST", f"/partnerships/{REF}/goals/{goal}/agreements", json={"partner": partner})
    generated = both.api("POST", f"/partnerships/{REF}/agreements", user="lex")
    assert (draft["version"], draft["status"], generated["version"], generated["status"]) == (1, "draft", 2, "final")
    assert both.cli("agreement", "generate", REF) == {**generated, "created": False}  # the same version, reused
    listed = both.cli("agreement", "list", REF)
    assert listed == both.api("GET", f"/partnerships/{REF}/agreements")
    assert [v["status"] for v in listed] == ["superseded", "final"]
    assert both.cli("agreement", "diff", REF, "1", "2") == both.api("GET", f"/partnerships/{REF}/agreements/2/diff",
                                                                    params={"from": 1})

    signed = both.cli("agreement", "sign", REF, "2", "--partner", "noorderpoort", "--name", "Anja Bakker",
                      "--method", "wet-ink")
    assert signed == {"ref": REF, "partner": "noorderpoort", **both.api("GET", f"/partnerships/{REF}/agreements/2")}
    by_api = both.api("POST", f"/partnerships/{REF}/agreements/2/signatures", user="lex",
                      json={"partner": "hanze", "name": "Henk Visser", "method": "wet-ink"})
    assert by_api == {"ref": REF, "partner": "hanze", **both.cli("agreement", "show", REF, "2")}
    recorded = both.cli("signoff", "record", REF, "--partner", "techbedrijf", "--name", "Joost Meijer")
    assert recorded == {"ref": REF, "partner": "techbedrijf", **both.api("GET", f"/partnerships/{REF}/agreements/2")}
    by_api = both.api("POST", f"/partnerships/{REF}/signoffs", user="lex",
                      json={"partner": "provincie", "name": "Rob Hoekstra"})
    assert by_api == {"ref": REF, "partner": "provincie", **both.cli("agreement", "show", REF, "2")}
    assert by_api["status"] == "signed" and len(by_api["signatures"]) == 4

    from pppflow import bootstrap

    pdf = bootstrap.wiring().store.get(generated["path"])
    (tmp_path / "v2.pdf").write_bytes(pdf)
    verified = both.cli("agreement", "verify", str(tmp_path / "v2.pdf"))
    assert verified == both.api("POST", "/agreements/verify", user="lex", files={"file": ("v2.pdf", pdf)})
    assert verified["genuine"] and verified["copy"] == "version" and len(verified["signatures"]) == 4


def test_checkins_the_agenda_the_outbox_and_the_ledger_have_one_shape(both: Both) -> None:
    two_partnerships(both)
    for ref in (REF, COPY):
        framework_agreed(both, ref)
    progress = {"obligations": [{"key": "research", "activities": ["Literature review"], "hours": 7.5}]}
    first = both.api("GET", f"/partnerships/{REF}/checkins")["checkins"][0]["date"]
    recorded = both.cli("checkin", "record", REF, "--checkin", first, "--notes", "kick-off", "--feedback", "good",
                        "--progress", both.file("progress.yaml", progress))
    assert recorded == as_original(both.api("POST", f"/partnerships/{COPY}/checkins", json={
        "checkin": first, "notes": "kick-off", "feedback": "good", "progress": progress}))
    assert (recorded["notes"], recorded["efforts"][0]["hours"]) == ("kick-off", "7.5")
    listed = both.cli("checkin", "list", REF, "--as-of", TODAY)
    assert listed == both.api("GET", f"/partnerships/{REF}/checkins")
    assert listed["checkins"][0]["status"] == "held" and listed["effort_log"][0]["hours"] == "7.5"
    due = both.cli("checkins", "due", "--as-of", TODAY, "--within", "90")
    assert due == both.api("GET", "/checkins/due", params={"within": 90}) and due
    assert {"date", "days"} <= set(due[0])

    second = date.fromisoformat(listed["checkins"][1]["date"])
    both.cli("remind", "--as-of", (second - timedelta(days=5)).isoformat())  # the check-in reminders
    outbox = both.cli("outbox", "list")
    assert outbox == both.api("GET", "/outbox", params={"limit": 100}) and outbox
    assert outbox[0]["recipients"][0]["email"] and outbox[0]["ref"] in (REF, COPY)

    entry = ["--partner", "provincie", "--phase", "investment", "--kind", "cash", "--quantity", "1500.50",
             "--unit", "EUR", "--date", "2027-02-01", "--description", "grant"]
    added = both.cli("ledger", "add", REF, *entry)
    by_api = both.api("POST", f"/partnerships/{COPY}/ledger", json={
        "partner": "provincie", "phase": "investment", "kind": "cash", "quantity": "1500.50", "unit": "EUR",
        "date": "2027-02-01", "description": "grant"})
    assert ids_apart(added) == ids_apart(as_original(by_api)) and added["value_eur"] == "1500.50"
    corrected = both.cli("ledger", "correct", REF, str(added["id"]), "--reason", "typo")
    by_api = both.api("POST", f"/partnerships/{COPY}/ledger/{by_api['id']}/corrections", json={"reason": "typo"})
    assert ids_apart(corrected) == ids_apart(as_original(by_api)) and corrected["value_eur"] == "-1500.50"
    assert (corrected["basis"], by_api["basis"]) == (f"reversal of entry {added['id']}",
                                                     f"reversal of entry {by_api['corrects']}")
    assert both.cli("ledger", "list", REF) == both.api("GET", f"/partnerships/{REF}/ledger")
    assert both.cli("ledger", "summary", REF) == both.api("GET", f"/partnerships/{REF}/ledger/summary")


def test_admissions_evidence_health_maturity_and_users_have_one_shape(both: Both) -> None:
    two_partnerships(both)
    for ref in (REF, COPY):
        framework_agreed(both, ref)
    acme = {"key": "acme", "name": "Acme Robotics", "kind": "company",
            "contact": {"name": "Ann de Boer", "email": "ann@acme.example"},
            "signatory": {"name": "Bo Smit", "title": "CEO"}, "responsibility": "Twelve internships a year"}
    proposed = both.cli("partner", "admit", REF, both.file("acme.yaml", acme))
    assert proposed == as_original(both.api("POST", f"/partnerships/{COPY}/admissions", json=acme))
    assert proposed in both.cli("partnership", "show", REF)["admissions"]
    approved = both.cli("partner", "approve", REF, "acme", "--by", "hanze")
    assert approved == as_original(both.api("POST", f"/partnerships/{COPY}/admissions/acme/approvals",
                                            json={"by": "hanze"}))
    rejected = both.cli("partner", "reject", REF, "acme", "--by", "provincie", "--reason", "no budget")
    assert rejected == as_original(both.api("POST", f"/partnerships/{COPY}/admissions/acme/rejections",
                                            json={"by": "provincie", "reason": "no budget"}))
    assert both.cli("partnership", "show", REF)["admissions"] == both.api("GET", f"/partnerships/{REF}/admissions")

    evidence = both.file("evidence.txt", "the modules, delivered\n")
    attached = both.cli("obligation", "attach", REF, "modules-delivered", evidence)
    by_api = both.api("POST", f"/partnerships/{COPY}/obligations/modules-delivered/evidence",
                      files={"file": ("evidence.txt", b"the modules, delivered\n")})
    assert attached == as_original(by_api)
    assert both.api("GET", f"/partnerships/{REF}/obligations/modules-delivered/evidence") == [attached]

    assert both.cli("health", REF, "--as-of", TODAY) == both.api("GET", f"/partnerships/{REF}/health")
    assert both.cli("health", "list", "--as-of", TODAY) == both.api("GET", "/health")
    template = yaml.safe_load(both.runner.invoke(_app(), ["maturity", "template", REF, "--partner", "hanze",
                                                          "--lang", "en"]).stdout)
    answers = {"framework": template["framework"], "partner": "hanze",
               "answers": [{"key": a["key"], "level": "advanced"} for a in template["answers"]]}
    assessed = both.cli("maturity", "assess", REF, "--partner", "hanze", "--file", both.file("answers.yaml", answers))
    assert assessed == as_original(both.api("POST", f"/partnerships/{COPY}/maturity/rounds", json=answers))
    assert both.cli("maturity", "show", REF) == both.api("GET", f"/partnerships/{REF}/maturity")

    [coco] = [u for u in both.cli("user", "list") if u["username"] == "coco"]
    assert coco == both.api("GET", "/me")
    invited = both.cli("user", "invite", "e.mulder@hanze.example", "--partner-organisation", "hanze")
    by_api = both.api("POST", "/invitations", json={"email": "f.mulder@hanze.example",
                                                     "partner_organisation": "hanze"})
    assert invited == json.loads(json.dumps(by_api).replace("f.mulder", "e.mulder"))  # the address differs


def _app() -> Any:
    from pppflow.cli.app import build_app

    return build_app([])  # every command
