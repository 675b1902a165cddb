"""An invited partner in the browser: the administrator invites by e-mail on the users page, the mail arrives at a
real SMTP server (aiosmtpd), the partner follows the link from the received mail, sets a password, lands logged in
and attaches evidence to its own obligation. Debian's Chromium through Playwright against `pppflow web`.

Screenshots in tests/e2e/screenshots/ (invite-*.png).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from browsing import BROWSER_TEST, PASSWORD, REF, add_admin
from browsing import screenshot as shot
from factories import FIXTURES
from servers import free_port, pppflow_env, run_pppflow, web_server

pytestmark = BROWSER_TEST


@dataclass
class Inbox:
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    port = free_port()
    box = Inbox()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    yield box, port
    smtp.stop()


@pytest.fixture
def server(tmp_path: Path, inbox: tuple[Inbox, int]) -> Iterator[str]:
    """`pppflow web` on a free port, mailing through the aiosmtpd sink, its links under its own address."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = pppflow_env(tmp_path / "home", PPPFLOW_SMTP_HOST="127.0.0.1", PPPFLOW_SMTP_PORT=str(inbox[1]),
                      PPPFLOW_SMTP_STARTTLS="false", PPPFLOW_BASE_URL=base,
                      PPPFLOW_MAIL_FROM="pppflow <noreply@pppflow.example>")
    add_admin(env)
    done = run_pppflow(env, "partnership", "import", str(FIXTURES / "smart-industry-pact.yaml"))
    assert done.returncode == 0, done.stderr
    with web_server(env, tmp_path / "web.log", port=port) as url:
        yield url


def test_an_invited_partner_follows_the_mailed_link_sets_a_password_and_is_logged_in(
        server: str, browser: Any, inbox: tuple[Inbox, int], tmp_path: Path) -> None:
    admin = browser.new_page(viewport={"width": 1366, "height": 900})
    admin.goto(f"{server}/login")
    admin.fill("#username", "marieke")
    admin.fill("#password", PASSWORD)
    admin.click("main button[type=submit]")
    admin.wait_for_url(f"{server}/")
    admin.goto(f"{server}/admin/users")
    admin.fill("#invite-email", "e.mulder@hanze.example")
    admin.fill("#invite-name", "Erik Mulder")
    admin.select_option("#invite-role", "partner")
    admin.fill("#invite-organisation", "hanze")
    shot(admin, "invite-1-form")
    admin.click("text=Send invitation")
    admin.wait_for_url(f"{server}/admin/users")
    assert "Invited e.mulder@hanze.example: the invitation mail was sent." in admin.inner_text(".flash")

    [mail] = inbox[0].received
    assert mail["To"].addresses[0].addr_spec == "e.mulder@hanze.example"
    link = re.search(rf"{re.escape(server)}/invitations/[A-Za-z0-9_-]+", mail.get_body(("plain",)).get_content())
    assert link, mail.get_body(("plain",)).get_content()

    partner = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    partner.goto(link.group(0))
    assert "Choose your password" in partner.inner_text("h1")
    assert "e.mulder@hanze.example" in partner.inner_text("main")
    partner.fill("#password", "mijn nieuwe wachtwoord")
    partner.fill("#repeat", "mijn nieuwe wachtwoord")
    shot(partner, "invite-2-choose-password")
    partner.click("text=Set password and log in")
    partner.wait_for_url(f"{server}/")
    assert "Welcome, Erik Mulder" in partner.inner_text(".flash")
    assert "e.mulder@hanze.example · partner (hanze)" in partner.inner_text(".who")
    shot(partner, "invite-3-logged-in")

    report = tmp_path / "onderzoeksverslag.pdf"
    report.write_bytes(b"%PDF-1.7\n% voortgang onderzoekslijn\n%%EOF\n")
    partner.goto(f"{server}/partnerships/{REF}#obligation-research")
    partner.click("#obligation-research summary:has-text('Attach a file')")
    partner.set_input_files("#file-research", str(report))
    partner.click("#obligation-research button:has-text('Attach')")
    partner.wait_for_url(f"{server}/partnerships/{REF}")
    assert "Attached onderzoeksverslag.pdf to research" in partner.inner_text(".flash")
    assert "onderzoeksverslag.pdf" in partner.inner_text("#obligation-research")
    shot(partner, "invite-4-evidence-attached")

    again = browser.new_context().new_page()
    again.goto(link.group(0))
    assert "used already" in again.inner_text(".alert")
    shot(again, "invite-5-link-used")
