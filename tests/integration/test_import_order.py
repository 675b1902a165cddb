"""Modules import in any order: a fresh interpreter (a subprocess) imports them first, before anything else."""

from __future__ import annotations

import subprocess
import sys

from servers import READY_WITHIN


def test_guards_and_agreement_versions_import_without_a_cycle() -> None:
    r = subprocess.run([sys.executable, "-c", "import pppflow.domain.agreement.versions, pppflow.domain.guards"],
                       capture_output=True, text=True, timeout=READY_WITHIN)
    assert r.returncode == 0, r.stderr
