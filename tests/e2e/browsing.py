"""What the browser tests share: Debian's Chromium through Playwright, `pppflow web` with an admin account, the
screenshots and the accessibility check. The fixtures `browser` and `server` are offered to tests/e2e by its
conftest.py; a test module that needs a different server (another environment) defines its own `server` with
`servers.web_server`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from servers import pppflow_env, run_pppflow, web_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).parent / "screenshots"
AXE = Path(__file__).parent / "axe" / "axe.min.js"  # axe-core 4.14.1 from the npm registry (MPL-2.0, LICENSE beside it)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "a long enough password"
REF = "smart-industry-technician-pact"
PARTNERS = ("noorderpoort", "hanze", "techbedrijf", "provincie")

BROWSER_TEST = [pytest.mark.browser, pytest.mark.slow,
                pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                   reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")]


@pytest.fixture
def browser() -> Iterator[Any]:
    """Chromium (headless), closed after the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`pppflow web` on a free loopback port over tmp_path/home, with the admin account marieke."""
    env = pppflow_env(tmp_path / "home")
    add_admin(env)
    with web_server(env, tmp_path / "web.log") as base:
        yield base


def add_admin(env: dict[str, str]) -> None:
    add = run_pppflow(env, "user", "add", "marieke", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert add.returncode == 0, add.stderr


def accessible(page: Any) -> None:
    """axe-core injected into the page: zero WCAG 2.1 AA violations, each one named if there are any."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # evaluated, not a <script>: the CSP stays as served
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    found = [f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(
        " ".join(n["target"]) + f" [{(n.get('failureSummary') or '').splitlines()[-1:]}]" for n in v["nodes"][:5])
        for v in result["violations"]]
    assert not found, f"{page.url}:\n" + "\n".join(found)


def screenshot(page: Any, name: str) -> None:
    """A full-page screenshot for people to look at (tests/e2e/screenshots/NAME.png)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def shot(page: Any, name: str) -> None:
    """A screenshot, and the accessibility check of the page as it is."""
    screenshot(page, name)
    accessible(page)
