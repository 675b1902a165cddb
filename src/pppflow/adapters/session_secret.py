"""The key that signs web sessions, kept in $PPPFLOW_HOME/secret_key (mode 0600), made on first start."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def session_secret(path: Path) -> str:
    """The key stored at `path`; made (random, 0600) when there is none, the first of two racing processes wins."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key
