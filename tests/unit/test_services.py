"""The use cases against in-memory fakes: all or nothing, every change audited."""

from __future__ import annotations

import pytest

from factories import NOW, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.audit import verify_chain
from pppflow.errors import AlreadyImported, NotAllowed, PartnershipNotFound, SpecInvalid, TransitionBlocked
from pppflow.services import changes, partnerships

LIFECYCLES = load_registry()


def test_import_gives_a_unique_reference_to_a_copy_asked_for() -> None:
    uow = FakeUnitOfWork()
    refs = [partnerships.import_partnership(example_raw(), uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW,
                                            as_new=True).ref for _ in range(3)]
    assert refs == ["smart-industry-technician-pact", "smart-industry-technician-pact-2",
                    "smart-industry-technician-pact-3"]


def test_a_repeat_import_is_refused_naming_the_existing_ref() -> None:
    uow = FakeUnitOfWork()
    first = partnerships.import_partnership(example_raw(), uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    with pytest.raises(AlreadyImported) as err:
        partnerships.import_partnership(example_raw(), uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    assert err.value.existing_ref == first.ref and first.ref in err.value.message
    assert err.value.exit_code == 1 and err.value.to_dict()["existing_ref"] == first.ref
    assert [p.ref for p in uow.partnerships.list()] == [first.ref] and uow.committed == 1


@pytest.mark.parametrize(("block", "workflow", "expected"), [
    ("professional_innovation", None, "professional-innovation"),
    ("network", None, "ppp-lifecycle"),
    (None, None, "ppp-lifecycle"),
    ("professional_innovation", "ppp-lifecycle", "ppp-lifecycle"),  # `workflow:` says otherwise
])
def test_the_building_block_picks_the_lifecycle_unless_workflow_says_otherwise(block, workflow, expected) -> None:  # type: ignore[no-untyped-def]
    raw = example_raw()
    raw.pop("workflow", None)
    raw["building_block"] = block
    if workflow:
        raw["workflow"] = workflow
    p = partnerships.import_partnership(raw, uow=FakeUnitOfWork(), lifecycles=LIFECYCLES, actor="m", now=NOW)
    assert p.workflow == expected


def test_an_invalid_spec_stores_nothing() -> None:
    uow = FakeUnitOfWork()
    raw = example_raw()
    raw["workflow"] = "unknown-flow"
    with pytest.raises(SpecInvalid) as err:
        partnerships.import_partnership(raw, uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    assert err.value.details[0].startswith("workflow: unknown lifecycle 'unknown-flow'")
    assert uow.partnerships.list() == [] and uow.committed == 0


def test_advance_commits_only_when_allowed_and_audits_it() -> None:
    uow = FakeUnitOfWork()
    ref = partnerships.import_partnership(example_raw(), uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW).ref
    with pytest.raises(TransitionBlocked):
        partnerships.advance(ref, "define_goals", uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    assert uow.committed == 1
    p = uow.partnerships.get(ref)
    for g in p.goals:
        for k in p.partner_keys:
            changes.agree_goal(ref, g.key, k, uow=uow, actor="m", now=NOW)
    partnerships.advance(ref, "define_goals", uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    actions = [e.action for e in uow.audit.entries(ref)]
    assert actions == ["partnership.import"] + ["goal.agree"] * 8 + ["transition"]
    assert verify_chain(uow.audit.entries(), head=uow.audit.head()).ok
    status = partnerships.show_partnership(ref, uow=uow, lifecycles=LIFECYCLES)
    assert status.partnership.stage == "goals_defined"
    assert [c.trigger for c in status.checks] == ["agree_framework", "suspend", "terminate"]


def test_admission_needs_an_active_partnership() -> None:
    uow = FakeUnitOfWork()
    ref = partnerships.import_partnership(example_raw(), uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW).ref
    candidate = {"key": "acme", "name": "Acme", "kind": "company", "contact": {"name": "A", "email": "a@acme.example"},
                 "signatory": {"name": "B", "title": "CEO"}, "responsibility": "Interns"}
    with pytest.raises(NotAllowed) as err:
        changes.request_admission(ref, candidate, uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    assert "active partnership" in err.value.message
    with pytest.raises(SpecInvalid) as bad:
        changes.request_admission(ref, {"key": "acme", "kind": "alien"}, uow=uow, lifecycles=LIFECYCLES,
                                  actor="m", now=NOW)
    assert "kind: must be one of education, company, government, knowledge_institution, other" in bad.value.details


def test_unknown_reference() -> None:
    with pytest.raises(PartnershipNotFound):
        partnerships.show_partnership("nope", uow=FakeUnitOfWork(), lifecycles=LIFECYCLES)
