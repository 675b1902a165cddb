"""A lifecycle definition laid out for an inline SVG: the main path left to right, side stages below.

Triggers that start from many stages (suspend, terminate) or return to a remembered stage (resume) would
cross every other arrow, so they are drawn as side stages with a note instead of as arrows.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from pppflow.domain.lifecycle import RETURN, LifecycleDefinition, TriggerCheck

NODE_W, NODE_H, GAP_X, TOP, SIDE_GAP = 124, 44, 74, 70, 34
MANY_SOURCES = 3


@dataclass(frozen=True)
class Node:
    name: str
    label: str
    x: int
    y: int
    state: str  # current | next | blocked | final | plain
    note: str = ""


@dataclass(frozen=True)
class Edge:
    path: str
    lines: tuple[str, ...]  # the trigger's name, broken at underscores when it sits between two stages
    label_x: int
    label_y: int
    state: str  # next | blocked | plain


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]
    node_w: int = NODE_W
    node_h: int = NODE_H


def label(stage: str) -> str:
    return stage.replace("_", " ").capitalize()


def _is_side(sources: tuple[str, ...], dest: str) -> bool:
    return len(sources) >= MANY_SOURCES or dest == RETURN


def _layers(d: LifecycleDefinition, edges: list[tuple[str, str, str]]) -> dict[str, int]:
    layer = {d.initial: 0}
    todo = deque([d.initial])
    while todo:
        here = todo.popleft()
        for src, dest, _ in edges:
            if src == here and dest not in layer:
                layer[dest] = layer[here] + 1
                todo.append(dest)
    return layer


def layout(d: LifecycleDefinition, current: str | None = None, checks: list[TriggerCheck] | None = None) -> Diagram:
    """Positions of stages and arrows; the current stage and the destinations of its triggers are marked."""
    checks = checks or []
    allowed = {c.dest for c in checks if c.allowed}
    blocked = {c.dest for c in checks if not c.allowed} - allowed
    fired = {c.trigger: ("next" if c.allowed else "blocked") for c in checks}
    main = [(s, t.dest, t.name) for t in d.triggers if not _is_side(t.sources, t.dest) for s in t.sources]
    layer = _layers(d, main)
    order = {name: i for i, name in enumerate(d.stage_names)}
    columns: dict[int, list[str]] = {}
    for name in sorted(layer, key=lambda n: (layer[n], order[n])):
        columns.setdefault(layer[name], []).append(name)
    rows = max((len(c) for c in columns.values()), default=1)
    pos: dict[str, tuple[int, int]] = {}
    for col, names in columns.items():
        for row, name in enumerate(names):
            pos[name] = (20 + col * (NODE_W + GAP_X), TOP + row * (NODE_H + 24))
    side_y = TOP + rows * (NODE_H + 24) + SIDE_GAP
    notes = _side_notes(d)
    for i, name in enumerate(n for n in d.stage_names if n not in pos):
        pos[name] = (20 + i * 2 * (NODE_W + GAP_X), side_y)

    def state(name: str) -> str:
        if name == current:
            return "current"
        if name in allowed:
            return "next"
        if name in blocked:
            return "blocked"
        return "final" if d.stage(name).final else "plain"

    nodes = [Node(n, label(n), *pos[n], state(n), notes.get(n, "")) for n in d.stage_names]
    edges = [_edge(pos[s], pos[t], name, fired.get(name, "plain") if s == current else "plain")
             for s, t, name in main if s in pos and t in pos]
    width = max(x for x, _ in pos.values()) + NODE_W + 20
    width = max(width, max((x + 2 * (NODE_W + GAP_X) for n, (x, y) in pos.items() if y == side_y), default=0))
    return Diagram(width, side_y + NODE_H + 34, nodes, edges)


def _side_notes(d: LifecycleDefinition) -> dict[str, str]:
    notes: dict[str, list[str]] = {}
    for t in d.triggers:
        if not _is_side(t.sources, t.dest):
            continue
        if t.dest == RETURN:
            for s in t.sources:
                notes.setdefault(s, []).append(f"{t.name}: back to the stage it left")
        else:
            finals = {s.name for s in d.stages if s.final}
            active = [s for s in d.stage_names if s not in finals]
            where = "any active stage" if set(t.sources) >= set(active) else f"{len(t.sources)} stages"
            notes.setdefault(t.dest, []).append(f"{t.name}: from {where}")
    return {k: "; ".join(v) for k, v in notes.items()}


def _edge(a: tuple[int, int], b: tuple[int, int], name: str, state: str) -> Edge:
    (ax, ay), (bx, by) = a, b
    if bx > ax:  # forward: from the right side of a to the left side of b
        x1, y1, x2, y2 = ax + NODE_W, ay + NODE_H // 2, bx - 4, by + NODE_H // 2
        mx = (x1 + x2) // 2
        path = f"M{x1},{y1} C{mx},{y1} {mx},{y2} {x2},{y2}"
        return Edge(path, tuple(name.split("_")), mx, max(y1, y2) + 14, state)
    # backward or within a column: an arc above both stages
    x1, x2 = ax + NODE_W // 2 + 12, bx + NODE_W // 2
    top = min(ay, by) - 22 - min(abs(x1 - x2) // 10, 36)
    path = f"M{x1},{ay} C{x1},{top} {x2},{top} {x2},{by - 4}"
    return Edge(path, (name,), (x1 + x2) // 2, top + 12, state)
