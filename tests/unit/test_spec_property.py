"""Property (issue 9 §3): any spec the validator accepts can be shown, exported, advanced to framework_agreed and
rendered without an internal error.

Hypothesis varies every bounded value of the example spec (amounts up to 15+2 digits, dates across the whole
window, a term ending at its edge, texts of any Unicode up to their length; and now and then a value beyond any
bound, such as 1e400 or 9999-12-31) and keeps the ones parse_spec accepts.
The agreement is rendered to HTML with the real templates (the PDF step is the fake renderer's: WeasyPrint takes a
second per example).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factories import NOW, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.agreements import FakeAgreementRenderer, WeasyAgreementRenderer
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.adapters.workflow_files import load_registry
from pppflow.cli.output import _plain
from pppflow.documents_io import dump_document, parse_document
from pppflow.domain.spec import FIRST_DAY, LAST_DAY, parse_spec
from pppflow.errors import SpecInvalid
from pppflow.services import changes, partnerships
from pppflow.services.agreements import generate_agreement
from pppflow.services.portfolio import contribution_totals
from pppflow.services.views import partnership_detail

LIFECYCLES = load_registry()
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300)


def mostly(inside: st.SearchStrategy[Any], beyond: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values inside the bounds, and one time in ten anything at all (which the validator must refuse or bear)."""
    return st.integers(0, 9).flatmap(lambda i: beyond if i == 0 else inside)


AMOUNTS = mostly(st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2, allow_nan=False,
                             allow_infinity=False),
                 st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(["1e400", "9" * 5001, 1e300]))
DAYS = mostly(st.dates(FIRST_DAY, LAST_DAY), st.dates())


class HtmlRenderer(FakeAgreementRenderer):
    """The real templates to HTML; the fake's stand-in PDF."""

    def html(self, context: dict[str, Any]) -> Any:
        return WeasyAgreementRenderer().html(context)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    raw = example_raw()
    raw["name"] = draw(TEXT.map(lambda t: t[:200]))
    raw["language"] = draw(st.sampled_from(["en", "nl"]))
    raw["region"] = draw(st.none() | TEXT.map(lambda t: t[:200]))
    start = draw(mostly(st.dates(FIRST_DAY, date(2149, 12, 1)), st.dates()))
    raw["term"] = {"start": start, "months": draw(st.integers(1, 600)), "notice_days": draw(st.integers(0, 3650)),
                   "renewal": draw(st.sampled_from(["manual", "automatic"]))}
    for goal in raw["goals"]:
        goal["statement"] = draw(st.text(min_size=1, max_size=5000))
        goal["target_date"] = draw(st.none() | DAYS)
        goal["indicators"] = draw(st.lists(TEXT, min_size=1, max_size=3))  # the goals_agreed guard needs one
    for o in raw["obligations"]:
        o["title"] = draw(TEXT.map(lambda t: t[:200]))
        o["due"] = draw(DAYS if o["type"] == "result" else st.none() | DAYS)  # obligations_defined needs one
        if o.get("payment"):
            o["payment"] = {"amount": draw(AMOUNTS.map(str) | AMOUNTS),
                            "currency": draw(st.from_regex(r"[A-Z]{3}", fullmatch=True))}
    for c in raw["contributions"]:
        c["amount"] = draw(AMOUNTS)
        c["unit"] = draw(TEXT.map(lambda t: t[:80]))
        c["description"] = draw(st.text(max_size=500))
    raw["checkins"]["first"] = draw(DAYS)
    return raw


@given(raw=specs())
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_an_accepted_spec_can_be_shown_exported_advanced_and_rendered(raw: dict[str, Any]) -> None:
    try:
        parse_spec(raw)
    except SpecInvalid:
        assume(False)
    uow = FakeUnitOfWork()
    ref = partnerships.import_partnership(raw, uow=uow, lifecycles=LIFECYCLES, actor="t", now=NOW).ref

    status = partnerships.show_partnership(ref, uow=uow, lifecycles=LIFECYCLES, as_of=NOW.date())
    json.dumps(partnership_detail(status.partnership, status.checks, status.next_checkin), default=_plain)
    assert contribution_totals(status.partnership) is not None

    exported = partnerships.export_partnership(ref, uow=uow)
    for fmt in ("yaml", "json"):
        text = dump_document(exported, fmt)
        again = parse_spec(parse_document(text, f"export.{fmt}", limit=10 * 1024 * 1024))
        assert [c.amount for c in again.contributions] == [c.amount for c in parse_spec(raw).contributions]

    p = status.partnership
    for goal in p.goals:
        for partner in p.partner_keys:
            changes.agree_goal(ref, goal.key, partner, uow=uow, actor="t", now=NOW)
    for trigger in ("define_goals", "agree_framework"):
        partnerships.advance(ref, trigger, uow=uow, lifecycles=LIFECYCLES, actor="t", now=NOW)
    assert partnerships.show_partnership(ref, uow=uow, lifecycles=LIFECYCLES).partnership.stage == "framework_agreed"

    generated = generate_agreement(ref, uow_factory=lambda: uow, renderer=HtmlRenderer(), store=FakeDocumentStore(),
                                   actor="t", now=NOW)
    assert generated.created and generated.version.number == 1
