"""A demo portfolio drawn from the domain texts, walked to different stages through the real services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import yaml

from pppflow.adapters.unit_of_work import UnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.interchange import slugify
from pppflow.domain.model import Partnership
from pppflow.resources import shipped_dir
from pppflow.services import changes, partnerships

DEMO_ACTOR = "demo"

# file -> the triggers to fire, in order (each step first satisfies what its guards ask, as partners would)
PORTFOLIO: dict[str, list[str]] = {
    "smart-industry-pact.yaml": ["define_goals", "agree_framework", "start_investment"],
    "healthcare-skills-ecosystem.yaml": ["define_goals", "agree_framework", "start_investment", "start_maintenance"],
    "chemelot-living-lab.yaml": ["define_goals", "form_community", "start_cycle"],
    "ecommerce-digital-workplace.yaml": [],
    "hospitality-lifelong-learning.yaml": ["define_goals", "agree_framework", "suspend"],
}
REASONS = {"suspend": "The municipal budget decision is postponed to the next quarter"}


@dataclass(frozen=True)
class DemoResult:
    created: list[Partnership]
    skipped: list[str]


def _agree_all_goals(p: Partnership, uow_factory: Callable[[], UnitOfWork], now: datetime) -> None:
    for g in p.goals:
        for k in p.partner_keys:
            if k not in g.agreed_by:
                changes.agree_goal(p.ref, g.key, k, uow=uow_factory(), actor=DEMO_ACTOR, now=now)


def _sign_all(p: Partnership, uow_factory: Callable[[], UnitOfWork], now: datetime) -> None:
    for x in p.partners:
        changes.record_signoff(p.ref, x.key, x.signatory_name, uow=uow_factory(), actor=DEMO_ACTOR, now=now)


def _accept_investment_results(p: Partnership, uow_factory: Callable[[], UnitOfWork], now: datetime) -> None:
    for o in p.obligations:
        if o.is_result and o.phase == "investment":
            for status in ("fulfilled", "accepted"):
                changes.set_obligation_status(p.ref, o.key, status, uow=uow_factory(), actor=DEMO_ACTOR, now=now,
                                              evidence="Accepted at the steering group meeting")


PREPARE = {"define_goals": _agree_all_goals, "start_investment": _sign_all, "start_cycle": _sign_all,
           "start_maintenance": _accept_investment_results}


def load_demo(*, uow_factory: Callable[[], UnitOfWork], lifecycles: LifecycleRegistry, now: datetime) -> DemoResult:
    """Import the demo portfolio; partnerships already present (by name) are left as they are."""
    created, skipped = [], []
    folder = shipped_dir("demo_portfolio")
    if not folder.is_dir():
        folder = shipped_dir("src/pppflow/demo_portfolio")
    for filename, steps in PORTFOLIO.items():
        raw = yaml.safe_load((folder / filename).read_text(encoding="utf-8"))
        with uow_factory() as uow:
            if slugify(raw["name"]) in uow.partnerships.refs_like(slugify(raw["name"])):
                skipped.append(raw["name"])
                continue
        p = partnerships.import_partnership(raw, uow=uow_factory(), lifecycles=lifecycles, actor=DEMO_ACTOR, now=now)
        if filename.startswith("ecommerce"):
            changes.agree_goal(p.ref, p.goals[0].key, p.partners[0].key, uow=uow_factory(), actor=DEMO_ACTOR, now=now)
        for trigger in steps:
            if trigger in PREPARE:
                with uow_factory() as uow:
                    current = uow.partnerships.get(p.ref)
                PREPARE[trigger](current, uow_factory, now)
            p = partnerships.advance(p.ref, trigger, uow=uow_factory(), lifecycles=lifecycles, actor=DEMO_ACTOR,
                                     now=now, reason=REASONS.get(trigger))
        created.append(p)
    return DemoResult(created, skipped)
