"""What every request acts through: the same adapters and services the CLI uses, wired once per app."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from fastapi import Request

from pppflow.adapters.accounts import AccountStore, SqlAccountStore
from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.adapters.audit_anchor import CheckpointStore, FileCheckpointStore
from pppflow.adapters.db.unit_of_work import SqlUnitOfWork, UnitOfWork
from pppflow.adapters.documents.agreements import AgreementRenderer
from pppflow.adapters.documents.store import DocumentStore
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.config import Settings


@dataclass(frozen=True)
class Desk:
    """The wiring of one app: units of work, lifecycles, documents, accounts, the clock and the cookie keys."""

    uow_factory: Callable[[], UnitOfWork]
    lifecycles: LifecycleRegistry
    renderer: AgreementRenderer
    store: DocumentStore
    accounts: AccountStore
    secret_key: str = field(repr=False)
    clock: Callable[[], datetime]
    cookie_secure: bool | None = None
    checkpoints: CheckpointStore | None = None  # the audit key and checkpoint log, apart from the database
    mailer: Any = None  # the configured mail transport (SMTP or the outbox folder): invitations, "send again"
    base_url: str = "http://127.0.0.1:8000"
    mail_from: str = "pppflow@localhost"
    evidence_max_bytes: int = 10 * 1024 * 1024

    signature_policy: Any = None  # services.agreement_signatures.SignaturePolicy: timestamps, seal, trust list
    assessments: AssessmentFiles | None = None   # maturity frameworks and health policies
    report_renderer: Any = None                    # reports (None: WeasyPrint; tests pass a fake)

    def outgoing_mail(self) -> Any:
        """The mail transport an admin's "send again" uses."""
        if self.mailer is not None:
            return self.mailer
        from pppflow.bootstrap import mailer

        return mailer()

    @property
    def assessment_files(self) -> AssessmentFiles:
        return self.assessments or AssessmentFiles()

    def uow(self) -> UnitOfWork:
        return self.uow_factory()

    def now(self) -> datetime:
        return self.clock()

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> Desk:
        """Wire from the settings; keyword arguments replace any part (tests pass fakes)."""
        from pppflow.adapters.db.database import session_factory
        from pppflow.adapters.documents.agreements import WeasyAgreementRenderer
        from pppflow.adapters.documents.store import FileDocumentStore
        from pppflow.adapters.workflow_files import load_registry
        from pppflow.bootstrap import mailer_for, signature_policy, utcnow

        sessions = session_factory(settings.database_url)
        parts: dict[str, Any] = {
            "uow_factory": lambda: SqlUnitOfWork(sessions),
            "lifecycles": overrides.pop("lifecycles", None) or load_registry(settings.workflows_dir),
            "renderer": overrides.pop("renderer", None) or WeasyAgreementRenderer(settings.templates_dir),
            "store": overrides.pop("store", None) or FileDocumentStore(settings.documents_dir),
            "accounts": SqlAccountStore(sessions),
            "secret_key": settings.secret_key or session_secret(settings),
            "clock": utcnow,
            "cookie_secure": settings.cookie_secure,
            "checkpoints": FileCheckpointStore(settings.audit_key_file, settings.audit_checkpoint_log),
            "mailer": overrides.pop("mailer", None) or mailer_for(settings),
            "base_url": settings.base_url,
            "mail_from": settings.mail_from,
            "evidence_max_bytes": settings.evidence_max_bytes,
            "signature_policy": overrides.pop("signature_policy", None) or signature_policy(settings),
            "assessments": AssessmentFiles(settings.workflows_dir),
        }
        return replace(cls(**parts), **overrides)


def session_secret(settings: Settings) -> str:
    """The key that signs sessions: kept in $PPPFLOW_HOME/secret_key (mode 0600), made on first start."""
    path = settings.secret_key_file
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


async def desk_of(request: Request) -> Desk:
    """The app's desk (a FastAPI dependency; async because it does no I/O, so it runs without a thread)."""
    desk: Desk = request.app.state.desk
    return desk
