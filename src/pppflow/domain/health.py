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
from typing import Any

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
    if problems:
        raise BadInput(f"{source}: the health policy has {len(problems)} problem(s)", details=problems)
    return HealthPolicy(str(data.get("name") or source), {k: int(weights.get(k, 0)) for k in COMPONENTS},
                        int(healthy), int(attention))


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
    maturity_rounds: int = 0
    maturity_level: float | None = None   # mean of each partner's latest round, 0.0-1.0


@dataclass(frozen=True)
class Component:
    key: str
    value: int | None   # 0-100, None when it does not apply
    weight: int
    sentence: str

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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _checkins(f: HealthFacts) -> tuple[int | None, str]:
    if not f.checkins_due:
        return None, "no check-in was due in the last 12 months"
    missed = f.checkins_due - f.checkins_held
    value = round(100 * f.checkins_held / f.checkins_due)
    if missed:
        return value, f"{missed} of the last {_plural(f.checkins_due, 'check-in')} were missed" if missed > 1 \
            else f"1 of the last {_plural(f.checkins_due, 'check-in')} was missed"
    return value, f"all {_plural(f.checkins_due, 'check-in')} due in the last 12 months were held"


def _overdue(f: HealthFacts) -> tuple[int | None, str]:
    if not f.overdue_obligations:
        return 100, "no obligation is overdue"
    value = max(0, 100 - 20 * f.overdue_obligations - min(40, f.oldest_overdue_days // 3))
    return value, (f"{_plural(f.overdue_obligations, 'obligation')} overdue, the oldest by "
                   f"{_plural(f.oldest_overdue_days, 'day')}")


def _effort(f: HealthFacts) -> tuple[int | None, str]:
    if not f.effort_obligations:
        return None, "no effort obligation to log hours against"
    if not f.checkins_due:
        return None, "no check-in was due yet at which to log hours"
    value = round(100 * f.effort_logged / f.effort_obligations)
    return value, (f"hours were logged for {f.effort_logged} of {_plural(f.effort_obligations, 'effort obligation')}"
                   f" in the last 12 months ({f.effort_hours.normalize():f} hours)")


def _contributions(f: HealthFacts) -> tuple[int | None, str]:
    if f.committed_eur is None or f.realised_eur is None or f.committed_eur <= 0:
        return None, "no contributions committed to date to compare with the ledger"
    rate = f.realised_eur / f.committed_eur
    value = int(min(Decimal(100), rate * 100).to_integral_value())
    return value, (f"{value if rate <= 1 else round(rate * 100)} % of the contributions committed to date were "
                   f"realised (EUR {f.realised_eur:,.2f} of {f.committed_eur:,.2f})")


def _responsiveness(f: HealthFacts) -> tuple[int | None, str]:
    if not f.open_requests:
        return 100, "no request to the partners is awaiting an answer"
    late = max(0, f.oldest_request_days - ANSWER_DAYS)
    value = max(0, 100 - 2 * late)
    return value, (f"{_plural(f.open_requests, 'admission')} awaiting the partners' answers, the oldest for "
                   f"{_plural(f.oldest_request_days, 'day')}")


def _maturity(f: HealthFacts) -> tuple[int | None, str]:
    if f.maturity_level is None:
        return None, "no maturity round has been recorded"
    value = round(100 * f.maturity_level)
    return value, f"the partners' latest maturity rounds average {value} % of the top level"


SCORERS = {"checkins": _checkins, "overdue_obligations": _overdue, "effort_logged": _effort,
           "contributions": _contributions, "responsiveness": _responsiveness, "maturity": _maturity}


def score_health(facts: HealthFacts, policy: HealthPolicy, as_of: date) -> Health:
    """The weighted score of the components that apply, its band, and every component explained."""
    components = []
    for key in COMPONENTS:
        value, sentence = SCORERS[key](facts)
        components.append(Component(key, value, policy.weights.get(key, 0), sentence))
    counted = [c for c in components if c.value is not None and c.weight]
    total = sum(c.weight for c in counted)
    score = round(sum(c.value * c.weight for c in counted) / total) if total else 100  # type: ignore[operator]
    return Health(facts.ref, as_of, score, policy.band(score), components, facts.name, facts.stage)
