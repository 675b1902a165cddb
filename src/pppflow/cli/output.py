"""Presenting results: Rich tables for people, JSON for scripts, errors on stderr."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from rich.console import Console

from pppflow.config import columns_set

# Piped output is not cut to 80 columns: references and reasons must stay whole for scripts and logs.
_WIDTH = None if sys.stdout.isatty() or columns_set() else 160
console = Console(highlight=False, width=_WIDTH)
err_console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 160)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    """Write `data` as JSON on stdout, unstyled so that scripts can parse it."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_plain) + "\n")


def escape(text: object) -> str:
    """Rich markup escaped: user text is shown literally."""
    from rich.markup import escape as rich_escape

    return rich_escape(str(text))


def print_error(message: str, details: list[str]) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}")
    for line in details:
        err_console.print(f"  - {escape(line)}")
