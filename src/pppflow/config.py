"""One Settings object, read from the environment once (`get_settings()`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pppflow.errors import ConfigError


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("pppflow", appauthor=False))


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"expected true or false, got {value!r}")


def _int(name: str, value: str | None, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)  # type: ignore[arg-type]
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None


def _positive(name: str, value: int) -> int:
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything pppflow reads from its environment."""

    home: Path
    database_url: str
    workflows_dir: Path | None = None
    templates_dir: Path | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    mail_from: str = "pppflow@localhost"
    secret_key: str | None = field(default=None, repr=False)  # signs web sessions; else kept in $HOME/secret_key
    cookie_secure: bool | None = None  # None: Secure cookies when the request came over https
    web_threads: int = 4  # threads per web process for requests; more only helps a database over the network
    tsa_url: str | None = None  # an RFC 3161 timestamp service: PAdES B-T instead of B-B
    trust_roots: Path | None = None  # PEM certificates that signatures are checked against
    seal_p12: Path | None = None  # the desk's own certificate: seals executed copies
    seal_passphrase: str | None = field(default=None, repr=False)

    @property
    def documents_dir(self) -> Path:
        return self.home / "documents"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def secret_key_file(self) -> Path:
        return self.home / "secret_key"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_environ(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        home = Path(env.get("PPPFLOW_HOME") or _default_home()).expanduser()
        url = env.get("PPPFLOW_DATABASE_URL") or f"sqlite:///{home / 'pppflow.db'}"
        optional = {k: Path(env[v]).expanduser() if env.get(v) else None
                    for k, v in (("workflows_dir", "PPPFLOW_WORKFLOWS_DIR"), ("templates_dir", "PPPFLOW_TEMPLATES_DIR"),
                                 ("trust_roots", "PPPFLOW_TRUST_ROOTS"), ("seal_p12", "PPPFLOW_SEAL_P12"))}
        return cls(
            home=home, database_url=url, **optional,
            smtp_host=env.get("PPPFLOW_SMTP_HOST") or None,
            smtp_port=_int("PPPFLOW_SMTP_PORT", env.get("PPPFLOW_SMTP_PORT"), 587),
            smtp_starttls=_bool(env.get("PPPFLOW_SMTP_STARTTLS"), True),
            smtp_user=env.get("PPPFLOW_SMTP_USER") or None,
            smtp_password=env.get("PPPFLOW_SMTP_PASSWORD") or None,
            mail_from=env.get("PPPFLOW_MAIL_FROM") or "pppflow@localhost",
            secret_key=env.get("PPPFLOW_SECRET_KEY") or None,
            cookie_secure=_bool(env["PPPFLOW_COOKIE_SECURE"], False) if env.get("PPPFLOW_COOKIE_SECURE") else None,
            tsa_url=env.get("PPPFLOW_TSA_URL") or None,
            seal_passphrase=env.get("PPPFLOW_SEAL_PASSPHRASE") or None,
            web_threads=_positive("PPPFLOW_WEB_THREADS", _int("PPPFLOW_WEB_THREADS", env.get("PPPFLOW_WEB_THREADS"), 4)),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings.from_environ()
