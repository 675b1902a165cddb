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


def test_prefects_home_is_made_in_a_fresh_pppflow_home(tmp_path: Path) -> None:
    from pppflow.flows.runtime import prefect_environment

    env: dict[str, str] = {}
    prefect_environment(tmp_path / "fresh" / "home", env)
    assert env["PREFECT_HOME"] == str(tmp_path / "fresh" / "home" / "prefect")
    assert (tmp_path / "fresh" / "home" / "prefect").is_dir()
