"""The third building block: the learning-community lifecycle, its own guards, and its demo partnership."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from factories import NOW
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.model import Partner
from pppflow.errors import TransitionBlocked
from pppflow.resources import shipped_dir
from pppflow.services import changes, partnerships

LIFECYCLES = load_registry()


def care_spec() -> dict[str, Any]:
    folder = shipped_dir("demo_portfolio")
    if not folder.is_dir():
        folder = shipped_dir("src/pppflow/demo_portfolio")
    return yaml.safe_load((folder / "care-learning-community.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _imported(raw: dict[str, Any]) -> tuple[FakeUnitOfWork, str]:
    uow = FakeUnitOfWork()
    p = partnerships.import_partnership(raw, uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    for g in p.goals:
        for k in p.partner_keys:
            changes.agree_goal(p.ref, g.key, k, uow=uow, actor="m", now=NOW)
    return uow, p.ref


def _fire(uow: FakeUnitOfWork, ref: str, trigger: str) -> str:
    return partnerships.advance(ref, trigger, uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW).stage


def test_the_building_block_lands_on_the_learning_community_lifecycle() -> None:
    uow, ref = _imported(care_spec())
    p = uow.partnerships.get(ref)
    assert (p.workflow, p.stage) == ("learning-community", "draft")
    d = LIFECYCLES.get("learning-community").definition
    assert d.stage_title("learning", "nl") == "Leerronde" and d.trigger_title("next_round") == (
        "Start the next learning round")


def test_learning_goals_are_owned_by_education_and_practice_together() -> None:
    raw = care_spec()
    raw["goals"][1]["owners"] = ["saxion", "roc-twente"]  # education only
    uow, ref = _imported(raw)
    with pytest.raises(TransitionBlocked) as err:
        _fire(uow, ref, "define_goals")
    assert err.value.details == ["goal 'teacher-practice' is not owned by an education partner and a professional "
                                 "partner together: a learning community learns together"]


def test_the_community_needs_real_assignments_from_practice() -> None:
    raw = care_spec()
    raw["obligations"] = [o for o in raw["obligations"] if o["owner"] != "zorggroep"]
    uow, ref = _imported(raw)
    _fire(uow, ref, "define_goals")
    with pytest.raises(TransitionBlocked) as err:
        _fire(uow, ref, "form_community")
    assert err.value.details == ["no company or government partner has an obligation to bring real assignments to "
                                 "the community"]


def test_a_new_partner_awaiting_consensus_holds_the_next_round_and_the_conclusion() -> None:
    uow, ref = _imported(copy.deepcopy(care_spec()))
    p = uow.partnerships.get(ref)
    for stage in ("goals_defined", "community_formed", "learning", "reflection"):
        p.stage = stage  # walked as in the demo; the agreement is the agreement service's business
    p.request_admission(Partner("thuiszorg", "Thuiszorg West", "company"), "Bring home-care assignments",
                        actor="m", now=NOW)
    p.approve_admission("thuiszorg", "zorggroep", actor="m", now=NOW)
    lifecycle = LIFECYCLES.get("learning-community")
    for trigger in ("next_round", "conclude"):
        reasons = next(c.reasons for c in lifecycle.checks(p) if c.trigger == trigger)
        assert "the admission of 'thuiszorg' still awaits the consensus of roc-twente, saxion" in reasons
    for partner in ("roc-twente", "saxion"):
        p.approve_admission("thuiszorg", partner, actor="m", now=NOW)
    reasons = next(c.reasons for c in lifecycle.checks(p) if c.trigger == "conclude")
    assert not [r for r in reasons if "consensus" in r]
