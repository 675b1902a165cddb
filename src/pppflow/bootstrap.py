"""Wire the adapters from the settings: what entrypoints (CLI, flows, web) call to get a unit of work."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from pppflow.config import Settings, get_settings

if TYPE_CHECKING:  # a command imports what it wires: `partnership list` compiles no lifecycle
    from pppflow.adapters.accounts import SqlAccountStore
    from pppflow.adapters.assessment_files import AssessmentFiles
    from pppflow.adapters.audit_anchor import FileCheckpointStore
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
    from pppflow.adapters.documents.agreements import WeasyAgreementRenderer
    from pppflow.adapters.documents.reports import WeasyReportRenderer
    from pppflow.adapters.documents.store import FileDocumentStore
    from pppflow.adapters.mail import FileMailer, SmtpMailer
    from pppflow.adapters.workflow_files import LifecycleRegistry
    from pppflow.domain.audit_checkpoint import Checkpoint
    from pppflow.services.agreement_signatures import SignaturePolicy


def unit_of_work() -> SqlUnitOfWork:
    """A unit of work on the configured database, migrated to the newest schema on first use."""
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork

    return SqlUnitOfWork(session_factory(get_settings().database_url))


@lru_cache(maxsize=1)
def lifecycles() -> LifecycleRegistry:
    from pppflow.adapters.workflow_files import load_registry

    return load_registry(get_settings().workflows_dir)


def utcnow() -> datetime:
    """The clock, read only at the edge: entrypoints pass it into services as `now`."""
    return datetime.now(UTC)


def document_store() -> FileDocumentStore:
    """Generated agreements under $PPPFLOW_HOME/documents."""
    from pppflow.adapters.documents.store import FileDocumentStore

    return FileDocumentStore(get_settings().documents_dir)


def agreement_renderer() -> WeasyAgreementRenderer:
    """The shipped templates, or the organisation's own ($PPPFLOW_TEMPLATES_DIR, sandboxed)."""
    from pppflow.adapters.documents.agreements import WeasyAgreementRenderer

    return WeasyAgreementRenderer(get_settings().templates_dir)


def mailer() -> SmtpMailer | FileMailer:
    """SMTP when PPPFLOW_SMTP_HOST is set; otherwise the embedded default, one .eml file per message under
    $PPPFLOW_HOME/outbox. The password goes to the SMTP login only, never into a log or a repr."""
    return mailer_for(get_settings())


def mailer_for(s: Settings) -> SmtpMailer | FileMailer:
    """The mailer of these settings (see `mailer`)."""
    from pppflow.adapters.mail import FileMailer, SmtpMailer

    if s.smtp_host:
        return SmtpMailer(s.smtp_host, s.smtp_port, s.smtp_security, s.smtp_user, s.smtp_password)
    return FileMailer(s.outbox_dir)


def checkpoint_store() -> FileCheckpointStore:
    """The audit key and checkpoint log under $PPPFLOW_HOME, apart from the database."""
    from pppflow.adapters.audit_anchor import FileCheckpointStore

    s = get_settings()
    return FileCheckpointStore(s.audit_key_file, s.audit_checkpoint_log)


def write_audit_checkpoint() -> Checkpoint:
    """The daily checkpoint of the audit chain: logged, and mailed to PPPFLOW_AUDIT_CHECKPOINT_TO when set."""
    from pppflow.services.audit import write_checkpoint

    s = get_settings()
    return write_checkpoint(uow_factory=unit_of_work, store=checkpoint_store(), now=utcnow(), mailer=mailer(),
                            mail_to=s.audit_checkpoint_to, mail_from=s.mail_from)


def prune_outbox() -> int:
    """The daily job's pruning of sent mail older than PPPFLOW_OUTBOX_RETENTION_DAYS."""
    from pppflow.services.outbox import prune_sent

    return prune_sent(uow_factory=unit_of_work, now=utcnow(), retention_days=get_settings().outbox_retention_days)


def daily_audit_checkpoint() -> dict[str, object]:
    """The daily job's checkpoint: `{ok, seq}`, or `{ok: false, problem}` when the trail does not verify."""
    from pppflow.errors import PppflowError

    try:
        c = write_audit_checkpoint()
    except PppflowError as exc:
        return {"ok": False, "problem": exc.message}
    return {"ok": True, "seq": c.seq}


def account_store() -> SqlAccountStore:
    """Users and API tokens in the configured database."""
    from pppflow.adapters.accounts import SqlAccountStore
    from pppflow.adapters.db.database import session_factory

    return SqlAccountStore(session_factory(get_settings().database_url))


def signature_policy(settings: Settings | None = None) -> SignaturePolicy:
    """Timestamp service, seal certificate and trust list for PAdES signatures, from the settings (pyHanko lazily)."""
    from pppflow.services.agreement_signatures import SignaturePolicy

    s = settings or get_settings()
    seal = trust = None
    if s.seal_p12 or s.trust_roots:
        from pppflow.adapters.documents import pades
        from pppflow.errors import BadInput, ConfigError

        if s.seal_p12:
            try:
                seal = pades.load_signer(s.seal_p12.read_bytes(), (s.seal_passphrase or "").encode() or None)
            except (OSError, BadInput) as exc:
                raise ConfigError(f"PPPFLOW_SEAL_P12: cannot use {s.seal_p12} as the seal certificate",
                                  details=[str(exc)]) from None
        if s.trust_roots:
            trust = pades.load_trust_roots(s.trust_roots)
    return SignaturePolicy(tsa_url=s.tsa_url, seal=seal, trust_roots=trust)


@lru_cache(maxsize=1)
def assessment_files() -> AssessmentFiles:
    """Maturity frameworks and health policies: shipped, plus $PPPFLOW_WORKFLOWS_DIR/maturity|health/."""
    from pppflow.adapters.assessment_files import AssessmentFiles

    return AssessmentFiles(get_settings().workflows_dir)


def report_renderer() -> WeasyReportRenderer:
    """Reports through the agreements' Jinja2 + WeasyPrint pipeline (the shipped report templates)."""
    from pppflow.adapters.documents.reports import WeasyReportRenderer

    return WeasyReportRenderer(time_limit=get_settings().render_time_limit)
