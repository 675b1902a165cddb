"""A full disk is a clear message, exit 1, with nothing half-written (issue 9 §7): ENOSPC injected where the
document store writes (a small tmpfs needs root to mount; the injection reaches the same code path)."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import pytest

from pppflow import bootstrap
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.cli import app as cli_app
from pppflow.config import get_settings
from pppflow.documents_io import files as io_files
from pppflow.services import agreements
from pppflow.wiring import build_wiring

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "smart-industry-pact.yaml"
REF = "smart-industry-technician-pact"


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["pppflow", *args])
    with pytest.raises(SystemExit) as exit_:
        cli_app.main()
    return int(exit_.value.code or 0)


def test_agreement_generate_on_a_full_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PPPFLOW_HOME", str(tmp_path))
    monkeypatch.delenv("PPPFLOW_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert _run(monkeypatch, "partnership", "import", str(FIXTURE)) == 0
        fake = build_wiring(get_settings(), renderer=FakeAgreementRenderer())
        monkeypatch.setattr(bootstrap, "wiring", lambda: fake)

        def full(_fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(io_files.os, "fsync", full)
        capsys.readouterr()
        assert _run(monkeypatch, "agreement", "generate", REF) == 1
        err = capsys.readouterr().err
        assert "the disk is full" in err and "nothing was saved" in err and "internal error" not in err
        leftovers = [p for p in (tmp_path / "documents").rglob("*") if p.is_file() and p.name != ".generation.lock"]
        assert leftovers == []  # neither a document nor a temporary file
        _, versions = agreements.list_versions(REF, uow=bootstrap.wiring().uow())
        assert versions == []
    finally:
        get_settings.cache_clear()
