"""A reading command loads only what it reads: how fast it starts is measured in bench/cli_startup.py."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "smart-industry-pact.yaml")
REF = "smart-industry-technician-pact"
WATCHED = ("rich", "transitions", "yaml", "alembic", "jinja2", "babel", "pppflow.domain.spec",
           "pppflow.domain.lifecycle", "pppflow.domain.checkins.progress_file", "pppflow.cli.agreement",
           "pppflow.adapters.agenda", "pppflow.adapters.mail.outbox")
# Runs the real entry point; when it exits, says which of the watched modules it had imported.
PROBE = """
import atexit, sys
atexit.register(lambda: print("LOADED", sorted(m for m in {watched!r} if m in sys.modules), file=sys.stderr))
sys.argv = ["pppflow", *{args!r}]
from pppflow.cli.app import main
main()
"""


def loaded(cli, *args: str) -> list[str]:  # type: ignore[no-untyped-def]
    probe = PROBE.format(watched=WATCHED, args=args)
    proc = subprocess.run([sys.executable, "-c", probe], env=cli.env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED "))
    return ast.literal_eval(line.removeprefix("LOADED "))


@pytest.fixture
def imported(cli):  # type: ignore[no-untyped-def]
    assert cli("partnership", "import", EXAMPLE).code == 0
    return cli


def test_listing_as_json_loads_no_lifecycle_no_rich_and_no_other_command(imported) -> None:  # type: ignore[no-untyped-def]
    assert loaded(imported, "partnership", "list", "--json") == []


def test_showing_as_json_loads_the_lifecycles_but_no_rich_no_spec_models_and_no_templates(imported) -> None:  # type: ignore[no-untyped-def]
    assert loaded(imported, "partnership", "show", REF, "--json") == ["pppflow.domain.lifecycle", "transitions", "yaml"]


def test_a_table_for_people_loads_rich(imported) -> None:  # type: ignore[no-untyped-def]
    assert loaded(imported, "partnership", "list") == ["rich"]
