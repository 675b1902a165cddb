"""Agreement versions: drafts cannot be signed, signatures complete a version, newer versions supersede."""

from __future__ import annotations

import pytest

from factories import NOW, agreement_version, draft, ready
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.agreement import versions as av
from pppflow.errors import NotAllowed, NotFound


def test_a_draft_version_cannot_be_signed() -> None:
    p = draft()
    v = agreement_version(p, status="draft")
    with pytest.raises(NotAllowed) as err:
        av.sign(p, v.number, "hanze", "Henk Visser", None, actor="t", now=NOW)
    assert "draft" in err.value.message
    gaps = load_registry().get(p.workflow).agreement_gaps(p)
    assert "goal 'modules' is not yet agreed by noorderpoort (Noorderpoort College), hanze (Hanze University of " \
           "Applied Sciences), techbedrijf (Noordelijk Techbedrijf B.V.), provincie (Provincie Groningen)" in gaps


def test_signatures_complete_a_version_and_are_bound_to_its_hash() -> None:
    p = ready("framework_agreed")
    v = av.version(p, 1)
    assert v.status == "signed"
    assert {s.document_hash for s in p.signoffs} == {v.pdf_sha256}
    assert [e.action for e in p.events] == []  # ready() clears them
    v2 = agreement_version(p)  # a newer final version does not supersede the signed one until it is signed
    assert [x.status for x in p.agreements] == ["signed", "final"]
    with pytest.raises(NotAllowed):
        av.sign(p, 1, "hanze", "Henk Visser", None, actor="t", now=NOW)
    av.sign(p, v2.number, "hanze", "Henk Visser", "Dean", actor="t", now=NOW)
    with pytest.raises(NotAllowed):
        av.sign(p, v2.number, "hanze", "Henk Visser", "Dean", actor="t", now=NOW)
    assert p.events[-1].action == "signoff.record"


def test_generating_again_supersedes_unsigned_versions() -> None:
    p = draft()
    agreement_version(p, status="draft")
    agreement_version(p)
    agreement_version(p)
    assert [v.status for v in p.agreements] == ["superseded", "superseded", "final"]
    with pytest.raises(NotAllowed):
        av.sign(p, 2, "hanze", "Henk Visser", None, actor="t", now=NOW)
    with pytest.raises(NotFound):
        av.version(p, 9)
    assert av.latest_signable(p).number == 3


def test_a_stale_version_cannot_be_signed() -> None:
    p = draft()
    agreement_version(p)
    p.obligations[0].title = "Develop four modules"
    with pytest.raises(NotAllowed) as err:
        av.sign(p, 1, "hanze", "Henk Visser", None, actor="t", now=NOW)
    assert "out of date" in err.value.message
