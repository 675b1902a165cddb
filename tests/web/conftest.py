"""Fixtures of the web tests: the app with a user per role and cheap password hashing (see webapp.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from webapp import close, make_web


@pytest.fixture
def web(tmp_path: Path) -> Any:
    w = make_web(tmp_path)
    yield w
    close(w)
