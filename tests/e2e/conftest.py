"""Run the real `pppflow` command in a fresh home with an embedded database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


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
                              capture_output=True, text=True, timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "home")
