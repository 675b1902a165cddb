"""Hostile documents from issue 9 §2, made on demand (the tests and bench/input_bench.py use them)."""

from __future__ import annotations

import json


def billion_laughs(levels: int = 9) -> str:
    """2.7 KB of YAML that expands to 10**levels strings: each level lists the one below ten times."""
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def one_anchor_many_times(size: int = 100 * 1024, uses: int = 2000) -> str:
    """A 100 KB anchor used 2,000 times as a goal statement: 108 KB of file, 200 MB once expanded."""
    goals = "\n".join(f"  - {{key: g{i}, statement: *big}}" for i in range(uses))
    return f"spec: pppflow/v1\nname: Anchored\nbig: &big {'x' * size}\ngoals:\n{goals}\n"


def deep_yaml(depth: int = 500) -> str:
    """Lists nested `depth` deep in block style."""
    return "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "- x\n"


def deep_json(depth: int = 500) -> str:
    return "[" * depth + "]" * depth


def duplicate_keys_yaml() -> str:
    return "spec: pppflow/v1\nname: First\nterm:\n  start: 2027-01-01\n  months: 12\n  months: 48\n"


def duplicate_keys_json() -> str:
    return '{"spec": "pppflow/v1", "partners": [{"key": "a", "name": "A", "name": "B"}]}'


def huge(size: int = 50 * 1024 * 1024) -> str:
    """A YAML file of `size` bytes that is valid but far past any document limit."""
    prefix = "spec: pppflow/v1\nnotes: "
    return prefix + json.dumps("x" * (size - len(prefix) - 3)) + "\n"


BOMBS = {"billion-laughs.yaml": billion_laughs, "anchor-2000.yaml": one_anchor_many_times,
         "deep.yaml": deep_yaml, "deep.json": deep_json, "duplicate-keys.yaml": duplicate_keys_yaml,
         "duplicate-keys.json": duplicate_keys_json}
