"""Wire the adapters from the settings: what entrypoints (CLI, flows, web) call to get a unit of work."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from pppflow.adapters.unit_of_work import SqlUnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry, load_registry
from pppflow.config import get_settings


def unit_of_work() -> SqlUnitOfWork:
    """A unit of work on the configured database, migrated to the newest schema on first use."""
    from pppflow.adapters.database import session_factory

    return SqlUnitOfWork(session_factory(get_settings().database_url))


@lru_cache(maxsize=1)
def lifecycles() -> LifecycleRegistry:
    return load_registry(get_settings().workflows_dir)


def utcnow() -> datetime:
    """The clock, read only at the edge: entrypoints pass it into services as `now`."""
    return datetime.now(timezone.utc)


def document_store():  # type: ignore[no-untyped-def]
    """Generated agreements under $PPPFLOW_HOME/documents."""
    from pppflow.adapters.document_store import FileDocumentStore

    return FileDocumentStore(get_settings().documents_dir)


def agreement_renderer():  # type: ignore[no-untyped-def]
    """The shipped templates, or the organisation's own ($PPPFLOW_TEMPLATES_DIR, sandboxed)."""
    from pppflow.adapters.agreement_documents import WeasyAgreementRenderer

    return WeasyAgreementRenderer(get_settings().templates_dir)


def mailer():  # type: ignore[no-untyped-def]
    """SMTP when PPPFLOW_SMTP_HOST is set; otherwise the embedded default, one .eml file per message under
    $PPPFLOW_HOME/outbox. The password goes to the SMTP login only, never into a log or a repr."""
    from pppflow.adapters.mail import FileMailer, SmtpMailer

    s = get_settings()
    if s.smtp_host:
        return SmtpMailer(s.smtp_host, s.smtp_port, s.smtp_starttls, s.smtp_user, s.smtp_password)
    return FileMailer(s.outbox_dir)


def account_store():  # type: ignore[no-untyped-def]
    """Users and API tokens in the configured database."""
    from pppflow.adapters.accounts import SqlAccountStore
    from pppflow.adapters.database import session_factory

    return SqlAccountStore(session_factory(get_settings().database_url))


@lru_cache(maxsize=1)
def assessment_files():  # type: ignore[no-untyped-def]
    """Maturity frameworks and health policies: shipped, plus $PPPFLOW_WORKFLOWS_DIR/maturity|health/."""
    from pppflow.adapters.assessment_files import AssessmentFiles

    return AssessmentFiles(get_settings().workflows_dir)


def report_renderer():  # type: ignore[no-untyped-def]
    """Reports through the agreements' Jinja2 + WeasyPrint pipeline (the shipped report templates)."""
    from pppflow.adapters.report_documents import WeasyReportRenderer

    return WeasyReportRenderer()
