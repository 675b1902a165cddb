"""Run the real `pppflow` command in a fresh home with an embedded database (`cli`, `agreed_cli`); the browser
tests' fixtures (`browser`, `server`) come from browsing.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from browsing import browser, server  # noqa: F401 - the browser tests' fixtures, defined once there
from servers import READY_WITHIN


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {**os.environ, "PPPFLOW_HOME": str(home), "PPPFLOW_ACTOR": "marieke", "COLUMNS": "200"}
        self.env.pop("PPPFLOW_DATABASE_URL", None)

    def __call__(self, *args: str, stdin: str | None = None) -> Result:
        proc = subprocess.run([sys.executable, "-m", "pppflow", *args], env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=READY_WITHIN)
        assert "Traceback" not in proc.stderr, proc.stderr
        return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "home")


@pytest.fixture
def agreed_cli(cli: Cli, lifecycles: Any) -> Cli:
    """The CLI's home holding the example partnership (with a research plan due) whose framework is agreed; one
    reminder is due on 2027-01-08."""
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
    from scheduling import agreed, with_report

    factory = session_factory(f"sqlite:///{cli.home / 'pppflow.db'}")
    agreed(lambda: SqlUnitOfWork(factory), lifecycles, with_report())
    factory.kw["bind"].dispose()
    return cli
