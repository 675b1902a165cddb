"""Documents that cross the web boundary: uploaded YAML, JSON and PDF files in, spec documents out."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import UploadFile

from pppflow.errors import BadInput

MAX_SPEC_BYTES = 512 * 1024
MAX_PDF_BYTES = 50 * 1024 * 1024


async def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded file's bytes; BadInput if it is empty or larger than `limit`."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"{file.filename or 'the file'} is too large", details=[f"at most {limit // 1024} KiB"])
    if not data:
        raise BadInput(f"{file.filename or 'the file'} is empty")
    return data


def parse_document(data: bytes | str, name: str = "") -> Any:
    """A YAML or JSON document (JSON is YAML too; a `.json` name is parsed strictly as JSON)."""
    import yaml

    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise BadInput(f"{name or 'the document'} is not UTF-8 text") from None
    strict_json = name.lower().endswith(".json")
    try:
        return json.loads(text) if strict_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if strict_json else "YAML"
        raise BadInput(f"{name or 'the document'} is not valid {kind}", details=[str(exc).replace("\n", " ")]) from None


def dump_document(data: Any, fmt: str) -> str:
    """A spec (from `partnership_to_spec`) as JSON, dates as ISO strings, or as YAML, as the CLI writes it."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False,
                          default=lambda v: v.isoformat() if isinstance(v, date) else str(v)) + "\n"
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
