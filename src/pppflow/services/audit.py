"""Verify the audit trail's hash chain."""

from __future__ import annotations

from pppflow.adapters.unit_of_work import UnitOfWork
from pppflow.domain.audit import ChainReport, verify_chain


def verify_audit(*, uow: UnitOfWork) -> ChainReport:
    """Walk the whole trail in order and report the first broken link."""
    with uow:
        return verify_chain(uow.audit.entries(), head=uow.audit.head())
