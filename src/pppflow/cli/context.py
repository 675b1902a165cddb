"""Shared options and the wiring every command uses."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from pppflow.errors import BadInput

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
ActorOption = Annotated[str | None, typer.Option("--actor", help="Who does this (default: $PPPFLOW_ACTOR or your login).")]


def actor_name(actor: str | None) -> str:
    if actor and actor.strip():
        return actor.strip()
    env = os.environ.get("PPPFLOW_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def read_document(path: Path) -> Any:
    """A YAML or JSON document from a file ('-' is standard input); unreadable input is BadInput."""
    import sys

    import yaml

    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read {path}: {exc}") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise BadInput(f"{path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}",
                       details=[str(exc).replace("\n", " ")]) from None


def parse_day(text: str | None, option: str) -> Any:
    """A `YYYY-MM-DD` option as a date (None stays None); anything else is BadInput (exit 2)."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"{option} must be a date (YYYY-MM-DD), not {text!r}") from None
