"""Units of work: one transaction per use case; audit events are written in the same transaction.

A lost race surfaces as `ConflictError`: the partnership row's version column (optimistic locking),
a reference taken meanwhile (unique constraint), or SQLite refusing a stale write ("database is locked").
"""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from pppflow.errors import ConflictError

if TYPE_CHECKING:  # the adapters are imported when a use case first touches them: a command pays for what it uses
    from pppflow.adapters.agenda import Agenda, SqlAgenda
    from pppflow.adapters.audit_trail import AuditTrail, SqlAuditTrail
    from pppflow.adapters.checkin_repository import CheckinRepository, SqlCheckinRepository
    from pppflow.adapters.db.repository import PartnershipRepository, SqlPartnershipRepository
    from pppflow.adapters.evidence_files import EvidenceFiles, SqlEvidenceFiles
    from pppflow.adapters.health_facts import HealthFactsReader, SqlHealthFacts
    from pppflow.adapters.invitations import InvitationStore, SqlInvitations
    from pppflow.adapters.ledger_evidence import LedgerEvidence, SqlLedgerEvidence
    from pppflow.adapters.ledger_repository import LedgerRepository, SqlLedgerRepository
    from pppflow.adapters.mail.outbox import OutboxRepository, SqlOutbox
    from pppflow.adapters.maturity_repository import MaturityRounds, SqlMaturityRounds
    from pppflow.adapters.portfolio import PortfolioReader, SqlPortfolio
    from pppflow.adapters.progress_records import ProgressRecords, SqlProgressRecords
    from pppflow.domain.model import Partnership


class UnitOfWork(Protocol):
    """What a service needs from a transaction: the repositories (read-only members, so an implementation may
    hold its own SQL or fake classes) and commit/rollback."""

    @property
    def partnerships(self) -> PartnershipRepository: ...
    @property
    def audit(self) -> AuditTrail: ...
    @property
    def checkins(self) -> CheckinRepository: ...
    @property
    def agenda(self) -> Agenda: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def progress(self) -> ProgressRecords: ...
    @property
    def portfolio(self) -> PortfolioReader: ...
    @property
    def invitations(self) -> InvitationStore: ...
    @property
    def evidence(self) -> EvidenceFiles: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def ledger_evidence(self) -> LedgerEvidence: ...
    @property
    def maturity(self) -> MaturityRounds: ...
    @property
    def health(self) -> HealthFactsReader: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


def _flush_events(partnerships: set[Partnership], audit: AuditTrail) -> None:
    for p in sorted(partnerships, key=lambda x: x.ref):
        if p.events:
            audit.append(p.ref, list(p.events))


class SqlUnitOfWork:
    """A SQLAlchemy session per `with` block; rolled back unless committed. Each adapter is built (and its module
    imported) when the use case first touches it."""

    def __init__(self, session_factory: Any) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> SqlUnitOfWork:
        for name in _ADAPTERS:  # adapters of an earlier `with` block belong to its closed session
            self.__dict__.pop(name, None)
        self.session = self.session_factory()
        return self

    @cached_property
    def partnerships(self) -> SqlPartnershipRepository:
        from pppflow.adapters.db.repository import SqlPartnershipRepository

        return SqlPartnershipRepository(self.session)

    @cached_property
    def audit(self) -> SqlAuditTrail:
        from pppflow.adapters.audit_trail import SqlAuditTrail

        return SqlAuditTrail(self.session.connection())

    @cached_property
    def portfolio(self) -> SqlPortfolio:
        from pppflow.adapters.portfolio import SqlPortfolio

        return SqlPortfolio(self.session.connection())

    @cached_property
    def checkins(self) -> SqlCheckinRepository:
        from pppflow.adapters.checkin_repository import SqlCheckinRepository

        return SqlCheckinRepository(self.session)

    @cached_property
    def agenda(self) -> SqlAgenda:
        from pppflow.adapters.agenda import SqlAgenda

        return SqlAgenda(self.session)

    @cached_property
    def outbox(self) -> SqlOutbox:
        from pppflow.adapters.mail.outbox import SqlOutbox

        return SqlOutbox(self.session)

    @cached_property
    def progress(self) -> SqlProgressRecords:
        from pppflow.adapters.progress_records import SqlProgressRecords

        return SqlProgressRecords(self.session)

    @cached_property
    def invitations(self) -> SqlInvitations:
        from pppflow.adapters.invitations import SqlInvitations

        return SqlInvitations(self.session)

    @cached_property
    def evidence(self) -> SqlEvidenceFiles:
        from pppflow.adapters.evidence_files import SqlEvidenceFiles

        return SqlEvidenceFiles(self.session)

    @cached_property
    def ledger(self) -> SqlLedgerRepository:
        from pppflow.adapters.ledger_repository import SqlLedgerRepository

        return SqlLedgerRepository(self.session)

    @cached_property
    def ledger_evidence(self) -> SqlLedgerEvidence:
        from pppflow.adapters.ledger_evidence import SqlLedgerEvidence

        return SqlLedgerEvidence(self.session)

    @cached_property
    def maturity(self) -> SqlMaturityRounds:
        from pppflow.adapters.maturity_repository import SqlMaturityRounds

        return SqlMaturityRounds(self.session)

    @cached_property
    def health(self) -> SqlHealthFacts:
        from pppflow.adapters.health_facts import SqlHealthFacts

        return SqlHealthFacts(self.session.connection())

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # close() rolls back what was not committed and detaches the objects without expiring them,
        # so the caller can still read what the use case returned.
        self.session.close()

    def commit(self) -> None:
        from sqlalchemy.exc import IntegrityError, OperationalError
        from sqlalchemy.orm.exc import StaleDataError

        from pppflow.faults import fault_point

        seen = self.__dict__["partnerships"].seen if "partnerships" in self.__dict__ else set()
        try:
            self.session.flush()
            if any(p.events for p in seen):
                _flush_events(seen, self.audit)
            fault_point("uow_commit")  # fault-injection tests: everything written, nothing committed
            self.session.commit()
        except StaleDataError as exc:
            self.rollback()
            raise ConflictError("another process changed this partnership at the same time; nothing was saved",
                                details=["load it again and retry"], hint="reload_and_retry") from exc
        except IntegrityError as exc:
            self.rollback()
            raise ConflictError("the change collides with data saved at the same time; nothing was saved",
                                details=[str(exc.orig).splitlines()[0]]) from exc
        except OperationalError as exc:
            self.rollback()
            if "locked" in str(exc.orig) or "could not serialize" in str(exc.orig):
                raise ConflictError("the database is busy with a concurrent change; nothing was saved",
                                    details=["retry the command"]) from exc
            raise
        for p in seen:
            p.events.clear()

    def rollback(self) -> None:
        self.session.rollback()


_ADAPTERS = [name for name, value in vars(SqlUnitOfWork).items() if isinstance(value, cached_property)]


class FakeUnitOfWork:
    """In memory; `committed` counts commits so tests can check a refused change committed nothing."""

    def __init__(self, partnerships: list[Partnership] | None = None, accounts: Any = None) -> None:
        from pppflow.adapters.accounts import FakeAccountStore
        from pppflow.adapters.agenda import FakeAgenda
        from pppflow.adapters.audit_trail import FakeAuditTrail
        from pppflow.adapters.checkin_repository import FakeCheckinRepository
        from pppflow.adapters.db.repository import FakePartnershipRepository
        from pppflow.adapters.evidence_files import FakeEvidenceFiles
        from pppflow.adapters.health_facts import FakeHealthFacts
        from pppflow.adapters.invitations import FakeInvitations
        from pppflow.adapters.ledger_evidence import FakeLedgerEvidence
        from pppflow.adapters.ledger_repository import FakeLedgerRepository
        from pppflow.adapters.mail.outbox import FakeOutbox
        from pppflow.adapters.maturity_repository import FakeMaturityRounds
        from pppflow.adapters.portfolio import FakePortfolio
        from pppflow.adapters.progress_records import FakeProgressRecords

        self.partnerships = FakePartnershipRepository(partnerships)
        self.audit = FakeAuditTrail()
        self.checkins = FakeCheckinRepository()
        self.agenda = FakeAgenda(self.partnerships, self.checkins)
        self.outbox = FakeOutbox()
        self.ledger = FakeLedgerRepository(self.partnerships)
        self.ledger_evidence = FakeLedgerEvidence()
        self.portfolio = FakePortfolio(self)
        self.accounts = accounts or FakeAccountStore()
        self.invitations = FakeInvitations(self.accounts, self.partnerships, self.outbox)
        self.evidence = FakeEvidenceFiles(self.partnerships)
        self.progress = FakeProgressRecords()
        self.maturity = FakeMaturityRounds()
        self.health = FakeHealthFacts()
        self.committed = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.rollback()

    def commit(self) -> None:
        _flush_events(self.partnerships.seen, self.audit)
        for p in self.partnerships.seen:
            p.events.clear()
        self.committed += 1

    def rollback(self) -> None:
        pass
