"""A demo portfolio drawn from the domain texts, walked to different stages through the real services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.agreements import AgreementRenderer
from pppflow.adapters.documents.store import DocumentStore
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.interchange import slugify
from pppflow.domain.model import Partnership
from pppflow.resources import shipped_dir
from pppflow.services import agreements, changes, partnerships

DEMO_ACTOR = "demo"

# file -> the triggers to fire, in order (each step first satisfies what its guards ask, as partners would)
PORTFOLIO: dict[str, list[str]] = {
    "smart-industry-pact.yaml": ["define_goals", "agree_framework", "start_investment"],
    "healthcare-skills-ecosystem.yaml": ["define_goals", "agree_framework", "start_investment", "start_maintenance"],
    "chemelot-living-lab.yaml": ["define_goals", "form_community", "start_cycle"],
    "ecommerce-digital-workplace.yaml": [],
    "hospitality-lifelong-learning.yaml": ["define_goals", "agree_framework", "suspend"],
    "care-learning-community.yaml": ["define_goals", "form_community", "start_learning"],
}
REASONS = {"suspend": "The municipal budget decision is postponed to the next quarter"}


@dataclass(frozen=True)
class DemoResult:
    created: list[Partnership]
    skipped: list[str]


def _agree_all_goals(p: Partnership, *, uow_factory: Callable[[], UnitOfWork], now: datetime, **_: Any) -> None:
    for g in p.goals:
        for k in p.partner_keys:
            if k not in g.agreed_by:
                changes.agree_goal(p.ref, g.key, k, uow=uow_factory(), actor=DEMO_ACTOR, now=now)


def _sign_all(p: Partnership, *, uow_factory: Callable[[], UnitOfWork], renderer: AgreementRenderer,
              store: DocumentStore, lifecycles: LifecycleRegistry, now: datetime) -> None:
    """Legal staff generate the agreement; every signatory signs that version."""
    v = agreements.generate_agreement(p.ref, uow_factory=uow_factory, renderer=renderer, store=store,
                                      lifecycles=lifecycles, actor=DEMO_ACTOR, now=now).version
    for x in p.partners:
        agreements.sign_agreement(p.ref, v.number, x.key, x.signatory_name, uow_factory=uow_factory,
                                  renderer=renderer, store=store, actor=DEMO_ACTOR, now=now, method="demo")


def _accept_investment_results(p: Partnership, *, uow_factory: Callable[[], UnitOfWork], now: datetime,
                               **_: Any) -> None:
    for o in p.obligations:
        if o.is_result and o.phase == "investment":
            for status in ("fulfilled", "accepted"):
                changes.set_obligation_status(p.ref, o.key, status, uow=uow_factory(), actor=DEMO_ACTOR, now=now,
                                              evidence="Accepted at the steering group meeting")


# each step is called with the partnership and the adapters load_demo was given
PREPARE: dict[str, Callable[..., None]] = {
    "define_goals": _agree_all_goals, "start_investment": _sign_all, "start_cycle": _sign_all,
    "start_learning": _sign_all,
    "start_maintenance": _accept_investment_results}


STEP_WORDS = {"start_investment": "generating and signing the agreement", "start_cycle":
              "generating and signing the agreement", "start_learning": "generating and signing the agreement",
              "define_goals": "agreeing the goals", "start_maintenance": "accepting the investment results"}


def load_demo(*, uow_factory: Callable[[], UnitOfWork], lifecycles: LifecycleRegistry, renderer: AgreementRenderer,
              store: DocumentStore, now: datetime, progress: Callable[[str], None] = lambda _: None) -> DemoResult:
    """Import the demo portfolio; partnerships already present (by name) are left as they are.

    `progress` is told what is being done, step by step (rendering an agreement takes seconds)."""
    adapters = {"uow_factory": uow_factory, "renderer": renderer, "store": store, "lifecycles": lifecycles,
                "now": now}
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
        progress(f"{raw['name']}: importing")
        p = partnerships.import_partnership(raw, uow=uow_factory(), lifecycles=lifecycles, actor=DEMO_ACTOR, now=now)
        if filename.startswith("ecommerce"):
            changes.agree_goal(p.ref, p.goals[0].key, p.partners[0].key, uow=uow_factory(), actor=DEMO_ACTOR, now=now)
        for trigger in steps:
            if trigger in PREPARE:
                progress(f"{p.name}: {STEP_WORDS.get(trigger, trigger)}")
                with uow_factory() as uow:
                    current = uow.partnerships.get(p.ref)
                PREPARE[trigger](current, **adapters)
            p = partnerships.advance(p.ref, trigger, uow=uow_factory(), lifecycles=lifecycles, actor=DEMO_ACTOR,
                                     now=now, reason=REASONS.get(trigger))
        created.append(p)
    return DemoResult(created, skipped)
