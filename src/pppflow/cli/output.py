"""Presenting results: Rich tables for people, JSON for scripts, errors on stderr."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pppflow.config import columns_set


class _Deferred:
    """A Rich console made (and Rich imported) on first use: a `--json` command never loads Rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def real(self) -> Any:
        """The Rich console itself, for what needs the object (a Progress display)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


# Piped output is not cut to 80 columns: references and reasons must stay whole for scripts and logs.
_WIDTH = None if sys.stdout.isatty() or columns_set() else 160
console: Any = _Deferred(highlight=False, width=_WIDTH)
err_console: Any = _Deferred(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 160)


def _plain(value: Any) -> Any:
    """The JSON value of what `json` cannot write, as pydantic writes it in the API (UTC as `Z`, exact decimals)."""
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # an exact string, as the API writes it
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    """Write `data` as JSON on stdout, unstyled so that scripts can parse it."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_plain) + "\n")


def print_read(model: Any, data: Any) -> None:
    """`data` (or a list of it) through its read schema in services/read_models: the JSON the API answers with."""
    from pppflow.services.read_models import as_json

    print_json(as_json(model, data))


def escape(text: object) -> str:
    """Rich markup escaped: user text is shown literally."""
    from rich.markup import escape as rich_escape

    return rich_escape(str(text))


def print_error(message: str, details: list[str]) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}")
    for line in details:
        err_console.print(f"  - {escape(line)}")
