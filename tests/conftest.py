"""Fixtures shared by every tier."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from pppflow.adapters.workflow_files import LifecycleRegistry, load_registry

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def example_raw() -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / "smart-industry-pact.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def spec(example_raw: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the example spec."""
    return copy.deepcopy(example_raw)


@pytest.fixture(scope="session")
def lifecycles() -> LifecycleRegistry:
    return load_registry()


@pytest.fixture
def now() -> datetime:
    return NOW
