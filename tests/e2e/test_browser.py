"""A coordinator's day in the browser: Debian's Chromium through Playwright against `pppflow web`.

Screenshots land in tests/e2e/screenshots/ (laptop and phone widths) for people to look at.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from browsing import BROWSER_TEST, PARTNERS, PASSWORD, REF, SHOTS, shot
from factories import FIXTURES

pytestmark = BROWSER_TEST


# the words of the dashboard tiles' stage titles that the browser laid out over more than one line
SPLIT_WORDS = """() => {
  const split = [];
  for (const el of document.querySelectorAll('.tile .s')) {
    const text = el.firstChild; if (!text) continue;
    let at = 0;
    for (const word of text.textContent.split(' ')) {
      const range = document.createRange();
      range.setStart(text, at); range.setEnd(text, at + word.length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(word);
      at += word.length + 1;
    }
  }
  return split;
}"""


def test_log_in_import_blocked_goals_advance_and_agreement(server: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page.set_default_timeout(180_000)  # rendering an agreement took more than 30 s at load 14 on 2 cores
    page.goto(f"{server}/")
    assert page.url.startswith(f"{server}/login")
    shot(page, "01-login")
    page.fill("#username", "marieke")
    page.fill("#password", "not the password")
    page.click("main button[type=submit]")
    assert "Wrong username or password" in page.inner_text(".alert")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{server}/")
    assert page.inner_text("h1") == "Portfolio"

    page.click("text=Import a partnership")
    page.set_input_files("#file", str(FIXTURES / "smart-industry-pact.yaml"))
    shot(page, "02-import")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{server}/partnerships/{REF}")
    assert "Imported" in page.inner_text(".flash")
    assert "Draft" in page.text_content(".node.current")
    shot(page, "03-partnership-draft")

    page.click("#trigger-define_goals button")  # blocked: the answer lists every reason
    reasons = page.inner_text("#trigger-define_goals .field-error")
    assert "“Doelen vaststellen” (define_goals) is blocked in stage “Concept”" in reasons
    assert ("goal 'modules' is not yet agreed by noorderpoort (Noorderpoort College), hanze (Hanze University of "
            "Applied Sciences), techbedrijf (Noordelijk Techbedrijf B.V.), provincie (Provincie Groningen)") in reasons
    page.locator("#trigger-define_goals").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "04-blocked-reasons.png"))

    for goal in ("modules", "lifelong"):
        for partner in PARTNERS:
            page.select_option(f"#agree-{goal}", partner)
            page.click(f"#goal-{goal} button")
            assert f"agreed by {partner}" in page.inner_text(".flash")
    assert page.locator("#goal-modules .chip.yes").count() == 4
    page.click("#trigger-define_goals button")
    assert "now in stage “Doelen vastgesteld”" in page.inner_text(".flash")
    assert "Goals defined" in page.text_content(".node.current")
    shot(page, "05-goals-defined")

    page.click("text=Agreements")
    page.click("text=Generate a version")
    assert "Generated version 1" in page.inner_text(".flash")
    shot(page, "06-agreements")
    with page.expect_download() as download:
        page.click("#version-1 >> text=Download PDF")
    saved = tmp_path / "agreement.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"{REF}-v1.pdf"

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.goto(f"{server}/login")
    phone.fill("#username", "marieke")
    phone.fill("#password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{server}/")
    shot(phone, "07-phone-dashboard")
    assert phone.evaluate(SPLIT_WORDS) == []  # "Investmen t": a stage title broken inside a word
    phone.goto(f"{server}/partnerships/{REF}")
    shot(phone, "08-phone-partnership")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling of the page


def _framework_agreed(home: Path) -> None:
    """The example imported, its goals agreed and the framework agreed (check-ins planned), as the CLI would."""
    from datetime import datetime

    import yaml

    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
    from pppflow.adapters.workflow_files import load_registry
    from pppflow.services import changes, partnerships

    sessions, lifecycles, now = session_factory(f"sqlite:///{home / 'pppflow.db'}"), load_registry(None), \
        datetime.now(UTC)
    raw = yaml.safe_load((FIXTURES / "smart-industry-pact.yaml").read_text(encoding="utf-8"))
    partnerships.import_partnership(raw, uow=SqlUnitOfWork(sessions), lifecycles=lifecycles, actor="setup", now=now)
    for goal in ("modules", "lifelong"):
        for partner in PARTNERS:
            changes.agree_goal(REF, goal, partner, uow=SqlUnitOfWork(sessions), actor="setup", now=now)
    for trigger in ("define_goals", "agree_framework"):
        partnerships.advance(REF, trigger, uow=SqlUnitOfWork(sessions), lifecycles=lifecycles, actor="setup", now=now)
    sessions.kw["bind"].dispose()


def test_record_progress_at_a_check_in_and_admit_a_partner(server: str, browser: Any, tmp_path: Path) -> None:
    _framework_agreed(tmp_path / "home")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/login")
    page.fill("#username", "marieke")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{server}/")
    page.goto(f"{server}/partnerships/{REF}")

    page.click("#checkins summary >> text=Record a check-in held")
    page.fill("#progress-hours-assignments", "-3")  # refused next to its field, nothing saved
    page.fill("#progress-activities-assignments", "Two assignments scoped with the students")
    page.click("#checkins form button[type=submit]")
    assert "Nothing was saved" in page.inner_text("#checkins")
    assert page.locator("#progress-assignments .field.invalid .field-error").count() >= 1
    page.locator("#progress-assignments").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "09-checkin-progress-invalid.png"))
    page.fill("#progress-hours-assignments", "12.5")
    page.select_option("#progress-status-modules-delivered", "fulfilled")
    page.fill("#progress-evidence-modules-delivered", "modules handed to the exam board")
    page.click("#checkins form button[type=submit]")
    flash = page.inner_text(".flash")
    assert "Effort logged: assignments 12.5 h" in flash and "modules-delivered fulfilled" in flash
    assert page.inner_text("#obligation-modules-delivered .badge").lower() == "fulfilled"
    assert "check-in" in page.inner_text("#history").lower()

    page.click("#admissions summary >> text=Propose a new partner")
    page.fill("#admission-key", "zorgcollege")
    page.click("#admissions form button[type=submit]")  # no name, no kind, ...: each said next to its field
    assert page.locator("#admissions .field.invalid").count() >= 3
    page.fill("#admission-name", "Zorgcollege Noord")
    page.select_option("#admission-kind", "education")
    page.fill("#admission-contact_name", "Els de Wit")
    page.fill("#admission-contact_email", "els@zorgcollege.example")
    page.fill("#admission-signatory_name", "Piet Bos")
    page.fill("#admission-signatory_title", "Director")
    page.fill("#admission-responsibility", "Hosts the care-technology lab")
    page.click("#admissions form button[type=submit]")
    assert "zorgcollege" in page.inner_text(".flash").lower()
    for partner in PARTNERS:
        page.click(f"#admission-zorgcollege >> text=Approve for {partner}")
    assert "Zorgcollege Noord" in page.inner_text("#partners")
    page.locator("#partners").scroll_into_view_if_needed()
    shot(page, "10-partner-admitted")
