"""The health score of one partnership, of the portfolio (worst first), its 12-month trend, and the facts the
`health_at_least` and `maturity_assessed` guards read."""

from __future__ import annotations

from datetime import date, timedelta

from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.guards import PartnershipFacts, attach_facts
from pppflow.domain.health import Health, HealthFacts, HealthPolicy, score_health
from pppflow.domain.model import Partnership
from pppflow.errors import PartnershipNotFound
from pppflow.services.bulk_reads import collector_paused
from pppflow.services.checkins import inactive_stages


def policy_for(workflow: str, files: AssessmentFiles) -> HealthPolicy:
    """The lifecycle's own policy (`workflows/health/<lifecycle>.yaml`) or the default."""
    return files.policies.get(workflow) or files.policy()


def _score(facts: HealthFacts, files: AssessmentFiles, as_of: date) -> Health:
    return score_health(facts, policy_for(facts.workflow, files), as_of)


def partnership_health(ref: str, *, uow: UnitOfWork, files: AssessmentFiles, as_of: date) -> Health:
    """One partnership's score, band and explained components as of a day (in an open or a new unit of work)."""
    with uow:
        facts = uow.health.facts(as_of, {}, ref=ref)
    if not facts:
        raise PartnershipNotFound(f"no partnership {ref!r}")
    return _score(facts[0], files, as_of)


def portfolio_health(*, uow: UnitOfWork, files: AssessmentFiles, lifecycles: LifecycleRegistry, as_of: date,
                     party: str | None = None) -> list[Health]:
    """Every partnership not in a final stage, worst score first (then by reference)."""
    with collector_paused():
        with uow:
            facts = uow.health.facts(as_of, inactive_stages(lifecycles), party=party)
        scored = [_score(f, files, as_of) for f in facts]
        return sorted(scored, key=lambda h: (h.score, h.ref))


def month_ends(as_of: date, months: int = 12) -> list[date]:
    """The ends of the `months - 1` months before `as_of`, then `as_of`, oldest first."""
    days = [as_of]
    for _ in range(months - 1):
        days.append(days[-1].replace(day=1) - timedelta(days=1))
    return days[::-1]


def health_trend(ref: str, *, uow: UnitOfWork, files: AssessmentFiles, as_of: date,
                 months: int = 12) -> list[tuple[date, int]]:
    """The score at the end of each of the last `months` months, oldest first, ending with `as_of`."""
    trends = health_trends([ref], uow=uow, files=files, as_of=as_of, months=months)
    if ref not in trends:
        raise PartnershipNotFound(f"no partnership {ref!r}")
    return trends[ref]


def health_trends(refs: list[str], *, uow: UnitOfWork, files: AssessmentFiles, as_of: date,
                  months: int = 12) -> dict[str, list[tuple[date, int]]]:
    """The monthly trend of several partnerships, one set of queries per month for all of them."""
    trends: dict[str, list[tuple[date, int]]] = {}
    with uow:
        for d in month_ends(as_of, months):
            for facts in uow.health.facts(d, {}, refs=refs):
                trends.setdefault(facts.ref, []).append((d, _score(facts, files, d).score))
    return trends


def attach_guard_facts(p: Partnership, *, uow: UnitOfWork, files: AssessmentFiles, as_of: date) -> None:
    """Inside the caller's unit of work: give the guards that read facts (health, maturity rounds) their facts."""
    facts = uow.health.facts(as_of, {}, ref=p.ref)
    health = _score(facts[0], files, as_of) if facts else None
    weakest = health.weakest if health else None
    assessed = frozenset(r.partner_key for r in uow.maturity.list(p.ref) if r.recorded_at.date() <= as_of)
    attach_facts(p, PartnershipFacts(health.score if health else None, health.band if health else None,
                                     weakest.sentence if weakest else None, assessed))
