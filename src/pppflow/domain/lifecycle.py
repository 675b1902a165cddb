"""A lifecycle definition (data) compiled into one shared `transitions` machine.

The machine is built once per definition with `model=None`; a trigger is dispatched on a partnership with
`machine.events[name].trigger(partnership)`, so no machine lives on a row. Guards are evaluated here first
so that a blocked trigger reports every reason, not only the first; the machine's own conditions repeat
the check, so the machine never moves without them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from transitions import Machine, MachineError

from pppflow.domain.guards import GUARDS
from pppflow.domain.model import Partnership
from pppflow.errors import BlockReason, DefinitionInvalid, InvalidTransition, TransitionBlocked, UnknownTrigger

RETURN = "$return"  # destination of a trigger that goes back to the stage a `remember_stage` trigger left
ANY = "*"           # source meaning every stage that is not final


Titles = tuple[tuple[str, str], ...]  # (language, title) pairs from the YAML's `title: {en: ..., nl: ...}`


def title_in(titles: Titles, name: str, language: str = "en") -> str:
    """The title in `language`, else in English, else the name with spaces for underscores."""
    found = dict(titles)
    return found.get(language) or found.get("en") or name.replace("_", " ")


@dataclass(frozen=True)
class Stage:
    name: str
    description: str = ""
    final: bool = False
    schedules_checkins: bool = False  # entering it expands the check-in plan into dated check-ins
    titles: Titles = ()

    def title(self, language: str = "en") -> str:
        """What users read for this stage."""
        return title_in(self.titles, self.name, language)


@dataclass(frozen=True)
class Trigger:
    name: str
    sources: tuple[str, ...]
    dest: str
    guards: tuple[str, ...] = ()
    description: str = ""
    reason_required: bool = False
    remember_stage: bool = False
    invalidates_agreement: bool = False  # signed agreements no longer hold after it (a renewal)
    extends_term: bool = False  # the term is extended by the renewal period (or one given with the trigger)
    titles: Titles = ()
    guard_params: tuple[tuple[str, Any], ...] = ()  # guards written `{name: value}`, e.g. health_at_least: 60

    def title(self, language: str = "en") -> str:
        """What users read for this trigger."""
        return title_in(self.titles, self.name, language)

    def param(self, guard: str) -> Any:
        return dict(self.guard_params).get(guard)


@dataclass(frozen=True)
class TriggerCheck:
    """Whether a trigger can fire now, and if not, why."""

    trigger: str
    dest: str
    reasons: tuple[str, ...]
    reason_required: bool

    @property
    def allowed(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class LifecycleDefinition:
    name: str
    initial: str
    stages: tuple[Stage, ...]
    triggers: tuple[Trigger, ...]
    title: str = ""
    description: str = ""
    source: str = "<memory>"
    # guards that must all hold for a generated agreement to be final (ready for signature), not a draft
    agreement_final_when: tuple[str, ...] = ()
    # stages in which a partner may still withdraw its agreement to a goal; later it proposes an amendment
    goals_open_in: tuple[str, ...] = ()
    # the building block whose partnerships land here unless `workflow:` says otherwise
    building_block: str | None = None
    stage_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage_names", tuple(s.name for s in self.stages))

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)

    def stage_title(self, name: str, language: str = "en") -> str:
        """The title of a stage users read (the name itself for a stage this definition does not have)."""
        return self.stage(name).title(language) if name in self.stage_names else name.replace("_", " ")

    def trigger_title(self, name: str, language: str = "en") -> str:
        """The title of a trigger users read."""
        for t in self.triggers:
            if t.name == name:
                return t.title(language)
        return name.replace("_", " ")

    def trigger(self, name: str) -> Trigger:
        for t in self.triggers:
            if t.name == name:
                return t
        raise UnknownTrigger(f"lifecycle {self.name!r} has no trigger {name!r}",
                             details=[f"triggers: {', '.join(t.name for t in self.triggers)}"])


def parse_definition(data: Any, *, source: str) -> LifecycleDefinition:
    """Build and validate a definition from parsed YAML; every problem names the source file."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionInvalid(f"{source}: a lifecycle definition must be a mapping")
    stages = tuple(_parse_stage(s, i, problems) for i, s in enumerate(data.get("stages") or []))
    names = [s.name for s in stages]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"stage {dup!r} is defined twice")
    final = {s.name for s in stages if s.final}
    triggers = tuple(_parse_trigger(t, i, names, final, problems) for i, t in enumerate(data.get("triggers") or []))
    initial = _initial_stage(data, names, problems)
    if not stages:
        problems.append("no stages defined")
    final_when = _names(data, "agreement_final_when", problems)
    problems += [f"agreement_final_when: unknown guard {g!r} (known: {', '.join(sorted(GUARDS))})"
                 for g in final_when if g not in GUARDS]
    goals_open = _names(data, "goals_open_in", problems) or ((initial,) if initial else ())
    problems += [f"goals_open_in: unknown stage {s!r}" for s in goals_open if s not in names]
    if not problems:
        problems += _unreachable(initial, names, triggers)
    if problems:
        raise DefinitionInvalid(f"{source}: invalid lifecycle definition", details=problems)
    return LifecycleDefinition(name=str(data.get("name") or ""), initial=initial, stages=stages,
                               triggers=triggers, title=str(data.get("title") or ""),
                               description=str(data.get("description") or ""), source=source,
                               agreement_final_when=final_when, goals_open_in=goals_open,
                               building_block=str(data["building_block"]) if data.get("building_block") else None)


def _initial_stage(data: dict[str, Any], names: list[str], problems: list[str]) -> str:
    """The definition's initial stage ('' when it names none; a problem noted when it is not a stage)."""
    given = data.get("initial")
    initial = given if isinstance(given, str) else ""
    if not given:
        problems.append("no initial stage (set 'initial')")
    elif initial not in names:
        problems.append(f"initial stage {given!r} is not a defined stage")
    return initial


def _names(data: dict[str, Any], key: str, problems: list[str]) -> tuple[str, ...]:
    raw = data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        problems.append(f"{key}: must be a list of names")
        return ()
    return tuple(raw)


def _parse_stage(raw: Any, i: int, problems: list[str]) -> Stage:
    if isinstance(raw, str):
        return Stage(raw)
    titles = _titles(raw.get("title") if isinstance(raw, dict) else None, f"stages[{i}]", problems)
    if not isinstance(raw, dict) or not raw.get("name"):
        problems.append(f"stages[{i}]: a stage needs a name")
        return Stage(f"<stage {i}>")
    stage = Stage(str(raw["name"]), str(raw.get("description") or ""), bool(raw.get("final", False)),
                  bool(raw.get("schedules_checkins", False)), titles)
    if stage.final and stage.schedules_checkins:
        problems.append(f"stage {stage.name!r}: a final stage cannot schedule check-ins")
    return stage


def _parse_trigger(raw: Any, i: int, names: list[str], final: set[str], problems: list[str]) -> Trigger:
    if not isinstance(raw, dict) or not raw.get("name"):
        problems.append(f"triggers[{i}]: a trigger needs a name")
        return Trigger(f"<trigger {i}>", (), "")
    name = str(raw["name"])
    source = raw.get("source")
    sources = [source] if isinstance(source, str) else list(source or [])
    if sources == [ANY]:
        sources = [n for n in names if n not in final]
    for s in sources:
        if s not in names:
            problems.append(f"trigger {name!r}: unknown source stage {s!r}")
    if not sources:
        problems.append(f"trigger {name!r}: no source stage")
    dest = str(raw.get("dest") or "")
    if dest != RETURN and dest not in names:
        problems.append(f"trigger {name!r}: unknown destination stage {dest!r}")
    guards, params = _parse_guards(name, raw.get("guards") or [], problems)
    return Trigger(name, tuple(sources), dest, guards, str(raw.get("description") or ""),
                   bool(raw.get("reason_required", False)), bool(raw.get("remember_stage", False)),
                   bool(raw.get("invalidates_agreement", False)), bool(raw.get("extends_term", False)),
                   _titles(raw.get("title"), f"trigger {name!r}", problems), params)


def _titles(raw: Any, where: str, problems: list[str]) -> Titles:
    """`title: Text` (English) or `title: {en: Text, nl: Tekst}`."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (("en", raw),)
    if isinstance(raw, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        return tuple(sorted(raw.items()))
    problems.append(f"{where}: a title is a text or a mapping of language to text (en: ..., nl: ...)")
    return ()


def _parse_guards(trigger: str, raw: list[Any], problems: list[str]) -> tuple[tuple[str, ...],
                                                                                tuple[tuple[str, Any], ...]]:
    """Guard names, and the values of those written `{name: value}` (a guard that takes a parameter)."""
    names: list[str] = []
    params: list[tuple[str, Any]] = []
    for g in raw:
        value = None
        if isinstance(g, dict) and len(g) == 1:
            g, value = next(iter(g.items()))
        g = str(g)
        names.append(g)
        if g not in GUARDS:
            problems.append(f"trigger {trigger!r}: unknown guard {g!r} (known: {', '.join(sorted(GUARDS))})")
            continue
        problem = GUARDS[g].param_problem(value)
        if problem:
            problems.append(f"trigger {trigger!r}: guard {g!r} {problem}")
        elif value is not None:
            params.append((g, value))
    return tuple(names), tuple(params)


def _unreachable(initial: str, names: list[str], triggers: tuple[Trigger, ...]) -> list[str]:
    remembered = {s for t in triggers if t.remember_stage for s in t.sources}
    edges: dict[str, set[str]] = {n: set() for n in names}
    for t in triggers:
        for s in t.sources:
            edges[s] |= remembered if t.dest == RETURN else {t.dest}
    seen, todo = {initial}, deque([initial])
    while todo:
        for nxt in edges[todo.popleft()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return [f"stage {n!r} cannot be reached from {initial!r}" for n in names if n not in seen]


class Lifecycle:
    """A compiled definition: checks and fires triggers on partnerships."""

    def __init__(self, definition: LifecycleDefinition) -> None:
        self.definition = definition
        self.machine = Machine(model=None, states=list(definition.stage_names), initial=definition.initial,
                               auto_transitions=False, send_event=True, model_attribute="stage")
        remembered = sorted({s for t in definition.triggers if t.remember_stage for s in t.sources})
        for t in definition.triggers:
            holds = self._condition(t)
            for source in t.sources:
                if t.dest == RETURN:
                    for back in remembered:
                        self.machine.add_transition(t.name, source, back,
                                                    conditions=[holds, _returns_to(back)])
                else:
                    self.machine.add_transition(t.name, source, t.dest, conditions=[holds])

    @property
    def name(self) -> str:
        return self.definition.name

    def _condition(self, t: Trigger) -> Callable[[Any], bool]:
        return lambda event: not self.blocking_reasons(event.model, t)

    def blocking_reasons(self, p: Partnership, t: Trigger) -> list[str]:
        """Every failing guard's reason for trigger `t` on `p`, in definition order."""
        return [r.words for r in self.block_reasons(p, t)]

    def block_reasons(self, p: Partnership, t: Trigger) -> list[BlockReason]:
        """The same reasons, each with its code (the guard's name) and the trigger and stage it is about."""
        reasons = [BlockReason(g, words, t.name, p.stage) for g in t.guards
                   for words in GUARDS[g].evaluate(p, t.param(g))]
        if t.dest == RETURN and not p.return_stage:
            reasons.append(BlockReason("no_return_stage", "there is no stage to return to", t.name, p.stage))
        return reasons

    def destination(self, p: Partnership, t: Trigger) -> str:
        return (p.return_stage or "?") if t.dest == RETURN else t.dest

    def is_final(self, stage: str) -> bool:
        return stage in self.definition.stage_names and self.definition.stage(stage).final

    def schedules_checkins(self, stage: str) -> bool:
        """Whether entering `stage` expands the check-in plan (`schedules_checkins: true` in the YAML)."""
        return stage in self.definition.stage_names and self.definition.stage(stage).schedules_checkins

    def agreement_gaps(self, p: Partnership) -> list[str]:
        """Why an agreement generated now would be a draft (`agreement_final_when`); empty when it can be final."""
        reasons: list[str] = []
        for g in self.definition.agreement_final_when:
            reasons += GUARDS[g].evaluate(p)
        return reasons

    def goals_open(self, stage: str) -> bool:
        """Whether goal agreements may still be withdrawn in `stage` (`goals_open_in`)."""
        return stage in self.definition.goals_open_in

    def needs_facts(self, trigger: str | None = None) -> bool:
        """Whether a trigger (any, without a name) has a guard that reads facts kept outside the aggregate."""
        return any(GUARDS[g].needs_facts for t in self.definition.triggers
                   if trigger is None or t.name == trigger for g in t.guards)

    @property
    def final_stages(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.definition.stages if s.final)

    def checks(self, p: Partnership) -> list[TriggerCheck]:
        """Every trigger that starts from the partnership's stage, with its blocking reasons."""
        return [TriggerCheck(t.name, self.destination(p, t), tuple(self.blocking_reasons(p, t)), t.reason_required)
                for t in self.definition.triggers if p.stage in t.sources]

    def fire(self, p: Partnership, trigger: str, *, actor: str, now: datetime, reason: str | None = None) -> str:
        """Move `p` along `trigger` or raise; a refused trigger changes nothing. Returns the new stage."""
        t = self.definition.trigger(trigger)
        d, lang = self.definition, p.language
        said, stage = f"“{t.title(lang)}” ({trigger})", f"“{d.stage_title(p.stage, lang)}”"
        if p.stage not in t.sources:
            valid = [f"“{d.trigger_title(c.trigger, lang)}” ({c.trigger})" for c in self.checks(p)]
            raise InvalidTransition(
                f"{said} is not possible in stage {stage}",
                details=[f"possible in stage {stage}: {', '.join(valid) or 'nothing, the stage is final'}"])
        reasons = self.block_reasons(p, t)
        if t.reason_required and not (reason or "").strip():
            reasons.append(BlockReason("reason_required", f"{said} needs a reason", trigger, p.stage))
        if reasons:
            raise TransitionBlocked(f"{said} is blocked in stage {stage}", reasons=reasons,
                                    hint="give_reason" if any(r.code == "reason_required" for r in reasons) else None)
        before = p.stage
        try:
            moved = self.machine.events[trigger].trigger(p)
        except MachineError as exc:
            raise InvalidTransition(f"{said} is not possible in stage {stage}") from exc
        if not moved:
            raise TransitionBlocked(f"{said} is blocked in stage {stage}")
        if t.invalidates_agreement:
            p.agreement_epoch += 1
        if t.remember_stage:
            p.return_stage = before
        elif t.dest == RETURN or self.is_final(p.stage):
            p.return_stage = None
        p.record("transition", actor=actor, now=now, reason=reason,
                 before={"stage": before}, after={"stage": p.stage, "trigger": trigger})
        return p.stage


def _returns_to(stage: str) -> Callable[[Any], bool]:
    return lambda event: event.model.return_stage == stage
