"""The one wiring of adapters: `build_wiring(settings, **overrides)` gives the `Wiring` every entrypoint uses.

The CLI and the flows get theirs from `bootstrap.wiring()`, the web app keeps one per app (`app.state.desk`), and
the batch workers build their own in their process. Services never see this object: entrypoints pass them the
parts they need. Each part is built on first use, so a command pays only for what it touches (no WeasyPrint,
pyHanko or argon2 for `partnership list`); an override replaces a part before it is ever built.

This module reads the clock (`utcnow`): nothing else does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pppflow.config import Settings

if TYPE_CHECKING:
    from pppflow.adapters.accounts import AccountStore
    from pppflow.adapters.assessment_files import AssessmentFiles
    from pppflow.adapters.audit_anchor import CheckpointStore
    from pppflow.adapters.db.unit_of_work import UnitOfWork
    from pppflow.adapters.documents.agreements import AgreementRenderer
    from pppflow.adapters.documents.funder_report_files import ReportRenderer as FunderReportRenderer
    from pppflow.adapters.documents.reports import ReportRenderer
    from pppflow.adapters.documents.store import DocumentStore
    from pppflow.adapters.mail import Mailer
    from pppflow.adapters.passwords import PasswordHasher
    from pppflow.adapters.workflow_files import LifecycleRegistry
    from pppflow.services.agreement_signatures import SignaturePolicy


def utcnow() -> datetime:
    """The clock, read only at the edge: entrypoints pass it into services as `now`."""
    return datetime.now(UTC)


class Wiring:
    """The adapters of one process or app, built from the settings on first use; see `build_wiring`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # -- time ------------------------------------------------------------------------------------------------
    @cached_property
    def clock(self) -> Callable[[], datetime]:
        return utcnow

    def now(self) -> datetime:
        return self.clock()

    def day(self, as_of: date | None = None) -> date:
        """The day to work on: `as_of`, or today (UTC) when no date was given. The one place that decides it."""
        return as_of if as_of is not None else self.now().date()

    # -- data ------------------------------------------------------------------------------------------------
    @cached_property
    def uow_factory(self) -> Callable[[], UnitOfWork]:
        """A new unit of work on the configured database (migrated to the newest schema on first use)."""
        url = self.settings.database_url

        def sql_unit_of_work() -> UnitOfWork:
            from pppflow.adapters.db.database import session_factory
            from pppflow.adapters.db.unit_of_work import SqlUnitOfWork

            return SqlUnitOfWork(session_factory(url))

        return sql_unit_of_work

    def uow(self) -> UnitOfWork:
        return self.uow_factory()

    @cached_property
    def lifecycles(self) -> LifecycleRegistry:
        from pppflow.adapters.workflow_files import load_registry

        return load_registry(self.settings.workflows_dir)

    @cached_property
    def assessment_files(self) -> AssessmentFiles:
        """Maturity frameworks and health policies: shipped, plus $PPPFLOW_WORKFLOWS_DIR/maturity|health/."""
        from pppflow.adapters.assessment_files import AssessmentFiles

        return AssessmentFiles(self.settings.workflows_dir)

    @cached_property
    def hasher(self) -> PasswordHasher:
        from pppflow.adapters.passwords import Argon2Hasher

        return Argon2Hasher()

    @cached_property
    def accounts(self) -> AccountStore:
        """Users and API tokens in the configured database, passwords hashed with `hasher`."""
        from pppflow.adapters.accounts import SqlAccountStore
        from pppflow.adapters.db.database import session_factory

        return SqlAccountStore(session_factory(self.settings.database_url), hasher=self.hasher)

    @cached_property
    def checkpoints(self) -> CheckpointStore:
        """The audit key and checkpoint log under $PPPFLOW_HOME, apart from the database."""
        from pppflow.adapters.audit_anchor import FileCheckpointStore

        return FileCheckpointStore(self.settings.audit_key_file, self.settings.audit_checkpoint_log)

    # -- documents -------------------------------------------------------------------------------------------
    @cached_property
    def renderer(self) -> AgreementRenderer:
        """The shipped templates, or the organisation's own ($PPPFLOW_TEMPLATES_DIR, sandboxed)."""
        from pppflow.adapters.documents.agreements import WeasyAgreementRenderer

        return WeasyAgreementRenderer(self.settings.templates_dir, time_limit=self.settings.render_time_limit)

    @cached_property
    def store(self) -> DocumentStore:
        """Generated documents under $PPPFLOW_HOME/documents."""
        from pppflow.adapters.documents.store import FileDocumentStore

        return FileDocumentStore(self.settings.documents_dir)

    @cached_property
    def report_renderer(self) -> ReportRenderer:
        """Annual reports through the agreements' Jinja2 + WeasyPrint pipeline."""
        from pppflow.adapters.documents.reports import WeasyReportRenderer

        return WeasyReportRenderer(time_limit=self.settings.render_time_limit)

    @cached_property
    def funder_report_renderer(self) -> FunderReportRenderer:
        from pppflow.adapters.documents.funder_report_files import WeasyReportRenderer

        return WeasyReportRenderer()

    @cached_property
    def signature_policy(self) -> SignaturePolicy:
        """Timestamp service, seal certificate and trust list for PAdES signatures (pyHanko only when set)."""
        return signature_policy(self.settings)

    # -- mail and the web ------------------------------------------------------------------------------------
    @cached_property
    def mailer(self) -> Mailer:
        """SMTP when PPPFLOW_SMTP_HOST is set; otherwise one .eml file per message under $PPPFLOW_HOME/outbox.
        The password goes to the SMTP login only, never into a log or a repr."""
        return mailer_for(self.settings)

    @cached_property
    def mail_from(self) -> str:
        return self.settings.mail_from

    @cached_property
    def base_url(self) -> str:
        return self.settings.base_url

    @cached_property
    def evidence_max_bytes(self) -> int:
        return self.settings.evidence_max_bytes

    @cached_property
    def cookie_secure(self) -> bool | None:
        return self.settings.cookie_secure

    @cached_property
    def secret_key(self) -> str:
        """Signs web sessions: PPPFLOW_SECRET_KEY, else kept in $PPPFLOW_HOME/secret_key (made on first use)."""
        from pppflow.adapters.session_secret import session_secret

        return self.settings.secret_key or session_secret(self.settings.secret_key_file)

    def replace(self, **parts: Any) -> Wiring:
        """A copy with these parts replaced; the others are shared (whether built already or not)."""
        copy = Wiring(self.settings)
        copy.__dict__.update(self.__dict__)
        _set_parts(copy, parts)
        return copy


PARTS = frozenset(name for name, value in vars(Wiring).items() if isinstance(value, cached_property))


def build_wiring(settings: Settings, **overrides: Any) -> Wiring:
    """The wiring of these settings; keyword arguments replace parts by name (tests pass fakes and a clock)."""
    wiring = Wiring(settings)
    _set_parts(wiring, overrides)
    return wiring


def _set_parts(wiring: Wiring, parts: dict[str, Any]) -> None:
    unknown = sorted(set(parts) - PARTS)
    if unknown:
        raise TypeError(f"the wiring has no part {', '.join(unknown)} (parts: {', '.join(sorted(PARTS))})")
    wiring.__dict__.update(parts)  # an instance value takes the place of the cached_property before it is built


def mailer_for(settings: Settings) -> Mailer:
    """The mailer of these settings (see `Wiring.mailer`)."""
    from pppflow.adapters.mail import FileMailer, SmtpMailer

    if settings.smtp_host:
        return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_user,
                          settings.smtp_password)
    return FileMailer(settings.outbox_dir)


def signature_policy(settings: Settings) -> SignaturePolicy:
    """Timestamp service, seal certificate and trust list from the settings (pyHanko lazily)."""
    from pppflow.services.agreement_signatures import SignaturePolicy

    seal = trust = None
    if settings.seal_p12 or settings.trust_roots:
        from pppflow.adapters.documents import pades
        from pppflow.errors import BadInput, ConfigError

        if settings.seal_p12:
            try:
                seal = pades.load_signer(settings.seal_p12.read_bytes(),
                                         (settings.seal_passphrase or "").encode() or None)
            except (OSError, BadInput) as exc:
                raise ConfigError(f"PPPFLOW_SEAL_P12: cannot use {settings.seal_p12} as the seal certificate",
                                  details=[str(exc)]) from None
        if settings.trust_roots:
            trust = pades.load_trust_roots(settings.trust_roots)
    return SignaturePolicy(tsa_url=settings.tsa_url, seal=seal, trust_roots=trust)
