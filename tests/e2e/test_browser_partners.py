"""Two partner users of different organisations in the browser (Debian's Chromium through Playwright): one agrees
a goal and rejects a candidate with a reason from "What is asked of you"; the coordinator sees who answered, the
rejected admission is final; the other partner cannot act for the first (403) nor see a partnership it is not in
(404). Screenshots in tests/e2e/screenshots/."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from browsing import BROWSER_TEST, PARTNERS, PASSWORD, REF, SHOTS, shot
from factories import FIXTURES
from servers import pppflow_env, run_pppflow

pytestmark = BROWSER_TEST

OTHER = "chemelot-process-innovation-lab"
ACME = {"key": "acme", "name": "Acme Robotics", "kind": "company", "contact": {"name": "Ann de Boer"},
        "signatory": {"name": "Bo Smit"}, "responsibility": "Twelve internships a year"}


def _setup(home: Path) -> None:
    """Goals agreed and defined, then hanze withdrew from 'lifelong'; acme proposed; a partnership without
    hanze or techbedrijf; two partner users made with `pppflow user add`."""
    from datetime import datetime

    import yaml

    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
    from pppflow.adapters.workflow_files import load_registry
    from pppflow.domain.consensus import operator
    from pppflow.resources import shipped_dir
    from pppflow.services import changes, consensus, partnerships

    sessions, lifecycles, now = session_factory(f"sqlite:///{home / 'pppflow.db'}"), load_registry(None), \
        datetime.now(UTC)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    for spec in (FIXTURES / "smart-industry-pact.yaml", shipped_dir("demo_portfolio") / "chemelot-living-lab.yaml"):
        raw = yaml.safe_load(spec.read_text(encoding="utf-8"))
        partnerships.import_partnership(raw, uow=uow(), lifecycles=lifecycles, actor="setup", now=now)
    for goal in ("modules", "lifelong"):
        for partner in PARTNERS:
            changes.agree_goal(REF, goal, partner, uow=uow(), actor="setup", now=now)
    partnerships.advance(REF, "define_goals", uow=uow(), lifecycles=lifecycles, actor="setup", now=now)
    consensus.withdraw_goal(REF, "lifelong", operator("setup", "hanze"), "to be discussed", uow=uow(),
                            lifecycles=lifecycles, now=now)
    changes.request_admission(REF, ACME, uow=uow(), lifecycles=lifecycles, actor="setup", now=now)
    changes.approve_admission(REF, "acme", "provincie", uow=uow(), actor="setup", now=now, on_behalf_of="provincie")
    sessions.kw["bind"].dispose()
    for username, organisation in (("hanna", "hanze"), ("tim", "techbedrijf")):
        add = run_pppflow(pppflow_env(home), "user", "add", username, "--role", "partner", "--partner-organisation",
                          organisation, "--password-stdin", stdin=PASSWORD + "\n")
        assert add.returncode == 0, add.stderr


def _login(browser: Any, server: str, username: str) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{server}/")
    return page


def _post_as_session(page: Any, url: str, body: dict[str, Any]) -> int:
    """An API call from the logged-in page (session cookie + the page's CSRF token), as a script could make it."""
    return int(page.evaluate("""async ([url, body]) => {
        const token = document.querySelector('input[name=csrf_token]').value;
        const r = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json',
                                    'x-csrf-token': token}, body: JSON.stringify(body)});
        return r.status; }""", [url, body]))


def test_two_partners_answer_for_their_own_organisations(server: str, browser: Any, tmp_path: Path) -> None:
    _setup(tmp_path / "home")
    hanna = _login(browser, server, "hanna")
    assert hanna.inner_text("nav .nav-count") == "2"  # the goal to agree again, the admission to answer
    hanna.click("nav >> text=Asked of you")
    hanna.wait_for_url(f"{server}/asked")
    assert "agree the goal 'lifelong'" in hanna.inner_text("#asks-goal")
    assert "approve or reject Acme Robotics (acme) as a new partner" in hanna.inner_text("#asks-admission")
    shot(hanna, "11-partner-asked-of-you")

    hanna.click("#asks-goal a")
    hanna.wait_for_url(f"{server}/partnerships/{REF}#goal-lifelong")
    hanna.click("#goal-lifelong >> text=Agree for hanze")
    assert "Goal lifelong: agreed by hanze" in hanna.inner_text(".flash")
    hanna.click("#admission-acme >> text=Reject for hanze")  # no reason: refused next to it, nothing saved
    assert "reason: give a reason" in hanna.inner_text("#admission-acme")
    hanna.fill("#reject-acme", "No lab space for a fifth partner this year")
    hanna.click("#admission-acme >> text=Reject for hanze")
    assert "hanze rejected acme" in hanna.inner_text(".flash")
    hanna.goto(f"{server}/asked")
    assert hanna.locator("nav .nav-count").count() == 0  # nothing is asked of hanze any more
    shot(hanna, "12-partner-nothing-asked")

    tim = _login(browser, server, "tim")
    tim.goto(f"{server}/partnerships/{REF}")
    assert "Rejected: Acme Robotics (acme) by hanze" in tim.inner_text("#admissions")
    assert tim.locator("#admissions button").count() == 0  # the rejected admission is final
    assert _post_as_session(tim, f"/api/v1/partnerships/{REF}/goals/modules/withdrawals",
                            {"partner": "hanze", "comment": "acting for hanze"}) == 403
    assert _post_as_session(tim, f"/api/v1/partnerships/{REF}/goals/lifelong/agreements", {}) == 409  # already
    assert tim.goto(f"{server}/partnerships/{OTHER}").status == 404
    assert _post_as_session(tim, f"/api/v1/partnerships/{OTHER}/goals/innovation-issues/agreements", {}) == 404

    coordinator = _login(browser, server, "marieke")
    coordinator.goto(f"{server}/partnerships/{REF}")
    admissions = coordinator.inner_text("#admissions")
    assert "Rejected: Acme Robotics (acme) by hanze" in admissions
    assert "No lab space for a fifth partner this year" in admissions and "had approved: provincie" in admissions
    history = " ".join(coordinator.inner_text("#history").split())
    assert "admission of acme rejected by hanze" in history and "goal lifelong agreed by hanze" in history
    assert "setup on behalf of provincie" in history  # the coordinator's approval for provincie says so
    coordinator.locator("#admissions").scroll_into_view_if_needed()
    coordinator.screenshot(path=str(SHOTS / "13-coordinator-sees-rejection.png"))
    assert (SHOTS / "11-partner-asked-of-you.png").stat().st_size > 10_000
