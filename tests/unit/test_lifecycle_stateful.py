"""Hypothesis: random triggers and data changes never enter a stage whose guards did not hold,
and the audit chain always verifies."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from factories import NOW, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.audit import verify_chain
from pppflow.domain.lifecycle import RETURN
from pppflow.errors import DomainError, NotFound
from pppflow.services import agreements, changes, partnerships

LIFECYCLES = load_registry()
LIFECYCLE = LIFECYCLES.get("ppp-lifecycle")
TRIGGERS = [t.name for t in LIFECYCLE.definition.triggers]
# terminate ends a run; sample it less often so that runs reach the later stages
WEIGHTED_TRIGGERS = [t for t in TRIGGERS if t != "terminate"] * 4 + ["terminate"]
PARTNERS = ["noorderpoort", "hanze", "techbedrijf", "provincie", "acme"]
SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra", "acme": "Bo Acme"}
ACME = {"key": "acme", "name": "Acme", "kind": "company", "contact": {"name": "A", "email": "a@acme.example"},
        "signatory": {"name": "Bo Acme", "title": "CEO"}, "responsibility": "Interns"}


class PartnershipLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.uow = FakeUnitOfWork()
        self.renderer, self.store = FakeAgreementRenderer(), FakeDocumentStore()
        self.ref = partnerships.import_partnership(example_raw(), uow=self.uow, lifecycles=LIFECYCLES,
                                                   actor="h", now=NOW).ref

    @property
    def p(self):  # type: ignore[no-untyped-def]
        return self.uow.partnerships.get(self.ref)

    @rule(trigger=st.sampled_from(WEIGHTED_TRIGGERS), reason=st.sampled_from([None, "", "because"]))
    def fire(self, trigger: str, reason: str | None) -> None:
        p = self.p
        before, t = p.stage, LIFECYCLE.definition.trigger(trigger)
        reasons = LIFECYCLE.blocking_reasons(p, t)
        expected = p.return_stage if t.dest == RETURN else t.dest
        try:
            partnerships.advance(self.ref, trigger, uow=self.uow, lifecycles=LIFECYCLES, actor="h", now=NOW,
                                 reason=reason)
        except DomainError:
            assert self.p.stage == before
            return
        assert before in t.sources, f"{trigger} fired from {before}"
        assert reasons == [], f"{trigger} entered {p.stage} although: {reasons}"
        assert not t.reason_required or (reason or "").strip()
        assert self.p.stage == expected

    @rule(pick=st.integers(min_value=0, max_value=3))
    def forward(self, pick: int) -> None:
        """Fire one of the triggers that start from the current stage (not suspend or terminate)."""
        options = [c.trigger for c in LIFECYCLE.checks(self.p) if c.trigger not in ("suspend", "terminate")]
        if options:
            self.fire(options[pick % len(options)], None)

    @rule(goal=st.sampled_from(["modules", "lifelong"]), partner=st.sampled_from(PARTNERS))
    def agree(self, goal: str, partner: str) -> None:
        with contextlib.suppress(DomainError, NotFound):
            changes.agree_goal(self.ref, goal, partner, uow=self.uow, actor="h", now=NOW)

    @rule(key=st.sampled_from(["modules-delivered", "assignments", "research"]),
          status=st.sampled_from(["pending", "fulfilled", "accepted", "waived", "breached"]))
    def obligation(self, key: str, status: str) -> None:
        with contextlib.suppress(DomainError):
            changes.set_obligation_status(self.ref, key, status, uow=self.uow, actor="h", now=NOW)

    @rule()
    def generate_agreement(self) -> None:
        agreements.generate_agreement(self.ref, uow_factory=lambda: self.uow, renderer=self.renderer,
                                      store=self.store, actor="h", now=NOW, lifecycles=load_registry())

    @rule(partner=st.sampled_from(PARTNERS))
    def sign(self, partner: str) -> None:
        with contextlib.suppress(DomainError, NotFound):
            agreements.sign_agreement(self.ref, None, partner, SIGNATORIES[partner], uow_factory=lambda: self.uow,
                                      renderer=self.renderer, store=self.store, actor="h", now=NOW)

    @rule()
    def everyone_agrees_every_goal(self) -> None:
        for goal in ("modules", "lifelong"):
            for partner in self.p.partner_keys:
                self.agree(goal, partner)

    @rule()
    def everyone_signs(self) -> None:
        self.generate_agreement()
        for partner in self.p.partner_keys:
            self.sign(partner)

    @rule()
    def investment_result_accepted(self) -> None:
        self.obligation("modules-delivered", "fulfilled")
        self.obligation("modules-delivered", "accepted")

    @rule()
    def propose_acme(self) -> None:
        with contextlib.suppress(DomainError):
            changes.request_admission(self.ref, ACME, uow=self.uow, lifecycles=LIFECYCLES, actor="h", now=NOW)

    @rule(by=st.sampled_from(PARTNERS))
    def approve_acme(self, by: str) -> None:
        with contextlib.suppress(DomainError, NotFound):
            changes.approve_admission(self.ref, "acme", by, uow=self.uow, actor="h", now=NOW)

    @invariant()
    def audit_chain_verifies(self) -> None:
        assert verify_chain(self.uow.audit.entries(), head=self.uow.audit.head()).ok

    @invariant()
    def stage_is_defined(self) -> None:
        p = self.p
        assert p.stage in LIFECYCLE.definition.stage_names
        assert (p.stage == "suspended") == (p.return_stage is not None)


PartnershipLifecycle.TestCase.settings = settings(
    max_examples=150, stateful_step_count=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TestPartnershipLifecycle = PartnershipLifecycle.TestCase
