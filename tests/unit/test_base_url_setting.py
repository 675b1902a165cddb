"""PPPFLOW_BASE_URL: the public address every link in a mail starts with."""

from __future__ import annotations

import pytest

from pppflow.config import Settings
from pppflow.errors import ConfigError


def test_default_and_configured_base_url() -> None:
    assert Settings.from_environ({"PPPFLOW_HOME": "/tmp/x"}).base_url == "http://127.0.0.1:8000"
    configured = Settings.from_environ({"PPPFLOW_HOME": "/tmp/x", "PPPFLOW_BASE_URL": "https://pppflow.example.org/"})
    assert configured.base_url == "https://pppflow.example.org"  # no trailing slash: links add their own path


def test_a_base_url_that_is_not_an_http_address_is_refused() -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_environ({"PPPFLOW_HOME": "/tmp/x", "PPPFLOW_BASE_URL": "pppflow.example.org"})
    assert "PPPFLOW_BASE_URL" in err.value.message
