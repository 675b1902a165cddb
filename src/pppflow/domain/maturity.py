"""Maturity self-assessment: a framework of stations and statements (data), rounds of answers per partner.

A round is one partner's answer to every statement of a framework, kept whole: a later round supersedes it,
nothing edits it. The overview reads the latest round per partner, the spread between partners and the change
since each partner's previous round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pppflow.errors import BadInput

LANGUAGES = ("en", "nl")
# Two partners whose levels on a statement lie this many steps apart disagree.
DISAGREEMENT_STEPS = 2
DISAGREEMENT_WORDS = {"en": ("says", "on"), "nl": ("zegt", "bij")}


@dataclass(frozen=True)
class Statement:
    key: str
    station: int
    text: dict[str, str]

    def words(self, lang: str) -> str:
        return self.text.get(lang) or self.text["en"]


@dataclass(frozen=True)
class Station:
    number: int
    title: dict[str, str]
    statements: tuple[Statement, ...]

    def words(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]


@dataclass(frozen=True)
class MaturityFramework:
    key: str
    title: dict[str, str]
    levels: tuple[str, ...]
    level_titles: dict[str, dict[str, str]]
    stations: tuple[Station, ...]

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for st in self.stations for s in st.statements)

    def statement(self, key: str) -> Statement:
        for s in self.statements:
            if s.key == key:
                return s
        raise KeyError(key)

    def level_index(self, level: str) -> int:
        return self.levels.index(level)

    def level_words(self, level: str, lang: str) -> str:
        return (self.level_titles.get(lang) or {}).get(level) or level


def _texts(raw: Any, path: str, problems: list[str]) -> dict[str, str]:
    if isinstance(raw, str) and raw.strip():
        return {"en": raw.strip()}
    if not isinstance(raw, dict) or not isinstance(raw.get("en"), str) or not raw["en"].strip():
        problems.append(f"{path}: needs an English text (en), and optionally nl")
        return {"en": ""}
    return {str(k): str(v).strip() for k, v in raw.items() if str(k) in LANGUAGES and isinstance(v, str)}


def _parse_station(raw: Any, i: int, seen: set[str], problems: list[str]) -> Station | None:
    """Station `i` of a framework (None when it is not a mapping); statement keys unique across `seen`."""
    where = f"stations[{i}]"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    number = raw.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        problems.append(f"{where}.number: must be a whole number")
        number = i + 1
    statements: list[Statement] = []
    for j, st in enumerate(raw.get("statements") or []):
        spath = f"{where}.statements[{j}]"
        skey = str((st or {}).get("key") or "").strip() if isinstance(st, dict) else ""
        if not skey:
            problems.append(f"{spath}.key: missing")
            continue
        if skey in seen:
            problems.append(f"{spath}.key: '{skey}' is used twice")
        seen.add(skey)
        statements.append(Statement(skey, number, _texts(st.get("text"), f"{spath}.text", problems)))
    if not statements:
        problems.append(f"{where}.statements: at least one statement")
    return Station(number, _texts(raw.get("title"), f"{where}.title", problems), tuple(statements))


def parse_framework(data: Any, *, source: str) -> MaturityFramework:
    """A framework from its YAML data; every problem named by path, all at once."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise BadInput(f"{source}: a maturity framework must be a mapping")
    key = str(data.get("key") or "").strip()
    if not key:
        problems.append("key: missing")
    levels = data.get("levels")
    if not isinstance(levels, list) or len(levels) < 2 or not all(isinstance(x, str) and x for x in levels) \
            or len(set(levels)) != len(levels):
        problems.append("levels: a list of at least two distinct level names, lowest first")
        levels = ["beginner", "mature"]
    stations: list[Station] = []
    seen: set[str] = set()
    raw_stations = data.get("stations")
    if not isinstance(raw_stations, list) or not raw_stations:
        problems.append("stations: at least one station")
        raw_stations = []
    for i, raw in enumerate(raw_stations):
        station = _parse_station(raw, i, seen, problems)
        if station is not None:
            stations.append(station)
    titles = data.get("level_titles") or {}
    if problems:
        raise BadInput(f"{source}: the maturity framework has {len(problems)} problem(s)", details=problems)
    return MaturityFramework(key, _texts(data.get("title") or key, "title", problems), tuple(levels),
                             {str(k): dict(v) for k, v in titles.items() if isinstance(v, dict)}, tuple(stations))


def answers_template(fw: MaturityFramework, partner: str, lang: str) -> dict[str, Any]:
    """The answers file a partner fills in: every statement, level null, evidence empty."""
    return {
        "framework": fw.key,
        "partner": partner,
        "levels": list(fw.levels),
        "answers": [{"key": s.key, "station": s.station, "statement": s.words(lang), "level": None,
                     "evidence": ""} for s in fw.statements],
    }


@dataclass(frozen=True)
class Answer:
    key: str
    station: int
    level: str
    evidence: str = ""


def _parse_answer(item: Any, i: int, fw: MaturityFramework, by_key: dict[str, Answer],
                  problems: list[str]) -> Answer | None:
    """Answer `i`, or None with its problem noted (not a mapping, unknown or repeated statement, bad level)."""
    if not isinstance(item, dict):
        problems.append(f"answers[{i}]: must be a mapping with key and level")
        return None
    key = str(item.get("key") or "")
    try:
        statement = fw.statement(key)
    except KeyError:
        problems.append(f"answers[{i}].key: '{key}' is not a statement of {fw.key}")
        return None
    if key in by_key:
        problems.append(f"statement '{key}': answered twice")
        return None
    level = item.get("level")
    if level is None or level == "":
        problems.append(f"statement '{key}': no level chosen (one of {', '.join(fw.levels)})")
        return None
    if level not in fw.levels:
        problems.append(f"statement '{key}': '{level}' is not a level (one of {', '.join(fw.levels)})")
        return None
    evidence = item.get("evidence") or ""
    if not isinstance(evidence, str) or len(evidence) > 4000:
        problems.append(f"statement '{key}': evidence must be text of at most 4000 characters")
        return None
    return Answer(key, statement.station, str(level), evidence.strip())


def parse_answers(data: Any, fw: MaturityFramework, partner: str) -> list[Answer]:
    """Every statement answered once with a level from the framework; anything else names the statement."""
    if not isinstance(data, dict):
        raise BadInput("the answers file must be a mapping with framework, partner and answers")
    problems: list[str] = []
    if data.get("framework") not in (None, fw.key):
        problems.append(f"framework: '{data.get('framework')}' is not '{fw.key}'")
    if data.get("partner") not in (None, partner):
        problems.append(f"partner: the file is for '{data.get('partner')}', not '{partner}'")
    raw = data.get("answers")
    if not isinstance(raw, list):
        raise BadInput("the answers file has no list of answers", details=["answers: missing or not a list"])
    by_key: dict[str, Answer] = {}
    for i, item in enumerate(raw):
        answer = _parse_answer(item, i, fw, by_key, problems)
        if answer is not None:
            by_key[answer.key] = answer
    for s in fw.statements:
        if s.key not in by_key and not any(p.startswith(f"statement '{s.key}'") for p in problems):
            problems.append(f"statement '{s.key}': not answered")
    if problems:
        raise BadInput(f"the answers have {len(problems)} problem(s); nothing was recorded", details=problems)
    return [by_key[s.key] for s in fw.statements]


@dataclass(frozen=True)
class MaturityRound:
    """One partner's answers to a framework, as recorded; never edited."""

    partner_key: str
    framework: str
    answers: tuple[Answer, ...]
    recorded_by: str
    recorded_at: datetime
    on_behalf_of: str | None = None
    number: int = 0


def station_level(fw: MaturityFramework, rnd: MaturityRound, station: int) -> float:
    """The mean level index (0 = lowest) of a round's answers at one station."""
    idx = [fw.level_index(a.level) for a in rnd.answers if a.station == station]
    return sum(idx) / len(idx) if idx else 0.0


def round_level(fw: MaturityFramework, rnd: MaturityRound) -> float:
    """The round's mean level as a share of the top level, 0.0-1.0."""
    idx = [fw.level_index(a.level) for a in rnd.answers]
    return (sum(idx) / len(idx)) / (len(fw.levels) - 1) if idx else 0.0


def level_name(fw: MaturityFramework, mean_index: float) -> str:
    """The level a mean index rounds down to (a station is only as mature as it has shown)."""
    return fw.levels[min(int(mean_index + 1e-9), len(fw.levels) - 1)]


@dataclass
class StationView:
    number: int
    title: str
    per_partner: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class MaturityOverview:
    framework: MaturityFramework
    stations: list[StationView]
    disagreements: list[str]
    rounds: int


def overview(fw: MaturityFramework, rounds: list[MaturityRound], lang: str = "en") -> MaturityOverview:
    """Per station and partner the latest level and the change since that partner's previous round; and where
    partners disagree on a statement."""
    by_partner: dict[str, list[MaturityRound]] = {}
    for r in sorted(rounds, key=lambda r: (r.recorded_at, r.number)):
        if r.framework == fw.key:
            by_partner.setdefault(r.partner_key, []).append(r)
    stations = []
    for st in fw.stations:
        view = StationView(st.number, st.words(lang))
        for partner, history in sorted(by_partner.items()):
            latest = station_level(fw, history[-1], st.number)
            previous = station_level(fw, history[-2], st.number) if len(history) > 1 else None
            view.per_partner[partner] = {
                "level": level_name(fw, latest), "mean": round(latest, 2),
                "change": None if previous is None else round(latest - previous, 2),
                "round": history[-1].number, "recorded_at": history[-1].recorded_at,
            }
        stations.append(view)
    disagreements = []
    for s in fw.statements:
        levels = {p: next(a.level for a in h[-1].answers if a.key == s.key) for p, h in by_partner.items()
                  if any(a.key == s.key for a in h[-1].answers)}
        if len(levels) < 2:
            continue
        high = max(levels.items(), key=lambda kv: fw.level_index(kv[1]))
        low = min(levels.items(), key=lambda kv: fw.level_index(kv[1]))
        if fw.level_index(high[1]) - fw.level_index(low[1]) >= DISAGREEMENT_STEPS:
            says, on = DISAGREEMENT_WORDS.get(lang, DISAGREEMENT_WORDS["en"])
            disagreements.append(f"{high[0]} {says} {fw.level_words(high[1], lang).lower()}, {low[0]} {says} "
                                 f"{fw.level_words(low[1], lang).lower()} {on} {s.key.replace('-', ' ')}")
    return MaturityOverview(fw, stations, disagreements, sum(len(h) for h in by_partner.values()))
