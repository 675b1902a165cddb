"""The CLI's last line of defence: a value the database refuses is the input's fault (exit 2), not a bug."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import DataError

from pppflow.cli import app as cli_app
from pppflow.config import get_settings
from pppflow.services import partnerships


def test_a_value_the_database_refuses_is_bad_input(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(**_: object) -> None:
        raise DataError("SELECT ...", {}, Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes"))

    monkeypatch.setenv("PPPFLOW_HOME", str(tmp_path))
    monkeypatch.delenv("PPPFLOW_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(partnerships, "list_partnerships", refuse)
    monkeypatch.setattr(sys, "argv", ["pppflow", "partnership", "list"])
    try:
        with pytest.raises(SystemExit) as exit_:
            cli_app.main()
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "the database refused a value" in err and "cannot contain NUL" in err and "internal error" not in err


def test_a_flows_result_is_printed_as_a_table_not_a_python_dict() -> None:
    from rich.console import Console

    from pppflow.cli.flows import result_table

    out = Console(record=True, width=100)
    out.print(result_table("send_checkin_reminders", {"as_of": "2027-01-08", "missed": 0, "due": 1, "sent": 1,
                                                      "outbox": {"failed": 0}}))
    text = out.export_text()
    assert "send_checkin_reminders: done" in text and "outbox.failed" in text and "as of" in text
    assert "{" not in text and "'" not in text
