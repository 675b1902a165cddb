"""The aggregate stored and loaded whole, migrations, and the audit trail in the same transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import inspect

from factories import NOW, example_raw, generate_and_sign
from pppflow.domain.interchange import partnership_to_spec
from pppflow.errors import TransitionBlocked
from pppflow.services import changes, partnerships
from pppflow.services.audit import verify_audit


def test_migrations_create_every_table(uow_factory, database_url: str) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        names = set(inspect(uow.session.get_bind()).get_table_names())
    assert {"partnerships", "partners", "goals", "obligations", "contributions", "signoffs", "admissions",
            "audit_entries", "audit_chain_head", "alembic_version"} <= names
    if database_url.startswith("sqlite"):
        with uow_factory() as uow:
            assert uow.session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_import_stores_the_whole_aggregate_and_export_round_trips(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    exported = partnerships.export_partnership(ref, uow=uow_factory())
    again = partnerships.import_partnership(exported, uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW,
                                            as_new=True)
    assert again.ref == "smart-industry-technician-pact-2"
    assert partnerships.export_partnership(again.ref, uow=uow_factory()) == exported
    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        assert p.obligations[0].payment_amount == Decimal("45000")
        assert [c.amount for c in p.contributions] == [Decimal(60000), Decimal(1200), Decimal(150000), Decimal(200)]
        assert p.created_at == NOW
        assert partnership_to_spec(p)["term"]["start"].isoformat() == "2027-01-01"


def test_a_blocked_trigger_writes_nothing(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    with pytest.raises(TransitionBlocked):
        partnerships.advance(ref, "define_goals", uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    assert [e.action for e in partnerships.history(ref, uow=uow_factory())] == ["partnership.import"]
    with uow_factory() as uow:
        assert uow.partnerships.get(ref).stage == "draft"


def test_walk_to_maintenance_with_every_step_audited(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    partners = ["noorderpoort", "hanze", "techbedrijf", "provincie"]
    for goal in ("modules", "lifelong"):
        for k in partners:
            changes.agree_goal(ref, goal, k, uow=uow_factory(), actor="m", now=NOW)
    partnerships.advance(ref, "define_goals", uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    partnerships.advance(ref, "agree_framework", uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    generate_and_sign(ref, uow_factory)
    partnerships.advance(ref, "start_investment", uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    for status in ("fulfilled", "accepted"):
        changes.set_obligation_status(ref, "modules-delivered", status, uow=uow_factory(), actor="m", now=NOW,
                                      evidence="exam board approval 2027-08-20")
    p = partnerships.advance(ref, "start_maintenance", uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    assert p.stage == "maintenance"
    trail = partnerships.history(ref, uow=uow_factory())
    assert [e.action for e in trail].count("transition") == 4
    # import, 8 goal agreements, 2 transitions, check-ins planned, generate, 4 sign-offs + signed + executed copy,
    # transition, 2 obligation statuses, transition
    assert len(trail) == 1 + 8 + 2 + 1 + 1 + 6 + 1 + 2 + 1
    with uow_factory() as uow:
        stored = uow.partnerships.get(ref).agreements[0]
        assert (stored.status, stored.snapshot["name"]) == ("signed", "Smart Industry Technician Pact")
    assert verify_audit(uow=uow_factory()).ok


def test_admission_by_consensus_is_stored(uow_factory, lifecycles) -> None:  # type: ignore[no-untyped-def]
    ref = partnerships.import_partnership(example_raw(), uow=uow_factory(), lifecycles=lifecycles, actor="m",
                                          now=NOW).ref
    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        p.stage = "maintenance"
        uow.commit()
    candidate = {"key": "acme", "name": "Acme Robotics", "kind": "company",
                 "contact": {"name": "Ann", "email": "ann@acme.example"}, "signatory": {"name": "Bo", "title": "CEO"},
                 "responsibility": "Host interns"}
    changes.request_admission(ref, candidate, uow=uow_factory(), lifecycles=lifecycles, actor="m", now=NOW)
    results = [changes.approve_admission(ref, "acme", by, uow=uow_factory(), actor="m", now=NOW)
               for by in ("noorderpoort", "hanze", "techbedrijf", "provincie")]
    assert results[0] == (False, ["hanze", "techbedrijf", "provincie"])
    assert results[-1] == (True, [])
    with uow_factory() as uow:
        p = uow.partnerships.get(ref)
        assert p.partner_keys[-1] == "acme" and p.admissions[0].status == "admitted"
        assert p.responsibilities[-1].role == "Host interns"
