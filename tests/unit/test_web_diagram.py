"""The lifecycle diagram's layout: the main path left to right, side stages below, the current stage marked."""

from __future__ import annotations

from factories import draft, ready
from pppflow.adapters.workflow_files import load_registry
from pppflow.web.diagram import layout

LIFECYCLE = load_registry().get("ppp-lifecycle")


def test_main_path_runs_left_to_right_and_side_stages_sit_below() -> None:
    d = layout(LIFECYCLE.definition)
    nodes = {n.name: n for n in d.nodes}
    main = ["draft", "goals_defined", "framework_agreed", "investment", "maintenance", "under_review", "concluded"]
    assert [nodes[n].x for n in main] == sorted(nodes[n].x for n in main)
    assert len({nodes[n].y for n in main}) == 1
    assert nodes["suspended"].y > nodes["draft"].y and nodes["terminated"].y == nodes["suspended"].y
    assert "from any active stage" in nodes["terminated"].note
    assert "back to the stage it left" in nodes["suspended"].note
    assert {e.lines for e in d.edges} >= {("define", "goals"), ("renew",), ("continue",)}
    assert all(n.x >= 0 and n.x + d.node_w <= d.width for n in d.nodes)


def test_the_current_stage_and_what_can_happen_next_are_marked() -> None:
    p = draft()
    d = layout(LIFECYCLE.definition, p.stage, LIFECYCLE.checks(p))
    state = {n.name: n.state for n in d.nodes}
    assert state["draft"] == "current" and state["goals_defined"] == "blocked" and state["terminated"] == "next"
    assert state["concluded"] == "final" and state["investment"] == "plain"
    assert [e.state for e in d.edges if e.lines == ("define", "goals")] == ["blocked"]
    p = ready("framework_agreed")
    state = {n.name: n.state for n in layout(LIFECYCLE.definition, p.stage, LIFECYCLE.checks(p)).nodes}
    assert state["investment"] == "next"
