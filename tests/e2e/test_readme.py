"""The README's "Using it" and "Check-ins" blocks, run as written from the repository in a scratch home."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_block(heading: str) -> str:
    """The first ```bash block under the `## heading` section of the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```bash\n(.*?)```", section, re.S)
    assert found, f"no bash block under {heading!r}"
    return found.group(1)


def test_the_readme_blocks_use_files_of_the_repository() -> None:
    for heading in ("Using it", "Check-ins and reminders"):
        for path in re.findall(r"(examples/\S+)", readme_block(heading)):
            assert (ROOT / path).is_file(), path


def test_every_command_of_using_it_and_checkins_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "PPPFLOW_HOME": str(tmp_path / "home"), "PPPFLOW_ACTOR": "readme",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for key in [k for k in env if k.startswith(("PPPFLOW_DATABASE", "PPPFLOW_SMTP", "PREFECT_"))]:
        del env[key]
    for heading in ("Using it", "Check-ins and reminders"):
        block = readme_block(heading)
        commands = [line for line in block.splitlines() if line.strip().startswith("pppflow ")]
        assert commands, heading
        # every command line traced; the block stops at the first command that does not exit 0
        script = "set -e -o pipefail\ntrap 'echo \"FAILED: $BASH_COMMAND\" >&2' ERR\n" + block
        r = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=540)
        assert r.returncode == 0, f"{heading}: exit {r.returncode}\n{r.stderr[-3000:]}\n{r.stdout[-2000:]}"
        assert "Traceback" not in r.stderr
