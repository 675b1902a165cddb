"""Writing documents: atomic replace, YAML or JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pppflow.errors import BadInput


def dump_document(data: Any, fmt: str) -> str:
    """A spec as YAML (dates stay dates) or JSON (dates as ISO strings)."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False,
                          default=lambda v: v.isoformat() if isinstance(v, date) else str(v)) + "\n"
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    raise BadInput(f"unknown format {fmt!r}", details=["use yaml or json"])


def atomic_write_text(path: Path, text: str) -> None:
    """Write text atomically (see atomic_write_bytes)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    from pppflow.adapters.document_store import write_atomically

    try:
        write_atomically(path.expanduser(), data)
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None
