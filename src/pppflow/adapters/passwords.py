"""Password hashing behind a small interface: argon2id (imported on first use), with the work made explicit.

`Argon2Hasher()` uses argon2-cffi's recommended parameters; `Argon2Hasher.cheap()` runs the same code path with a
thousandth of the work, for tests. Nothing is hashed at import: the hash a login of an unknown user is checked
against (so that it takes as long as a known one) is made on first use.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    @property
    def dummy_hash(self) -> str: ...


class Argon2Hasher:
    """argon2id; keyword arguments are argon2-cffi's (`time_cost`, `memory_cost`, `parallelism`)."""

    def __init__(self, **parameters: int) -> None:
        self.parameters: dict[str, Any] = parameters

    @classmethod
    def cheap(cls) -> Argon2Hasher:
        """Test parameters: the same code path, a thousandth of the work."""
        return cls(time_cost=1, memory_cost=8, parallelism=1)

    @cached_property
    def _hasher(self) -> Any:
        from argon2 import PasswordHasher as Argon2

        return Argon2(**self.parameters)

    def hash(self, password: str) -> str:
        return str(self._hasher.hash(password))

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether the password matches; False for a wrong password or a value that is not an argon2 hash."""
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    @cached_property
    def dummy_hash(self) -> str:
        """Verified against when the username is unknown, so a login takes as long whether or not the user exists."""
        return self.hash("not a password of anyone")
