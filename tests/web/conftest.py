"""Fixtures of the web tests: the app with a user per role (see webapp.py), and cheap password hashing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from pppflow.services import accounts
from webapp import close, make_web


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with test parameters: the same code path, a thousandth of the work."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def web(tmp_path: Path) -> Any:
    w = make_web(tmp_path)
    yield w
    close(w)
