"""Building partnerships in a given state for tests."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from pppflow.domain.interchange import partnership_from_spec
from pppflow.domain.model import Partnership
from pppflow.domain.spec import parse_spec

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
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
    for x in p.partners:
        p.record_signoff(x.key, x.signatory_name, None, actor="t", now=NOW)
    for o in p.obligations:
        if o.is_result and o.phase == "investment":
            p.set_obligation_status(o.key, "fulfilled", evidence=None, actor="t", now=NOW)
            p.set_obligation_status(o.key, "accepted", evidence="approved", actor="t", now=NOW)
    p.events.clear()
    p.stage = stage
    if stage == "suspended":
        p.return_stage = "investment"
    return p
