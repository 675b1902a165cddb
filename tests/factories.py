"""Building partnerships in a given state for tests."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.agreement import versions as av
from pppflow.domain.interchange import partnership_from_spec
from pppflow.domain.model import AgreementVersion, Partnership
from pppflow.domain.spec import parse_spec

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"
_RAW = yaml.safe_load((FIXTURES / "smart-industry-pact.yaml").read_text(encoding="utf-8"))


def example_raw() -> dict[str, Any]:
    return copy.deepcopy(_RAW)


def draft(raw: dict[str, Any] | None = None, ref: str = "pact") -> Partnership:
    """The example partnership, freshly imported, in draft."""
    return partnership_from_spec(parse_spec(raw or example_raw()), ref=ref, initial_stage="draft", now=NOW)


def ready(stage: str = "draft", ref: str = "pact") -> Partnership:
    """The example partnership with every guard of the default lifecycle satisfied, placed in `stage`."""
    p = draft(ref=ref)
    for g in p.goals:
        for k in p.partner_keys:
            p.agree_goal(g.key, k, actor="t", now=NOW)
    sign_everything(p)
    for o in p.obligations:
        if o.is_result and o.phase == "investment":
            p.set_obligation_status(o.key, "fulfilled", evidence=None, actor="t", now=NOW)
            p.set_obligation_status(o.key, "accepted", evidence="approved", actor="t", now=NOW)
    p.events.clear()
    p.stage = stage
    if stage == "suspended":
        p.return_stage = "investment"
    return p


def agreement_version(p: Partnership, *, status: str = "final", language: str | None = None,
                      translation_of: int | None = None) -> AgreementVersion:
    """A generated version of the partnership's current content, as the agreement service would store it."""
    n = av.next_number(p)
    v = AgreementVersion(number=n, stage=p.stage, language=language or p.language, template_name="t.html.j2",
                         template_hash="0" * 64, content_hash=av.content_hash(p), agreement_epoch=p.agreement_epoch,
                         html_sha256="1" * 64, pdf_sha256=f"{n:064d}", document_path=f"agreements/{p.ref}/v{n}.pdf",
                         created_by="t", created_at=NOW, status=status, translation_of=translation_of)
    av.add_version(p, v, actor="t", now=NOW)
    return v


def sign_everything(p: Partnership) -> AgreementVersion:
    """Generate a final version and have every signatory sign it."""
    v = agreement_version(p)
    for x in p.partners:
        av.sign(p, v.number, x.key, x.signatory_name, None, actor="t", now=NOW)
    return v


SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra"}


def generate_and_sign(ref: str, uow_factory: Any, now: datetime = NOW) -> AgreementVersion:
    """Through the services: a new agreement version (fake renderer and store), signed by every signatory."""
    from pppflow.adapters.documents.agreements import FakeAgreementRenderer
    from pppflow.adapters.documents.store import FakeDocumentStore
    from pppflow.services import agreements

    renderer, store = FakeAgreementRenderer(), FakeDocumentStore()
    v = agreements.generate_agreement(ref, uow_factory=uow_factory, renderer=renderer, store=store, actor="legal",
                                      lifecycles=load_registry(), now=now).version
    for partner, name in SIGNATORIES.items():
        agreements.sign_agreement(ref, v.number, partner, name, uow_factory=uow_factory, renderer=renderer,
                                  store=store, actor="legal", now=now)
    return v

