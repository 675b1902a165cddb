"""Maturity frameworks (`workflows/maturity/*.yaml`) and health policies (`workflows/health/*.yaml`): the shipped
ones, extended or overridden by those in the organisation's `$PPPFLOW_WORKFLOWS_DIR/maturity|health/`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from pppflow.domain.health import HealthPolicy, parse_policy
from pppflow.domain.maturity import MaturityFramework, parse_framework
from pppflow.errors import BadInput, ConfigError, NotFound
from pppflow.resources import shipped_dir

T = TypeVar("T")
DEFAULT_FRAMEWORK = "kp2"
DEFAULT_POLICY = "default"


def _load(sub: str, extra_dir: Path | None, parse: Callable[..., T], key: Callable[[T], str]) -> dict[str, T]:
    found: dict[str, T] = {}
    for folder in (shipped_dir("workflows") / sub, extra_dir / sub if extra_dir else None):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            try:
                data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
                item = parse(data, source=str(path))
            except (OSError, yaml.YAMLError) as exc:
                raise ConfigError(f"{path}: cannot read: {exc}") from exc
            except BadInput as exc:
                raise ConfigError(exc.message, details=exc.details) from exc
            found[key(item)] = item
    return found


class AssessmentFiles:
    """The frameworks and policies, loaded once."""

    def __init__(self, extra_dir: Path | None = None) -> None:
        self.frameworks = _load("maturity", extra_dir, parse_framework, lambda f: f.key)
        self.policies = _load("health", extra_dir, parse_policy, lambda p: p.name)

    def framework(self, key: str | None = None) -> MaturityFramework:
        key = key or DEFAULT_FRAMEWORK
        if key not in self.frameworks:
            raise NotFound(f"no maturity framework {key!r}", details=[f"known: {', '.join(sorted(self.frameworks))}"])
        return self.frameworks[key]

    def policy(self, name: str | None = None) -> HealthPolicy:
        name = name or DEFAULT_POLICY
        if name not in self.policies:
            raise ConfigError(f"no health policy {name!r}", details=[f"known: {', '.join(sorted(self.policies))}"])
        return self.policies[name]
