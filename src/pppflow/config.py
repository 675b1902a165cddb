"""One Settings object, read from the environment once (`get_settings()`)."""

from __future__ import annotations

import os
from collections.abc import MutableMapping
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
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None


def _positive(name: str, value: int) -> int:
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}")
    return value


SMTP_SECURITY = ("starttls", "tls", "none")


def smtp_security_for(env: dict[str, str], port: int) -> str:
    """PPPFLOW_SMTP_SECURITY; unset: tls on port 465, starttls on 587, none on any other port (a local relay).

    The older PPPFLOW_SMTP_STARTTLS=true|false is still read when PPPFLOW_SMTP_SECURITY is unset.
    """
    value = (env.get("PPPFLOW_SMTP_SECURITY") or "").strip().lower()
    if value:
        if value not in SMTP_SECURITY:
            raise ConfigError(f"PPPFLOW_SMTP_SECURITY must be starttls, tls or none, got {value!r}")
        return value
    if env.get("PPPFLOW_SMTP_STARTTLS"):
        return "starttls" if _bool(env["PPPFLOW_SMTP_STARTTLS"], True) else "none"
    return {465: "tls", 587: "starttls"}.get(port, "none")


def _seconds(name: str, value: str | None, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {value!r}") from None
    if not 0 < seconds < 86400:
        raise ConfigError(f"{name} must be more than 0 and less than 86400 seconds, got {value!r}")
    return seconds


def _base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or " " in value:
        raise ConfigError(f"PPPFLOW_BASE_URL must be an http(s) address such as https://pppflow.example.org, "
                          f"got {value!r}")
    return value.rstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything pppflow reads from its environment."""

    home: Path
    database_url: str
    workflows_dir: Path | None = None
    templates_dir: Path | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | tls | none; default from the port (smtp_security_for)
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    mail_from: str = "pppflow@localhost"
    secret_key: str | None = field(default=None, repr=False)  # signs web sessions; else kept in $HOME/secret_key
    cookie_secure: bool | None = None  # None: Secure cookies when the request came over https
    web_threads: int = 4  # threads per web process for requests; more only helps a database over the network
    outbox_retention_days: int = 400  # sent mail older than this loses its text and recipients (the key stays)
    audit_checkpoint_to: str | None = None  # mail each checkpoint of the audit chain here (through the outbox)
    fault_at: str | None = None  # fault-injection tests only: the named point where the process kills itself
    render_time_limit: float = 60.0  # seconds one PDF layout may take before its worker process is killed
    base_url: str = "http://127.0.0.1:8000"  # the public address of the web app: every link in a mail starts here
    evidence_max_bytes: int = 10 * 1024 * 1024  # the largest evidence file accepted
    max_document_bytes: int = 2 * 1024 * 1024  # a spec, progress report or admission file (CLI, API, pages)
    max_upload_bytes: int = 20 * 1024 * 1024  # a request body carrying a PDF to verify
    tsa_url: str | None = None  # an RFC 3161 timestamp service: PAdES B-T instead of B-B
    trust_roots: Path | None = None  # PEM certificates that signatures are checked against
    seal_p12: Path | None = None  # the desk's own certificate: seals executed copies
    seal_passphrase: str | None = field(default=None, repr=False)
    actor: str | None = None  # PPPFLOW_ACTOR: who the CLI acts as when --actor is not given (else the login name)
    debug: bool = False  # PPPFLOW_DEBUG: the CLI shows the traceback of an internal error

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
    def audit_key_file(self) -> Path:
        return self.home / "audit.key"

    @property
    def audit_checkpoint_log(self) -> Path:
        return self.home / "audit-checkpoints.log"

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
            smtp_security=smtp_security_for(env, _int("PPPFLOW_SMTP_PORT", env.get("PPPFLOW_SMTP_PORT"), 587)),
            smtp_user=env.get("PPPFLOW_SMTP_USER") or None,
            smtp_password=env.get("PPPFLOW_SMTP_PASSWORD") or None,
            mail_from=env.get("PPPFLOW_MAIL_FROM") or "pppflow@localhost",
            secret_key=env.get("PPPFLOW_SECRET_KEY") or None,
            cookie_secure=_bool(env["PPPFLOW_COOKIE_SECURE"], False) if env.get("PPPFLOW_COOKIE_SECURE") else None,
            audit_checkpoint_to=env.get("PPPFLOW_AUDIT_CHECKPOINT_TO") or None,
            fault_at=env.get("PPPFLOW_FAULT_AT") or None,
            outbox_retention_days=_positive("PPPFLOW_OUTBOX_RETENTION_DAYS", _int(
                "PPPFLOW_OUTBOX_RETENTION_DAYS", env.get("PPPFLOW_OUTBOX_RETENTION_DAYS"), 400)),
            base_url=_base_url(env.get("PPPFLOW_BASE_URL") or "http://127.0.0.1:8000"),
            tsa_url=env.get("PPPFLOW_TSA_URL") or None,
            seal_passphrase=env.get("PPPFLOW_SEAL_PASSPHRASE") or None,
            actor=env.get("PPPFLOW_ACTOR") or None,
            debug=bool(env.get("PPPFLOW_DEBUG")),
            web_threads=_positive("PPPFLOW_WEB_THREADS",
                                  _int("PPPFLOW_WEB_THREADS", env.get("PPPFLOW_WEB_THREADS"), 4)),
            render_time_limit=_seconds("PPPFLOW_RENDER_TIME_LIMIT", env.get("PPPFLOW_RENDER_TIME_LIMIT"), 60.0),
            evidence_max_bytes=_positive("PPPFLOW_EVIDENCE_MAX_BYTES", _int(
                "PPPFLOW_EVIDENCE_MAX_BYTES", env.get("PPPFLOW_EVIDENCE_MAX_BYTES"), 10 * 1024 * 1024)),
            max_document_bytes=_positive("PPPFLOW_MAX_DOCUMENT_BYTES", _int(
                "PPPFLOW_MAX_DOCUMENT_BYTES", env.get("PPPFLOW_MAX_DOCUMENT_BYTES"), 2 * 1024 * 1024)),
            max_upload_bytes=_positive("PPPFLOW_MAX_UPLOAD_BYTES", _int(
                "PPPFLOW_MAX_UPLOAD_BYTES", env.get("PPPFLOW_MAX_UPLOAD_BYTES"), 20 * 1024 * 1024)),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings.from_environ()


def columns_set() -> bool:
    """Whether COLUMNS says how wide the terminal is (Rich reads it; without it piped output is made wide)."""
    return bool(os.environ.get("COLUMNS"))


def environ_for_prefect() -> MutableMapping[str, str]:
    """The environment Prefect reads its own settings from (PREFECT_*): pppflow sets its defaults there before
    Prefect is imported, and points it at a running server. Only this module touches the environment."""
    return os.environ
