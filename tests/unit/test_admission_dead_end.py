"""The admission dead end: a partner admitted after the framework was agreed must agree the goals before a
version can be final; every draft says why in words, and generating after the cause is fixed makes a final one."""

from __future__ import annotations

import pytest

from factories import NOW, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.lifecycle import parse_definition
from pppflow.errors import DefinitionInvalid, NotAllowed
from pppflow.services import agreements, changes, partnerships

LIFECYCLES = load_registry()
ACME = {"key": "acme", "name": "Acme Robotics", "kind": "company", "contact": {"name": "Ann"},
        "signatory": {"name": "Bo Smit"}, "responsibility": "Internships"}


def _framework_agreed() -> tuple[FakeUnitOfWork, str]:
    uow = FakeUnitOfWork()
    ref = partnerships.import_partnership(example_raw(), uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW).ref
    p = uow.partnerships.get(ref)
    for goal in ("modules", "lifelong"):
        for k in p.partner_keys:
            changes.agree_goal(ref, goal, k, uow=uow, actor="m", now=NOW)
    for trigger in ("define_goals", "agree_framework"):
        partnerships.advance(ref, trigger, uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    return uow, ref


def _generate(uow: FakeUnitOfWork, ref: str, store: FakeDocumentStore) -> agreements.Generated:
    return agreements.generate_agreement(ref, uow_factory=lambda: uow, renderer=FakeAgreementRenderer(), store=store,
                                         lifecycles=LIFECYCLES, actor="legal", now=NOW)


def test_a_newly_admitted_partner_blocks_a_final_version_until_it_agrees_the_goals() -> None:
    uow, ref = _framework_agreed()
    store = FakeDocumentStore()
    assert _generate(uow, ref, store).version.status == "final"
    changes.request_admission(ref, ACME, uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW)
    for k in ("noorderpoort", "hanze", "techbedrijf", "provincie"):
        changes.approve_admission(ref, "acme", k, uow=uow, actor="m", now=NOW)

    draft = _generate(uow, ref, store)
    v = draft.version
    assert (draft.created, v.number, v.status) == (True, 2, "draft")
    assert v.draft_reasons == ["goal 'modules' is not yet agreed by acme (Acme Robotics)",
                               "goal 'lifelong' is not yet agreed by acme (Acme Robotics)"]
    from pppflow.domain.agreement.versions import draft_text
    assert draft_text(v) == "draft: goal 'modules' is not yet agreed by acme (Acme Robotics); " \
                            "goal 'lifelong' is not yet agreed by acme (Acme Robotics)"
    with pytest.raises(NotAllowed) as err:
        agreements.sign_agreement(ref, 2, "acme", "Bo Smit", uow_factory=lambda: uow,
                                  renderer=FakeAgreementRenderer(), store=store, actor="l", now=NOW)
    assert "goal 'modules' is not yet agreed by acme (Acme Robotics)" in err.value.details[0]
    # nothing changed: the same draft, still saying why
    again = _generate(uow, ref, store)
    assert (again.created, again.version.number) == (False, 2)
    # half fixed: a new draft whose reasons say what is left (not "unchanged")
    changes.agree_goal(ref, "modules", "acme", uow=uow, actor="m", now=NOW)
    half = _generate(uow, ref, store)
    assert (half.created, half.version.number, half.version.draft_reasons) == \
        (True, 3, ["goal 'lifelong' is not yet agreed by acme (Acme Robotics)"])
    # fixed: a new final version, never "unchanged since version 1 (draft)"
    changes.agree_goal(ref, "lifelong", "acme", uow=uow, actor="m", now=NOW)
    final = _generate(uow, ref, store)
    assert (final.created, final.version.number, final.version.status, final.version.draft_reasons) == \
        (True, 4, "final", [])


def test_the_rule_is_read_from_the_workflow_file() -> None:
    base = {"name": "x", "initial": "a", "stages": ["a", "b"], "triggers": [{"name": "go", "source": "a", "dest": "b"}]}
    d = parse_definition({**base, "agreement_final_when": ["goals_agreed"], "goals_open_in": ["a"]}, source="x.yaml")
    assert (d.agreement_final_when, d.goals_open_in) == (("goals_agreed",), ("a",))
    with pytest.raises(DefinitionInvalid) as err:
        parse_definition({**base, "agreement_final_when": ["nonsense"], "goals_open_in": ["zz"]}, source="x.yaml")
    assert any("agreement_final_when: unknown guard 'nonsense'" in d for d in err.value.details)
    assert any("goals_open_in: unknown stage 'zz'" in d for d in err.value.details)
    assert LIFECYCLES.get("ppp-lifecycle").definition.agreement_final_when[1] == "goals_agreed"
