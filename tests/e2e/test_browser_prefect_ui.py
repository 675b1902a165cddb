"""`pppflow serve --port N`: the Prefect UI on port N talks to the API on port N and lists the deployments.

Debian's Chromium through Playwright. The Prefect server is slow to start on a busy machine: readiness is polled
(the health check answering, the deployments registered) up to a generous bound, never waited for a fixed time.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from pppflow.flows.runtime import healthy

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
STARTUP_BOUND_S = 300  # Prefect's server took 7-25 s on a quiet machine, minutes on a busy one
FLOWS = ("send_checkin_reminders", "send_renewal_notices", "generate_agreements", "produce_annual_reports")

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _deployments(api_url: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(f"{api_url}/deployments/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)  # type: ignore[no-any-return]


def _wait_for(what: str, ready: Any, serve: subprocess.Popen[str], output: list[str], deadline: float) -> None:
    while not ready():
        assert serve.poll() is None, f"serve stopped before {what}:\n" + "".join(output)
        assert time.monotonic() < deadline, f"no {what} within {STARTUP_BOUND_S} s:\n" + "".join(output)
        time.sleep(0.5)


def test_the_prefect_ui_on_the_served_port_lists_the_deployments(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    assert port != 4200
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PPPFLOW_"))}
    env.update(PPPFLOW_HOME=str(tmp_path / "home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    serve = subprocess.Popen([sys.executable, "-m", "pppflow", "serve", "--port", str(port), "--web-port", "0"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    assert serve.stdout is not None
    reader = threading.Thread(target=lambda: output.extend(serve.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    api_url = f"http://127.0.0.1:{port}/api"
    requested: list[str] = []
    try:
        deadline = time.monotonic() + STARTUP_BOUND_S
        _wait_for("Prefect API", lambda: healthy(api_url), serve, output, deadline)
        _wait_for("deployments", lambda: len(_deployments(api_url)) >= len(FLOWS), serve, output, deadline)

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.on("request", lambda request: requested.append(request.url))
                page.goto(f"http://127.0.0.1:{port}/deployments", wait_until="domcontentloaded", timeout=120_000)
                for flow in FLOWS:  # the UI read them from the API on this port
                    page.get_by_text(flow, exact=False).first.wait_for(timeout=120_000)
                SHOTS.mkdir(exist_ok=True)
                page.screenshot(path=str(SHOTS / "prefect-ui-deployments.png"), full_page=True)
                body = page.inner_text("body")
            finally:
                browser.close()
        assert "Can't connect to Server API" not in body
        assert any(url.startswith(f"{api_url}/") for url in requested)
        assert not [url for url in requested if ":4200" in url]
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=120)
        finally:
            if serve.poll() is None:
                serve.kill()
                serve.wait()
            reader.join(timeout=30)
            serve.stdout.close()
    out = "".join(output)
    assert serve.returncode == 0, out
    assert "stopped: the web app, the Prefect server and the schedules." in out
    assert "never awaited" not in out and "Traceback" not in out
    assert not healthy(api_url)
