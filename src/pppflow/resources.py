"""Where the shipped data folders (`workflows/`, `agreement_templates/`) are.

In a wheel they sit inside the package; in a source checkout (editable install, tests) at the repo top.
"""

from __future__ import annotations

from pathlib import Path


def shipped_dir(name: str) -> Path:
    """The shipped folder `name`, from the installed package or the source checkout."""
    inside = Path(__file__).resolve().parent / name
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / name
