"""Where generated documents live: a folder with atomic writes, and an in-memory fake."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path, PurePosixPath
from typing import Protocol

from pppflow.errors import BadInput, NotFound


class DocumentStore(Protocol):
    def put(self, path: str, data: bytes) -> None: ...
    def get(self, path: str) -> bytes: ...
    def delete(self, path: str) -> None: ...
    def exists(self, path: str) -> bool: ...
    def listing(self, folder: str) -> list[str]: ...
    def locked(self, folder: str) -> AbstractContextManager[None]: ...


LOCK_NAME = ".generation.lock"


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

    def _folder(self, full: Path) -> Path:
        """A folder, made if missing; the documents folder itself only its owner may enter (0700)."""
        if not self.root.is_dir():
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        full.mkdir(mode=0o700, parents=True, exist_ok=True)
        return full

    def put(self, path: str, data: bytes) -> None:
        target = self._full(path)
        self._folder(target.parent)
        write_atomically(target, data)

    def listing(self, folder: str) -> list[str]:
        """Every file in the folder (temporary ones of an interrupted write too, not the lock), as store paths."""
        full = self._full(folder)
        if not full.is_dir():
            return []
        return sorted(f"{_safe(folder).as_posix()}/{p.name}" for p in full.iterdir()
                      if p.is_file() and p.name != LOCK_NAME)

    @contextmanager
    def locked(self, folder: str) -> Iterator[None]:
        """An exclusive lock on the folder across processes (released by the system if the holder is killed)."""
        import fcntl

        with open(self._folder(self._full(folder)) / LOCK_NAME, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

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
            raise OSError(errno.ENOSPC, "No space left on device")
        self.files[path] = bytes(data)

    def get(self, path: str) -> bytes:
        if path not in self.files:
            raise NotFound(f"document {path!r} is missing from the document store")
        return self.files[path]

    def delete(self, path: str) -> None:
        self.files.pop(path, None)

    def exists(self, path: str) -> bool:
        return path in self.files

    def listing(self, folder: str) -> list[str]:
        prefix = _safe(folder).as_posix() + "/"
        return sorted(p for p in self.files if p.startswith(prefix) and "/" not in p[len(prefix):])

    def locked(self, folder: str) -> AbstractContextManager[None]:
        return nullcontext()
