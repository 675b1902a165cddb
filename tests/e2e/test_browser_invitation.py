"""An invited partner in the browser: the administrator invites by e-mail on the users page, the mail arrives at a
real SMTP server (aiosmtpd), the partner follows the link from the received mail, sets a password, lands logged in
and attaches evidence to its own obligation. Debian's Chromium through Playwright against `pppflow web`.

Screenshots in tests/e2e/screenshots/ (invite-*.png).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from factories import FIXTURES

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "a long enough password"
REF = "smart-industry-technician-pact"

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")]


@dataclass
class Inbox:
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    port = _free_port()
    box = Inbox()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    yield box, port
    smtp.stop()


@pytest.fixture
def server(tmp_path: Path, inbox: tuple[Inbox, int]) -> Iterator[str]:
    """`pppflow web` on a free port, mailing through the aiosmtpd sink, its links under its own address."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PPPFLOW_HOME": str(tmp_path / "home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PPPFLOW_SMTP_HOST": "127.0.0.1", "PPPFLOW_SMTP_PORT": str(inbox[1]), "PPPFLOW_SMTP_STARTTLS": "false",
           "PPPFLOW_BASE_URL": base, "PPPFLOW_MAIL_FROM": "pppflow <noreply@pppflow.example>"}
    env.pop("PPPFLOW_DATABASE_URL", None)
    for args, stdin in ((["user", "add", "marieke", "--role", "admin", "--password-stdin"], PASSWORD + "\n"),
                        (["partnership", "import", str(FIXTURES / "smart-industry-pact.yaml")], None)):
        done = subprocess.run([sys.executable, "-m", "pppflow", *args], input=stdin, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    proc = subprocess.Popen([sys.executable, "-m", "pppflow", "web", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "pppflow web did not start within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


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
