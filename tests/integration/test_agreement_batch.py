"""`generate_many` on two processes: this one and a spawned worker wired by the function passed in; every
partnership is generated once, whoever takes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factories import NOW, example_raw
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.wiring import Wiring, build_wiring

pytestmark = pytest.mark.slow  # a spawned process


def fake_rendering_wiring() -> Wiring:
    """The configured database and document folder, a fake PDF renderer (importable: the worker is spawned)."""
    from pppflow.config import get_settings

    return build_wiring(get_settings(), renderer=FakeAgreementRenderer())


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from pppflow.config import get_settings

    monkeypatch.setenv("PPPFLOW_HOME", str(tmp_path / "home"))  # the spawned worker inherits the environment
    monkeypatch.delenv("PPPFLOW_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


def test_two_processes_generate_every_agreement_once(home: Path, lifecycles: Any) -> None:
    from pppflow.services.agreement_batch import generate_many
    from pppflow.services.partnerships import import_partnership

    w = fake_rendering_wiring()
    refs = [import_partnership(example_raw(), uow=w.uow(), lifecycles=lifecycles, actor="t", now=NOW, as_new=True
                               ).ref for _ in range(5)]
    seen: list[str] = []
    results = generate_many(refs, wiring=fake_rendering_wiring, actor="t", now=NOW, workers=2,
                            on_done=lambda r: seen.append(r.ref), size=lambda ref: len(ref))
    assert [(r.ref, r.version, r.created, r.error) for r in results] == [(ref, 1, True, None) for ref in sorted(refs)]
    assert sorted(seen) == sorted(refs)
    again = generate_many(refs, wiring=fake_rendering_wiring, actor="t", now=NOW, workers=2)
    assert [(r.version, r.created) for r in again] == [(1, False)] * 5
    assert len(list((home / "documents").rglob("*.pdf"))) == 5
