"""Verify the audit trail's hash chain."""

from __future__ import annotations

from contextlib import closing

from pppflow.adapters.unit_of_work import UnitOfWork
from pppflow.domain.audit import ChainReport, verify_chain


def verify_audit(*, uow: UnitOfWork) -> ChainReport:
    """Walk the whole trail in order and report the first broken link."""
    with uow:
        head = uow.audit.head()
        # entries written after the head was read belong to a later check, not to this one
        with closing(uow.audit.entries(upto=head[0])) as entries:
            return verify_chain(entries, head=head)
