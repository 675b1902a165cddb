"""The health score of a partnership: components scored from facts as of a date, weighted, banded, explained.

Facts are counted by the adapters (in SQL, for a whole portfolio at once); here they become a score 0-100.
Every component carries its value, its weight and one sentence; a component without facts (no check-in due
yet, no ledger, no maturity round) is left out of the weighting and says why. Weights and band limits are data
(`workflows/health/*.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from pppflow.errors import BadInput

BANDS = ("healthy", "attention", "at_risk")
COMPONENTS = ("checkins", "overdue_obligations", "effort_logged", "contributions", "responsiveness", "maturity")
# A request to a partner may wait this long before it counts against responsiveness.
ANSWER_DAYS = 14


@dataclass(frozen=True)
class HealthPolicy:
    name: str
    weights: dict[str, int]
    healthy: int
    attention: int

    def band(self, score: int) -> str:
        if score >= self.healthy:
            return "healthy"
        return "attention" if score >= self.attention else "at_risk"


def parse_policy(data: Any, *, source: str) -> HealthPolicy:
    """Weights per component (whole numbers >= 0) and the two band limits; problems named by path."""
    if not isinstance(data, dict):
        raise BadInput(f"{source}: a health policy must be a mapping")
    problems = []
    weights = data.get("weights") or {}
    if not isinstance(weights, dict):
        problems.append("weights: must map components to whole numbers")
        weights = {}
    for k, v in weights.items():
        if k not in COMPONENTS:
            problems.append(f"weights.{k}: unknown component (known: {', '.join(COMPONENTS)})")
        elif not isinstance(v, int) or isinstance(v, bool) or v < 0:
            problems.append(f"weights.{k}: must be a whole number of at least 0")
    bands = data.get("bands") or {}
    healthy, attention = bands.get("healthy"), bands.get("attention")
    if not (isinstance(healthy, int) and isinstance(attention, int) and 0 <= attention <= healthy <= 100):
        problems.append("bands: healthy and attention are whole numbers with 0 <= attention <= healthy <= 100")
    if problems or not (isinstance(healthy, int) and isinstance(attention, int)):  # the second names the types
        raise BadInput(f"{source}: the health policy has {len(problems)} problem(s)", details=problems)
    return HealthPolicy(str(data.get("name") or source), {k: int(weights.get(k, 0)) for k in COMPONENTS},
                        healthy, attention)


@dataclass
class HealthFacts:
    """What the adapters counted for one partnership as of a day."""

    ref: str
    name: str = ""
    stage: str = ""
    workflow: str = ""
    checkins_due: int = 0          # planned check-ins due in the last 12 months whose grace period has ended
    checkins_held: int = 0         # of those, held
    overdue_obligations: int = 0   # open (pending or breached) obligations past their due date
    oldest_overdue_days: int = 0
    effort_obligations: int = 0    # effort obligations not waived
    effort_logged: int = 0         # of those, with hours logged at a check-in in the last 12 months
    effort_hours: Decimal = Decimal(0)
    committed_eur: Decimal | None = None   # contributions committed to date, valued in EUR (None: no ledger)
    realised_eur: Decimal | None = None
    open_requests: int = 0         # admissions awaiting partners' answers
    oldest_request_days: int = 0
    maturity_rounds: int = 0       # partners with a recorded maturity round
    maturity_level: float | None = None   # mean of each partner's latest round, 0.0-1.0


class Component(NamedTuple):
    """One scored component (a named tuple: a portfolio's health builds tens of thousands of them)."""

    key: str
    value: int | None   # 0-100, None when it does not apply
    weight: int
    code: str           # which sentence explains it (SENTENCES), filled with `params`
    params: tuple[tuple[str, Any], ...] = ()

    def words(self, lang: str = "en") -> str:
        """The one sentence that explains the value, in English or Dutch."""
        table = SENTENCES.get(lang, SENTENCES["en"])
        return table[self.code].format(**{k: _Count(v) if isinstance(v, int) else v for k, v in self.params})

    @property
    def sentence(self) -> str:
        return self.words("en")

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "weight": self.weight, "counted": self.value is not None,
                "sentence": self.sentence}


@dataclass
class Health:
    ref: str
    as_of: date
    score: int
    band: str
    components: list[Component] = field(default_factory=list)
    name: str = ""
    stage: str = ""

    @property
    def weakest(self) -> Component | None:
        counted = [c for c in self.components if c.value is not None and c.weight]
        return min(counted, key=lambda c: (c.value, -c.weight)) if counted else None

    def as_dict(self) -> dict[str, Any]:
        weakest = self.weakest
        return {"ref": self.ref, "name": self.name, "stage": self.stage, "as_of": self.as_of,
                "score": self.score, "band": self.band,
                "weakest": weakest.key if weakest else None,
                "components": [c.as_dict() for c in self.components]}


class _Count(int):
    """A number that formats `{n:check-in|check-ins}` as "1 check-in" or "3 check-ins"."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return f"{int(self)} {one if self == 1 else many}"
        return format(int(self), spec)


SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "checkins_none": "no check-in was due in the last 12 months",
        "checkins_missed_one": "1 of the last {due:check-in|check-ins} was missed",
        "checkins_missed": "{missed} of the last {due} check-ins were missed",
        "checkins_held_one": "the one check-in due in the last 12 months was held",
        "checkins_held": "all {due} check-ins due in the last 12 months were held",
        "overdue_none": "no obligation is overdue",
        "overdue": "{count:obligation|obligations} overdue, the oldest by {days:day|days}",
        "effort_none": "no effort obligation to log hours against",
        "effort_no_checkins": "no check-in was due yet at which to log hours",
        "effort": "hours were logged for {logged} of {total:effort obligation|effort obligations} in the last 12 "
                  "months ({hours} hours)",
        "contributions_none": "no contributions committed to date to compare with the ledger",
        "contributions": "{rate} % of the contributions committed to date were realised "
                         "(EUR {realised} of {committed})",
        "responsiveness_none": "no request to the partners is awaiting an answer",
        "responsiveness": "{count:admission|admissions} awaiting the partners' answers, the oldest for {days:day|days}",
        "maturity_none": "no maturity round has been recorded",
        "maturity": "the partners' latest maturity rounds average {value} % of the top level",
    },
    "nl": {
        "checkins_none": "er was de afgelopen 12 maanden geen afstemmingsmoment gepland",
        "checkins_missed_one": "1 van de laatste {due} afstemmingsmomenten is niet gehouden",
        "checkins_missed": "{missed} van de laatste {due} afstemmingsmomenten zijn niet gehouden",
        "checkins_held_one": "het ene afstemmingsmoment van de afgelopen 12 maanden is gehouden",
        "checkins_held": "alle {due} afstemmingsmomenten van de afgelopen 12 maanden zijn gehouden",
        "overdue_none": "geen verplichting is over tijd",
        "overdue": "{count:verplichting|verplichtingen} over tijd, de oudste {days:dag|dagen}",
        "effort_none": "geen inspanningsverplichting om uren op te boeken",
        "effort_no_checkins": "er was nog geen afstemmingsmoment om uren te boeken",
        "effort": "voor {logged} van {total:inspanningsverplichting|inspanningsverplichtingen} zijn de afgelopen 12 "
                  "maanden uren geboekt ({hours} uur)",
        "contributions_none": "geen tot nu toe toegezegde bijdragen om met het grootboek te vergelijken",
        "contributions": "{rate} % van de tot nu toe toegezegde bijdragen is gerealiseerd "
                         "(EUR {realised} van {committed})",
        "responsiveness_none": "geen verzoek aan de partners wacht op antwoord",
        "responsiveness": "{count:toetreding wacht|toetredingen wachten} op antwoord van de partners, "
                          "de oudste al {days:dag|dagen}",
        "maturity_none": "er is nog geen volwassenheidsronde vastgelegd",
        "maturity": "de laatste volwassenheidsrondes van de partners komen gemiddeld uit op {value} % van het "
                    "hoogste niveau",
    },
}
Scored = tuple[int | None, str, dict[str, Any]]


def _checkins(f: HealthFacts) -> Scored:
    if not f.checkins_due:
        return None, "checkins_none", {}
    missed = f.checkins_due - f.checkins_held
    value = round(100 * f.checkins_held / f.checkins_due)
    params = {"due": f.checkins_due, "missed": missed}
    if missed:
        return value, "checkins_missed_one" if missed == 1 else "checkins_missed", params
    return value, "checkins_held_one" if f.checkins_due == 1 else "checkins_held", params


def _overdue(f: HealthFacts) -> Scored:
    if not f.overdue_obligations:
        return 100, "overdue_none", {}
    value = max(0, 100 - 20 * f.overdue_obligations - min(40, f.oldest_overdue_days // 3))
    return value, "overdue", {"count": f.overdue_obligations, "days": f.oldest_overdue_days}


def _effort(f: HealthFacts) -> Scored:
    if not f.effort_obligations:
        return None, "effort_none", {}
    if not f.checkins_due:
        return None, "effort_no_checkins", {}
    value = round(100 * f.effort_logged / f.effort_obligations)
    return value, "effort", {"logged": f.effort_logged, "total": f.effort_obligations,
                             "hours": f"{f.effort_hours.normalize():f}"}


def _contributions(f: HealthFacts) -> Scored:
    if f.committed_eur is None or f.realised_eur is None or f.committed_eur <= 0:  # none, or the term not begun
        return None, "contributions_none", {}
    rate = f.realised_eur / f.committed_eur
    value = int(min(Decimal(100), rate * 100).to_integral_value())
    return value, "contributions", {"rate": int((rate * 100).to_integral_value()),
                                    "realised": f"{f.realised_eur:,.2f}", "committed": f"{f.committed_eur:,.2f}"}


def _responsiveness(f: HealthFacts) -> Scored:
    if not f.open_requests:
        return 100, "responsiveness_none", {}
    late = max(0, f.oldest_request_days - ANSWER_DAYS)
    return max(0, 100 - 2 * late), "responsiveness", {"count": f.open_requests, "days": f.oldest_request_days}


def _maturity(f: HealthFacts) -> Scored:
    if f.maturity_level is None:
        return None, "maturity_none", {}
    value = round(100 * f.maturity_level)
    return value, "maturity", {"value": value}


SCORERS = {"checkins": _checkins, "overdue_obligations": _overdue, "effort_logged": _effort,
           "contributions": _contributions, "responsiveness": _responsiveness, "maturity": _maturity}


def score_health(facts: HealthFacts, policy: HealthPolicy, as_of: date) -> Health:
    """The weighted score of the components that apply, its band, and every component explained."""
    components = []
    total = weighted = 0
    for key in COMPONENTS:
        value, code, params = SCORERS[key](facts)
        weight = policy.weights.get(key, 0)
        components.append(Component(key, value, weight, code, tuple(sorted(params.items())) if params else ()))
        if value is not None and weight:
            total += weight
            weighted += value * weight
    score = round(weighted / total) if total else 100
    return Health(facts.ref, as_of, score, policy.band(score), components, facts.name, facts.stage)
