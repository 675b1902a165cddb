"""Units of work: one transaction per use case; audit events are written in the same transaction.

A lost race surfaces as `ConflictError`: the partnership row's version column (optimistic locking),
a reference taken meanwhile (unique constraint), or SQLite refusing a stale write ("database is locked").
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol

from pppflow.adapters.agenda import Agenda, FakeAgenda, SqlAgenda
from pppflow.adapters.audit_trail import AuditTrail, FakeAuditTrail, SqlAuditTrail
from pppflow.adapters.checkin_repository import CheckinRepository, FakeCheckinRepository, SqlCheckinRepository
from pppflow.adapters.db.repository import FakePartnershipRepository, PartnershipRepository, SqlPartnershipRepository
from pppflow.adapters.evidence_files import EvidenceFiles, FakeEvidenceFiles, SqlEvidenceFiles
from pppflow.adapters.health_facts import FakeHealthFacts, HealthFactsReader, SqlHealthFacts
from pppflow.adapters.invitations import FakeInvitations, InvitationStore, SqlInvitations
from pppflow.adapters.ledger_repository import FakeLedgerRepository, LedgerRepository, SqlLedgerRepository
from pppflow.adapters.mail.outbox import FakeOutbox, OutboxRepository, SqlOutbox
from pppflow.adapters.maturity_repository import FakeMaturityRounds, MaturityRounds, SqlMaturityRounds
from pppflow.adapters.portfolio import FakePortfolio, PortfolioReader, SqlPortfolio
from pppflow.adapters.progress_records import FakeProgressRecords, ProgressRecords, SqlProgressRecords
from pppflow.domain.model import Partnership
from pppflow.errors import ConflictError


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
    """A SQLAlchemy session per `with` block; rolled back unless committed."""

    def __init__(self, session_factory: Any) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self.session_factory()
        self.partnerships = SqlPartnershipRepository(self.session)
        self.audit = SqlAuditTrail(self.session.connection())
        self.portfolio = SqlPortfolio(self.session.connection())
        self.checkins = SqlCheckinRepository(self.session)
        self.agenda = SqlAgenda(self.session)
        self.outbox = SqlOutbox(self.session)
        self.progress = SqlProgressRecords(self.session)
        self.invitations = SqlInvitations(self.session)
        self.evidence = SqlEvidenceFiles(self.session)
        self.ledger = SqlLedgerRepository(self.session)
        self.maturity = SqlMaturityRounds(self.session)
        self.health = SqlHealthFacts(self.session.connection())
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # close() rolls back what was not committed and detaches the objects without expiring them,
        # so the caller can still read what the use case returned.
        self.session.close()

    def commit(self) -> None:
        from sqlalchemy.exc import IntegrityError, OperationalError
        from sqlalchemy.orm.exc import StaleDataError

        from pppflow.faults import fault_point

        try:
            self.session.flush()
            _flush_events(self.partnerships.seen, self.audit)
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
        for p in self.partnerships.seen:
            p.events.clear()

    def rollback(self) -> None:
        self.session.rollback()


class FakeUnitOfWork:
    """In memory; `committed` counts commits so tests can check a refused change committed nothing."""

    def __init__(self, partnerships: list[Partnership] | None = None, accounts: Any = None) -> None:
        from pppflow.adapters.accounts import FakeAccountStore

        self.partnerships = FakePartnershipRepository(partnerships)
        self.audit = FakeAuditTrail()
        self.checkins = FakeCheckinRepository()
        self.agenda = FakeAgenda(self.partnerships, self.checkins)
        self.outbox = FakeOutbox()
        self.ledger = FakeLedgerRepository(self.partnerships)
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
