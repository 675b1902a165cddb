"""Text and Mermaid renderings of a lifecycle definition, with the current stage marked."""

from __future__ import annotations

from pppflow.domain.lifecycle import RETURN, LifecycleDefinition


def _edges(d: LifecycleDefinition) -> list[tuple[str, str, str]]:
    remembered = sorted({s for t in d.triggers if t.remember_stage for s in t.sources})
    edges = []
    for t in d.triggers:
        for s in t.sources:
            for dest in (remembered if t.dest == RETURN else [t.dest]):
                edges.append((s, dest, t.name))
    return edges


def as_mermaid(d: LifecycleDefinition, current: str | None = None) -> str:
    """A Mermaid stateDiagram-v2; the current stage gets the `current` class."""
    lines = ["stateDiagram-v2", f"    [*] --> {d.initial}"]
    lines += [f"    {s} --> {dest} : {name}" for s, dest, name in _edges(d)]
    lines += [f"    {s.name} --> [*]" for s in d.stages if s.final]
    if current:
        lines += ["    classDef current fill:#1f6feb,color:#ffffff,stroke:#0b3d91,stroke-width:3px",
                  f"    class {current} current"]
    return "\n".join(lines) + "\n"


def as_text(d: LifecycleDefinition, current: str | None = None) -> str:
    """Stages in order with their outgoing triggers; `▶` marks the current stage."""
    edges = _edges(d)
    out = [f"{d.name}: {d.title}".rstrip(": ")]
    for s in d.stages:
        mark = "▶" if s.name == current else " "
        flags = [f for f, on in (("initial", s.name == d.initial), ("final", s.final),
                                 ("current", s.name == current)) if on]
        out.append(f"{mark} {s.name}" + (f" [{', '.join(flags)}]" if flags else ""))
        for src, dest, name in edges:
            if src != s.name:
                continue
            trigger = d.trigger(name)
            guards = f"  guards: {', '.join(trigger.guards)}" if trigger.guards else ""
            out.append(f"      {name} -> {dest}{guards}")
    return "\n".join(out) + "\n"
