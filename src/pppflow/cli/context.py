"""Shared options and the wiring every command uses."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer

from pppflow.errors import BadInput

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
ActorOption = Annotated[str | None, typer.Option(
    "--actor", help="Who does this (default: $PPPFLOW_ACTOR or your login).")]


def actor_name(actor: str | None) -> str:
    if actor and actor.strip():
        return actor.strip()
    from pppflow.config import get_settings

    configured = get_settings().actor  # PPPFLOW_ACTOR
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers (no passwd entry for the uid)
        return "unknown"


def read_document(path: Path) -> Any:
    """A YAML or JSON document from a file ('-' is standard input), bounded (`documents_io`); else BadInput."""
    from pppflow.config import get_settings
    from pppflow.documents_io import parse_document, read_file

    limit = get_settings().max_document_bytes
    name = "standard input" if str(path) == "-" else str(path)
    return parse_document(read_file(path, limit=limit), name, limit=limit)


def parse_day(text: str | None, option: str) -> Any:
    """A `YYYY-MM-DD` option as a date (None stays None); anything else is BadInput (exit 2)."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"{option} must be a date (YYYY-MM-DD), not {text!r}") from None
