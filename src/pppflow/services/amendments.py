"""Amending from a revised spec in two steps, for the web app and the API: preview what would change, then
confirm. The preview applies the same domain rule (`domain.amendment.amend`) to a detached copy, so it refuses
what the amendment would refuse and writes nothing; the confirmation is `partnerships.amend_partnership`,
refused if the content changed since the preview (`based_on`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.domain.agreement.amendment import amend
from pppflow.domain.agreement.versions import content_hash
from pppflow.domain.interchange import partnership_to_spec
from pppflow.domain.spec import parse_spec


@dataclass(frozen=True)
class SectionChange:
    """One section of the spec, before and after the amendment."""

    section: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AmendmentPreview:
    """What confirming would change; `based_on` is the content hash the preview started from."""

    ref: str
    based_on: str
    changes: list[SectionChange]

    @property
    def changed(self) -> list[str]:
        return [c.section for c in self.changes]


def preview_amendment(ref: str, raw: Any, *, uow: UnitOfWork, actor: str, now: datetime,
                      reason: str | None = None) -> AmendmentPreview:
    """The sections a revised spec would change, each before and after; nothing is written."""
    spec = parse_spec(raw)
    with uow:
        p = uow.partnerships.read(ref)  # detached: nothing done to it is saved
    based_on, before = content_hash(p), partnership_to_spec(p)
    changed = amend(p, spec, actor=actor, now=now, reason=reason)
    after = partnership_to_spec(p)
    return AmendmentPreview(ref, based_on, [SectionChange(k, before.get(k), after.get(k)) for k in changed])
