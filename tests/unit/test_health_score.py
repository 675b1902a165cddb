"""The health score: each component, the weighting, the bands, and the guards that read it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from factories import ready
from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.domain.guards import PartnershipFacts, attach_facts
from pppflow.domain.health import HealthFacts, parse_policy, score_health
from pppflow.domain.lifecycle import Lifecycle, parse_definition
from pppflow.errors import BadInput, DefinitionInvalid, TransitionBlocked

AS_OF = date(2027, 6, 30)
NOW = datetime(2027, 6, 30, 9, tzinfo=UTC)
POLICY = AssessmentFiles().policy()


def test_missed_checkins_lower_the_score_and_say_why() -> None:
    good = score_health(HealthFacts("x", checkins_due=3, checkins_held=3), POLICY, AS_OF)
    bad = score_health(HealthFacts("x", checkins_due=3, checkins_held=1), POLICY, AS_OF)
    assert good.score > bad.score
    component = next(c for c in bad.components if c.key == "checkins")
    assert (component.value, component.weight) == (33, 25)
    assert component.sentence == "2 of the last 3 check-ins were missed"
    assert bad.weakest is not None and bad.weakest.key == "checkins"


def test_components_without_facts_are_not_counted_and_say_so() -> None:
    h = score_health(HealthFacts("x"), POLICY, AS_OF)
    by_key = {c.key: c for c in h.components}
    assert by_key["maturity"].value is None
    assert by_key["maturity"].sentence == "no maturity round has been recorded"
    assert by_key["contributions"].value is None
    assert (h.score, h.band) == (100, "healthy")   # only overdue obligations and responsiveness count, both fine


def test_weights_and_bands_come_from_the_policy_data() -> None:
    facts = HealthFacts("x", checkins_due=4, checkins_held=2, overdue_obligations=1, oldest_overdue_days=30,
                        effort_obligations=2, effort_logged=1, effort_hours=Decimal("12.5"), maturity_level=0.5)
    h = score_health(facts, POLICY, AS_OF)
    # checkins 50 x 25, overdue 70 x 20, effort 50 x 15, responsiveness 100 x 10, maturity 50 x 15 -> 60.6
    assert (h.score, h.band) == (61, "attention")
    only_checkins = parse_policy({"name": "strict", "weights": {"checkins": 1},
                                  "bands": {"healthy": 90, "attention": 60}}, source="strict.yaml")
    h2 = score_health(facts, only_checkins, AS_OF)
    assert (h2.score, h2.band) == (50, "at_risk")
    assert next(c for c in h2.components if c.key == "effort_logged").sentence == \
        "hours were logged for 1 of 2 effort obligations in the last 12 months (12.5 hours)"
    with pytest.raises(BadInput) as err:
        parse_policy({"weights": {"vibes": 3}, "bands": {"healthy": 40, "attention": 60}}, source="p.yaml")
    assert any(d.startswith("weights.vibes: unknown component") for d in err.value.details)


def _lifecycle(guards: list) -> Lifecycle:  # type: ignore[type-arg]
    return Lifecycle(parse_definition({
        "name": "t", "initial": "maintenance",
        "stages": ["maintenance", "under_review", "framework_agreed"],
        "triggers": [{"name": "review", "source": "maintenance", "dest": "under_review", "guards": guards},
                     {"name": "renew", "source": "under_review", "dest": "framework_agreed"}]}, source="t.yaml"))


def test_a_lifecycle_can_require_a_health_threshold_with_the_reason_in_words() -> None:
    lifecycle = _lifecycle([{"health_at_least": 60}])
    assert lifecycle.needs_facts("review")
    p = ready("maintenance")
    attach_facts(p, PartnershipFacts(48, "attention", "2 of the last 3 check-ins were missed"))
    with pytest.raises(TransitionBlocked) as err:
        lifecycle.fire(p, "review", actor="m", now=NOW)
    assert err.value.details == ["the health score is 48 (attention), below the 60 required; weakest: 2 of the "
                                 "last 3 check-ins were missed"]
    attach_facts(p, PartnershipFacts(60, "attention"))
    assert lifecycle.fire(p, "review", actor="m", now=NOW) == "under_review"


def test_a_lifecycle_can_require_a_maturity_round_of_every_partner() -> None:
    lifecycle = _lifecycle(["maturity_assessed"])
    p = ready("maintenance")
    attach_facts(p, PartnershipFacts(assessed_partners=frozenset({"hanze"})))
    with pytest.raises(TransitionBlocked) as err:
        lifecycle.fire(p, "review", actor="m", now=NOW)
    assert "partner 'noorderpoort' has not recorded a maturity round" in err.value.details
    assert "partner 'hanze' has not recorded a maturity round" not in err.value.details


def test_a_threshold_guard_without_a_number_is_refused_at_load() -> None:
    with pytest.raises(DefinitionInvalid) as err:
        _lifecycle(["health_at_least"])
    assert "trigger 'review': guard 'health_at_least' needs a value (int), written {health_at_least: VALUE}" \
        in err.value.details


def test_every_sentence_reads_in_dutch_too() -> None:
    facts = HealthFacts("x", checkins_due=3, checkins_held=1, overdue_obligations=1, oldest_overdue_days=1,
                        effort_obligations=1, effort_logged=1, effort_hours=Decimal("4"), open_requests=2,
                        oldest_request_days=20, maturity_level=0.5)
    h = score_health(facts, POLICY, AS_OF)
    words = {c.key: c.words("nl") for c in h.components}
    assert words["checkins"] == "2 van de laatste 3 afstemmingsmomenten zijn niet gehouden"
    assert words["overdue_obligations"] == "1 verplichting over tijd, de oudste 1 dag"
    assert words["responsiveness"] == "2 toetredingen wachten op antwoord van de partners, de oudste al 20 dagen"
    assert {c.key: c.words("en") for c in h.components}["overdue_obligations"] == \
        "1 obligation overdue, the oldest by 1 day"
