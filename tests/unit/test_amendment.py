"""Amending the agreed content: partners only by admission, changed goals agreed again, statuses kept."""

from __future__ import annotations

import pytest

from factories import NOW, ready
from pppflow.domain.agreement.amendment import amend
from pppflow.domain.agreement.versions import signed_agreement_reasons
from pppflow.domain.interchange import partnership_to_spec
from pppflow.domain.spec import parse_spec
from pppflow.errors import NotAllowed


def revised(p, change):  # type: ignore[no-untyped-def]
    spec = partnership_to_spec(p)
    change(spec)
    return parse_spec(spec)


def test_an_amended_obligation_keeps_its_status_and_makes_the_signed_agreement_stale() -> None:
    p = ready("maintenance")
    assert signed_agreement_reasons(p) == []
    changed = amend(p, revised(p, lambda s: s["obligations"][0].update(title="Develop four modules")),
                    actor="m", now=NOW, reason="scope extended")
    assert changed == ["obligations"]
    o = p.obligation("modules-delivered")
    assert (o.title, o.status) == ("Develop four modules", "accepted")
    assert p.events[-1].action == "partnership.amend" and p.events[-1].reason == "scope extended"
    assert "signed version 1 is out of date" in signed_agreement_reasons(p)[0]


def test_a_changed_goal_must_be_agreed_again_and_unchanged_ones_keep_their_agreement() -> None:
    p = ready("maintenance")
    amend(p, revised(p, lambda s: s["goals"][0]["indicators"].append("Four modules by 2028")), actor="m", now=NOW,
          reason=None)
    assert p.goal("modules").agreed_by == []
    assert len(p.goal("lifelong").agreed_by) == 4


def test_partners_are_not_added_or_removed_by_amendment() -> None:
    p = ready("maintenance")
    def drop_provincie(s):  # type: ignore[no-untyped-def]
        s["partners"].pop()
        s["responsibilities"] = [r for r in s["responsibilities"] if r["partner"] != "provincie"]
        s["contributions"] = [c for c in s["contributions"] if c["partner"] != "provincie"]

    with pytest.raises(NotAllowed) as err:
        amend(p, revised(p, drop_provincie), actor="m", now=NOW, reason=None)
    assert "removed: provincie" in err.value.details[0]
    amend(p, revised(p, lambda s: s["partners"][0]["contact"].update(name="Els Jansen")), actor="m", now=NOW,
          reason=None)
    assert p.partner("noorderpoort").contact_name == "Els Jansen"


def test_the_same_content_is_no_amendment() -> None:
    p = ready("maintenance")
    assert amend(p, revised(p, lambda s: None), actor="m", now=NOW, reason=None) == []
    assert p.events == []
