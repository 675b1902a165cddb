"""What is asked of a partner across its partnerships: one read model for the partner's page, the navigation
count and the daily digest (`domain/asks.py` decides per partnership)."""

from __future__ import annotations

from datetime import date

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.asks import KINDS, Ask, asks_in

MAX_PARTNERSHIPS = 500
__all__ = ["KINDS", "Ask", "asked_of", "counts"]


def asked_of(party: str, *, uow: UnitOfWork, lifecycles: LifecycleRegistry, as_of: date) -> list[Ask]:
    """Everything awaiting partner `party` on `as_of`, partnership by partnership (ended ones left out)."""
    with uow:
        summaries, _ = uow.portfolio.search(stage=None, workflow=None, text=None, party=party,
                                            limit=MAX_PARTNERSHIPS, offset=0)
        found = []
        for s in summaries:
            if lifecycles.get(s.workflow).is_final(s.stage):
                continue
            p = uow.partnerships.read(s.ref)
            found.append((p, uow.checkins.list(s.ref, open_only=True)))
    asks: list[Ask] = []
    for p, checkins in found:
        asks += asks_in(p, party, checkins, as_of)
    return asks


def counts(asks: list[Ask]) -> dict[str, int]:
    """How many asks of each kind, and in all (`total`): the navigation's badge."""
    out = {k: sum(1 for a in asks if a.kind == k) for k in KINDS}
    out["total"] = len(asks)
    return out
