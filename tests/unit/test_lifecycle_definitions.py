"""Lifecycle definitions are data: checked at load, naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factories import NOW, ready
from pppflow.adapters.workflow_files import load_definition_file, load_registry
from pppflow.domain.lifecycle_diagram import as_mermaid, as_text
from pppflow.errors import DefinitionInvalid, TransitionBlocked

GOOD = {
    "name": "mini", "initial": "a",
    "stages": ["a", "b", {"name": "c", "final": True}],
    "triggers": [{"name": "go", "source": "a", "dest": "b", "guards": ["goals_agreed"]},
                 {"name": "end", "source": "b", "dest": "c"}],
}


def write(tmp_path: Path, data: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_valid_definition_compiles(tmp_path: Path) -> None:
    lifecycle = load_definition_file(write(tmp_path, GOOD))
    assert lifecycle.definition.stage_names == ("a", "b", "c")


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["triggers"][0].update(dest="zz"), "trigger 'go': unknown destination stage 'zz'"),
    (lambda d: d["triggers"][1].update(source="zz"), "trigger 'end': unknown source stage 'zz'"),
    (lambda d: d["triggers"][0].update(guards=["is_sunny"]), "trigger 'go': unknown guard 'is_sunny'"),
    (lambda d: d["stages"].append("orphan"), "stage 'orphan' cannot be reached from 'a'"),
    (lambda d: d.pop("initial"), "no initial stage (set 'initial')"),
    (lambda d: d.update(initial="q"), "initial stage 'q' is not a defined stage"),
    (lambda d: d["stages"].append("b"), "stage 'b' is defined twice"),
])
def test_invalid_definitions_are_refused_naming_file_and_problem(tmp_path: Path, change, problem) -> None:  # type: ignore[no-untyped-def]
    import copy

    data = copy.deepcopy(GOOD)
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(DefinitionInvalid) as err:
        load_definition_file(path)
    assert str(path) in err.value.message
    assert any(d.startswith(problem) for d in err.value.details), err.value.details


def test_an_organisations_folder_extends_the_shipped_definitions(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    registry = load_registry(tmp_path)
    assert {"ppp-lifecycle", "professional-innovation", "mini"} <= set(registry.names())


def test_professional_innovation_differs_in_stages_and_guards() -> None:
    lifecycle = load_registry().get("professional-innovation")
    assert "investment" not in lifecycle.definition.stage_names
    p = ready("goals_defined")
    p.workflow = "professional-innovation"
    p.partners = [x for x in p.partners if x.kind != "knowledge_institution"]
    p.responsibilities = [r for r in p.responsibilities if r.partner_key != "hanze"]
    with pytest.raises(TransitionBlocked) as err:
        lifecycle.fire(p, "form_community", actor="c", now=NOW)
    assert err.value.details == [
        "professional innovation needs a knowledge institution with research capacity among the partners"]


def test_professional_innovation_walk_through_cycles() -> None:
    lifecycle = load_registry().get("professional-innovation")
    p = ready("draft")
    for trigger, stage in [("define_goals", "goals_defined"), ("form_community", "community_formed"),
                           ("start_cycle", "innovation_cycle"), ("evaluate", "evaluation"),
                           ("next_cycle", "innovation_cycle"), ("evaluate", "evaluation"),
                           ("conclude", "concluded")]:
        lifecycle.fire(p, trigger, actor="c", now=NOW)
        assert p.stage == stage


def test_conclude_a_cycle_needs_settled_results() -> None:
    lifecycle = load_registry().get("professional-innovation")
    p = ready("evaluation")
    p.obligations[0].status = "fulfilled"
    with pytest.raises(TransitionBlocked) as err:
        lifecycle.fire(p, "conclude", actor="c", now=NOW)
    assert err.value.details == ["result 'modules-delivered' is still fulfilled"]


def test_diagrams_mark_the_current_stage() -> None:
    definition = load_registry().get("ppp-lifecycle").definition
    mermaid = as_mermaid(definition, "investment")
    assert mermaid.startswith("stateDiagram-v2\n    [*] --> draft\n")
    assert "framework_agreed --> investment : start_investment" in mermaid
    assert "class investment current" in mermaid
    assert "suspended --> maintenance : resume" in mermaid
    text = as_text(definition, "investment")
    assert "▶ investment [current]" in text
    assert "      start_maintenance -> maintenance  guards: investment_results_delivered" in text
