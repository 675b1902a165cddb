"""`serve --port N`: the Prefect server's UI calls its API on port N, not on Prefect's default 4200."""

from __future__ import annotations

from pathlib import Path

import pytest

from pppflow.flows.runtime import server_environment


def test_the_ui_api_url_follows_the_port_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://elsewhere:4200/api")
    env = server_environment(tmp_path, host="127.0.0.1", port=8743)
    assert "PREFECT_API_URL" not in env
    for key, value in env.items():
        if key.startswith("PREFECT_"):
            monkeypatch.setenv(key, value)
    monkeypatch.delenv("PREFECT_API_URL")
    from prefect.settings import Settings  # what the server process will read from that environment

    settings = Settings()
    assert settings.server.ui.api_url == "http://127.0.0.1:8743/api"
    assert settings.server.api.port == 8743
