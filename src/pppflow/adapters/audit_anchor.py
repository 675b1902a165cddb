"""Where audit checkpoints live outside the database: the key file and the append-only checkpoint log.

The key (`$PPPFLOW_HOME/audit.key`, 32 random bytes as hex) is created 0600 on first use, atomically: two
processes creating it at once end with one key. The log (`$PPPFLOW_HOME/audit-checkpoints.log`) gets one JSON line
per checkpoint, appended and fsynced.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pppflow.domain.audit_checkpoint import Checkpoint, parse_checkpoints
from pppflow.errors import ConfigError


class CheckpointStore(Protocol):
    """The signing key and the log of checkpoints, both kept apart from the database."""

    def key(self, *, create: bool = False) -> bytes | None: ...
    def append(self, checkpoint: Checkpoint) -> None: ...
    def logged(self) -> list[Checkpoint]: ...


@dataclass
class FileCheckpointStore:
    """`audit.key` and `audit-checkpoints.log` in a folder (normally $PPPFLOW_HOME)."""

    key_file: Path
    log_file: Path

    def key(self, *, create: bool = False) -> bytes | None:
        """The key's bytes; None when it does not exist and `create` is false."""
        try:
            text = self.key_file.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            if not create:
                return None
            self._create_key()
            text = self.key_file.read_text(encoding="ascii").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read the audit key {self.key_file}: {exc.strerror or exc}") from None
        try:
            return bytes.fromhex(text)
        except ValueError:
            raise ConfigError(f"the audit key {self.key_file} is not a key written by pppflow") from None

    def _create_key(self) -> None:
        self.key_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.key_file.parent, prefix=".audit.key.")  # mkstemp creates it 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):  # another process created the key first: keep theirs
                os.link(tmp, self.key_file)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def append(self, checkpoint: Checkpoint) -> None:
        """Add one line to the log (created 0600)."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(checkpoint.line() + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def logged(self) -> list[Checkpoint]:
        """Every checkpoint in the log; none when there is no log yet."""
        try:
            text = self.log_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return parse_checkpoints(text, str(self.log_file))


@dataclass
class FakeCheckpointStore:
    """In memory, for unit tests."""

    secret: bytes | None = None
    log: list[Checkpoint] = field(default_factory=list)

    def key(self, *, create: bool = False) -> bytes | None:
        if self.secret is None and create:
            self.secret = secrets.token_bytes(32)
        return self.secret

    def append(self, checkpoint: Checkpoint) -> None:
        self.log.append(checkpoint)

    def logged(self) -> list[Checkpoint]:
        return list(self.log)
