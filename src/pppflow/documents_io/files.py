"""Files in and out: regular files only, read within a limit or in pieces, written atomically."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pppflow.documents_io.parsing import DEFAULT_MAX_BYTES, size_problem
from pppflow.errors import BadInput


def replace_file(target: Path, data: bytes) -> None:
    """A temporary file in the target's folder, fsync, then rename: nobody ever sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def writable_target(path: Path) -> Path:
    """`path` if it may be written: in an existing folder, and new or a regular file (not a link, device, FIFO)."""
    target = path.expanduser()
    if not target.parent.is_dir():
        raise BadInput(f"cannot write {path}: the folder {target.parent} does not exist",
                       details=["create it first; pppflow does not make folders for --out"])
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        kind = ("a symbolic link" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode) else
                "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise BadInput(f"cannot write {path}: it is {kind}", details=["--out writes only regular files"])
    return target


def write_out(path: Path, data: bytes | str) -> None:
    """Write a user's `--out` file atomically (see writable_target for what is refused)."""
    target = writable_target(path)
    try:
        replace_file(target, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None


def read_file(path: Path, *, limit: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` ('-' is standard input); a device, FIFO or folder is refused."""
    import sys

    if str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "standard input"
    else:
        with open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise size_problem(size, limit, str(path))
            data = fh.read(limit + 1)
        name = str(path)
    if len(data) > limit:
        raise size_problem(len(data), limit, name)
    return data


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """A regular file open for reading; anything else (a device, FIFO, folder, missing file) is BadInput."""
    try:  # O_NONBLOCK: opening a FIFO with no writer must not hang before it is refused
        fd = os.open(path.expanduser(), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise BadInput(f"no such file: {path}") from None
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BadInput(f"cannot read {path}: it is not a regular file",
                       details=["give a file; devices, FIFOs and folders are not read"])
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as fh:
        yield fh


def chunks(path: Path, size: int = 1024 * 1024) -> Iterator[bytes]:
    """A regular file in pieces of `size` bytes, for hashing without holding it all."""
    with open_regular(path) as fh:
        while piece := fh.read(size):
            yield piece


def file_sha256(path: Path) -> str:
    """The SHA-256 of a regular file, read in pieces (never held whole); anything else is BadInput."""
    import hashlib

    digest = hashlib.sha256()
    try:
        for piece in chunks(path):
            digest.update(piece)
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    return digest.hexdigest()
