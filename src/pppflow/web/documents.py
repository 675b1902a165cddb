"""Documents that cross the web boundary: uploads read within the app's limits, parsed by `documents_io`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request, UploadFile
from starlette.concurrency import run_in_threadpool

from pppflow.config import Settings
from pppflow.documents_io import dump_document, parse_document
from pppflow.errors import BadInput

__all__ = ["InputLimits", "dump_document", "limits_of", "read_spec", "read_upload"]


@dataclass(frozen=True)
class InputLimits:
    """How many bytes a document (spec, report) and a request carrying a PDF may have."""

    document_bytes: int
    upload_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        return cls(settings.max_document_bytes, settings.max_upload_bytes)


def limits_of(request: Request) -> InputLimits:
    """The app's limits (set by create_app)."""
    limits: InputLimits = request.app.state.limits
    return limits


async def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded file's bytes; BadInput if it is empty or larger than `limit`."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"{file.filename or 'the file'} is too large", details=[f"at most {limit:,} bytes"])
    if not data:
        raise BadInput(f"{file.filename or 'the file'} is empty")
    return data


async def read_spec(request: Request, data: bytes | str, name: str = "", *, as_json: bool | None = None) -> Any:
    """A document parsed (bounded) in a worker thread, so the event loop keeps answering meanwhile."""
    limit = limits_of(request).document_bytes
    return await run_in_threadpool(lambda: parse_document(data, name, limit=limit, as_json=as_json))
