"""Where generated documents live: a folder with atomic writes, and an in-memory fake."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Protocol

from pppflow.errors import BadInput, NotFound


class DocumentStore(Protocol):
    def put(self, path: str, data: bytes) -> None: ...
    def get(self, path: str) -> bytes: ...
    def delete(self, path: str) -> None: ...
    def exists(self, path: str) -> bool: ...


def write_atomically(target: Path, data: bytes) -> None:
    """A temporary file in the same folder, fsync, then rename: nobody ever sees half a file."""
    from pppflow.documents_io import replace_file

    target.parent.mkdir(parents=True, exist_ok=True)
    replace_file(target, data)


def _safe(path: str) -> PurePosixPath:
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise BadInput(f"invalid document path {path!r}")
    return p


class FileDocumentStore:
    """Documents under a root folder; a write is a temporary file, fsync and rename, never half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _full(self, path: str) -> Path:
        return self.root.joinpath(*_safe(path).parts)

    def put(self, path: str, data: bytes) -> None:
        write_atomically(self._full(path), data)

    def get(self, path: str) -> bytes:
        try:
            return self._full(path).read_bytes()
        except FileNotFoundError:
            raise NotFound(f"document {path!r} is missing from the document store ({self.root})") from None

    def delete(self, path: str) -> None:
        self._full(path).unlink(missing_ok=True)

    def exists(self, path: str) -> bool:
        return self._full(path).is_file()


class FakeDocumentStore:
    """In memory, for unit tests; `fail_on_put` simulates a full disk."""

    def __init__(self, *, fail_on_put: bool = False) -> None:
        self.files: dict[str, bytes] = {}
        self.fail_on_put = fail_on_put

    def put(self, path: str, data: bytes) -> None:
        _safe(path)
        if self.fail_on_put:
            raise OSError("no space left on device")
        self.files[path] = bytes(data)

    def get(self, path: str) -> bytes:
        if path not in self.files:
            raise NotFound(f"document {path!r} is missing from the document store")
        return self.files[path]

    def delete(self, path: str) -> None:
        self.files.pop(path, None)

    def exists(self, path: str) -> bool:
        return path in self.files
