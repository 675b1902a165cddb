"""Every (stage, trigger) pair of the default lifecycle, and what a blocked trigger reports."""

from __future__ import annotations

import pytest

from factories import NOW, draft, ready
from pppflow.adapters.workflow_files import load_registry
from pppflow.errors import InvalidTransition, TransitionBlocked, UnknownTrigger

LIFECYCLE = load_registry().get("ppp-lifecycle")
STAGES = list(LIFECYCLE.definition.stage_names)
TRIGGERS = [t.name for t in LIFECYCLE.definition.triggers]

EXPECTED = {
    ("draft", "define_goals"): "goals_defined",
    ("goals_defined", "agree_framework"): "framework_agreed",
    ("framework_agreed", "start_investment"): "investment",
    ("investment", "start_maintenance"): "maintenance",
    ("maintenance", "review"): "under_review",
    ("under_review", "continue"): "maintenance",
    ("under_review", "renew"): "renewal",
    ("renewal", "complete_renewal"): "maintenance",
    ("renewal", "start_new_investment"): "investment",
    ("under_review", "conclude"): "concluded",
    ("suspended", "resume"): "investment",  # ready() suspends from investment
}
for _s in ("goals_defined", "framework_agreed", "investment", "maintenance", "under_review", "renewal"):
    EXPECTED[(_s, "suspend")] = "suspended"
for _s in STAGES:
    if _s not in ("concluded", "terminated"):
        EXPECTED[(_s, "terminate")] = "terminated"


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_stage_trigger_pair(stage: str, trigger: str) -> None:
    p = ready(stage)
    if (stage, trigger) in EXPECTED:
        LIFECYCLE.fire(p, trigger, actor="coord", now=NOW, reason="a reason")
        assert p.stage == EXPECTED[(stage, trigger)]
        assert [e.action for e in p.events] == ["transition"]
        assert p.events[0].before == {"stage": stage}
    else:
        with pytest.raises(InvalidTransition):
            LIFECYCLE.fire(p, trigger, actor="coord", now=NOW, reason="a reason")
        assert p.stage == stage
        assert p.events == []


def test_suspend_remembers_and_resume_returns_to_the_stage_it_left() -> None:
    for stage in ("goals_defined", "maintenance", "under_review"):
        p = ready(stage)
        LIFECYCLE.fire(p, "suspend", actor="c", now=NOW, reason="funding paused")
        assert (p.stage, p.return_stage) == ("suspended", stage)
        LIFECYCLE.fire(p, "resume", actor="c", now=NOW)
        assert (p.stage, p.return_stage) == (stage, None)


def test_suspend_and_terminate_need_a_reason() -> None:
    p = ready("investment")
    with pytest.raises(TransitionBlocked) as err:
        LIFECYCLE.fire(p, "suspend", actor="c", now=NOW, reason="  ")
    assert "“Opschorten” (suspend) needs a reason" in err.value.details  # the partnership is Dutch
    assert [r.code for r in err.value.reasons] == ["reason_required"] and err.value.hint == "give_reason"
    with pytest.raises(TransitionBlocked):
        LIFECYCLE.fire(p, "terminate", actor="c", now=NOW)
    assert p.stage == "investment" and p.events == []
    LIFECYCLE.fire(p, "terminate", actor="c", now=NOW, reason="company went bankrupt")
    assert p.events[-1].reason == "company went bankrupt"


def test_blocked_trigger_changes_nothing_and_reports_every_reason() -> None:
    p = draft()
    p.partners = [x for x in p.partners if x.kind == "company"]
    with pytest.raises(TransitionBlocked) as err:
        LIFECYCLE.fire(p, "define_goals", actor="c", now=NOW)
    assert p.stage == "draft" and p.events == []
    assert err.value.details == [
        "a partnership needs at least two partners (it has 1)",
        "no education or knowledge institution among the partners",
        "goal 'modules' is not yet agreed by techbedrijf (Noordelijk Techbedrijf B.V.)",
        "goal 'lifelong' is not yet agreed by techbedrijf (Noordelijk Techbedrijf B.V.)",
    ]


def test_unknown_trigger_is_named_with_the_known_ones() -> None:
    with pytest.raises(UnknownTrigger) as err:
        LIFECYCLE.fire(draft(), "fly", actor="c", now=NOW)
    assert "define_goals" in err.value.details[0]


def test_final_stages_offer_nothing() -> None:
    for stage in ("concluded", "terminated"):
        assert LIFECYCLE.checks(ready(stage)) == []
        assert LIFECYCLE.is_final(stage)


def test_checks_list_available_and_blocked_triggers_with_reasons() -> None:
    p = draft()
    checks = {c.trigger: c for c in LIFECYCLE.checks(p)}
    assert set(checks) == {"define_goals", "terminate"}
    assert not checks["define_goals"].allowed
    assert ("goal 'modules' is not yet agreed by noorderpoort (Noorderpoort College), hanze (Hanze University of "
            "Applied Sciences), techbedrijf (Noordelijk Techbedrijf B.V.), provincie (Provincie Groningen)") \
        in checks["define_goals"].reasons
    assert checks["terminate"].allowed and checks["terminate"].reason_required
